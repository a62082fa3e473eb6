"""The answer's timestamp, the SUT as initiator, in every mode whose Initiator takes one.

RFC 3830 5.2, 3.3 and 5.4, RFC 4650 5.3, RFC 4738 3.6: the answer carries the Initiator's
own T; an answer with another T, even one its clock would take, answers no message of its
(conformance.timing_checks). MIKEY-SAKKE has no answer (RFC 6509 2.1).
"""

from __future__ import annotations

import pytest

from conformance import timing_checks as checks
from conformance.evidence import Evidence
from conformance.timing_checks import ANSWERING, AnsweringMode
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize(("answering", "side"), [c for m in ANSWERING for c in m.cases()])
def test_an_answer_with_another_timestamp_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: AnsweringMode, side: str
) -> None:
    """An answer whose T is the I_MESSAGE's moved max_skew - 2 s into the past or the
    future, MACed or signed anew, is refused (5.2, 5.4)."""
    checks.answer_with_another_timestamp_is_refused(answering, sut, profile, evidence, side)
