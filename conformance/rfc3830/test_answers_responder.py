"""The answer's T and CS ID map, the SUT as responder, in every mode whose Responder answers.

RFC 3830 5.2 and 3.3, RFC 4650 3, RFC 4738 3.6: the answer carries the Initiator's T;
6.1.1: it fills in the SSRCs the Initiator left zero. One body per check, parametrized
over the modes (conformance.response_checks.ECHOING_RESPONDERS).
"""

from __future__ import annotations

import pytest

from conformance import response_checks as checks
from conformance.evidence import Evidence
from conformance.response_checks import cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize("mode", cases())
def test_the_answer_carries_the_initiator_timestamp(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """The responder does not create a new timestamp but uses the initiator's (5.2, 3.3;
    RFC 4738 3.6)."""
    checks.answer_carries_the_initiator_timestamp(mode, sut, profile, evidence)


@pytest.mark.parametrize("mode", cases(checks.ZERO_FILL))
def test_the_answer_fills_in_the_ssrcs_the_initiator_left_zero(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """SSRCs not chosen by the initiator are sent as zero and the responder fills them in
    its answer; the ones the initiator chose stay as they were (6.1.1)."""
    checks.answer_fills_in_the_zero_ssrcs(mode, sut, profile, evidence)
