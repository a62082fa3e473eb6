"""The answer to an update, the SUT as initiator, in every mode with updates: checked as
the answer to an initial message.

RFC 3830 4.5, 5.2, 3.3 and 6.1, RFC 4650 3, 3.1 and 5.3: its V, SIGNr or HMAC verifies,
its T and its CSB ID are the update's; the update itself keeps the CSB ID, takes a new
T and carries no RAND. One body per check, parametrized over the modes
(conformance.update_checks.UPDATING).
"""

from __future__ import annotations

import pytest

from conformance import update_checks as checks
from conformance.evidence import Evidence
from conformance.update_checks import UpdatingMode, cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize(("updating", "kind"), cases("forged-answer"))
def test_a_forged_answer_to_an_update_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """The answer to the SUT's update with its V, SIGNr or HMAC broken is refused (4.5,
    5.2)."""
    checks.forged_answer_to_an_update_is_refused(updating, sut, profile, evidence)


@pytest.mark.parametrize(("updating", "side"), cases("answer-t", ("stale", "future")))
def test_an_answer_to_an_update_with_another_timestamp_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, side: str
) -> None:
    """The answer to the SUT's update whose T is the update's moved max_skew - 2 s into
    the past or the future, MACed or signed anew, is refused (5.2, 5.4)."""
    checks.answer_to_an_update_with_another_timestamp_is_refused(
        updating, sut, profile, evidence, side
    )


@pytest.mark.parametrize(("updating", "kind"), cases("answer-csb"))
def test_an_answer_to_an_update_for_another_csb_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """The answer to the SUT's update under another CSB ID, correctly MACed or signed, is
    refused (4.5, 6.1)."""
    checks.answer_to_an_update_for_another_csb_is_refused(updating, sut, profile, evidence)


@pytest.mark.parametrize(("updating", "kind"), cases("update-csb-t"))
def test_an_update_keeps_the_csb_id_and_takes_a_new_timestamp(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """An update uses the same CSB ID as the initial exchange and a new timestamp (4.5)."""
    checks.update_keeps_the_csb_id_and_takes_a_new_timestamp(updating, sut, profile, evidence)


@pytest.mark.parametrize(("updating", "kind"), cases("update-no-rand"))
def test_an_update_carries_no_rand(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """A new RAND MUST NOT be included in an update (4.5)."""
    checks.update_carries_no_rand(updating, sut, profile, evidence)
