"""Timestamps, the SUT as initiator: its I_MESSAGE's T and the answer's.

RFC 3830 5.4: the I_MESSAGE's T is the current time, the clock loosely synchronized (in the
RFC 3830 modes). RFC 3830 5.2, 3.3 and 5.4, RFC 4650 5.3, RFC 4738 3.6, in every mode whose
Initiator takes an answer: the answer carries the Initiator's own T; an answer with another
T, even one its clock would take, answers no message of its (conformance.timing_checks).
MIKEY-SAKKE has no answer (RFC 6509 2.1).
"""

from __future__ import annotations

import pytest

from conformance import timing_checks as checks
from conformance.evidence import Evidence
from conformance.timing_checks import ANSWERING, AnsweringMode, stamping_cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize(("answering", "side"), [c for m in ANSWERING for c in m.cases()])
def test_an_answer_with_another_timestamp_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: AnsweringMode, side: str
) -> None:
    """An answer whose T is the I_MESSAGE's moved max_skew - 2 s into the past or the
    future, MACed or signed anew, is refused (5.2, 5.4)."""
    checks.answer_with_another_timestamp_is_refused(answering, sut, profile, evidence, side)


@pytest.mark.parametrize("mode", stamping_cases())
def test_the_i_message_timestamp_is_the_current_time(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """The I_MESSAGE's T is the current time (seconds since 1900), within the clock skew:
    the Initiator's clock is loosely synchronized with its peers' (5.4, 6.6)."""
    checks.i_message_timestamp_is_current(mode, sut, profile, evidence)
