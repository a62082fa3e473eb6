"""Updates, the SUT as responder, in every mode with updates: checked as initial messages.

RFC 3830 4.5, 5.3 and 5.4, RFC 4650 3.1: an update's KEMAC MAC, SIGNi or HMAC is
verified, its T is within the skew window, and its CSB is one the responder has. One
body per check, parametrized over the modes (conformance.update_checks.UPDATING).
"""

from __future__ import annotations

import pytest

from conformance import update_checks as checks
from conformance.evidence import Evidence
from conformance.update_checks import UpdatingMode, cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("updating", "kind"), cases("forged-update"))
def test_a_forged_update_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """An update of an established CSB whose MAC or signature does not verify is refused,
    with Auth failure if an Error message is sent (4.5, 5.3)."""
    checks.forged_update_is_refused(updating, sut, profile, evidence)


@pytest.mark.parametrize(("updating", "kind"), cases("unknown-csb"))
def test_an_update_of_an_unknown_csb_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, kind: str
) -> None:
    """An update (no RAND) for a CSB the responder never established cannot be keyed
    (4.1.4 needs the initial RAND) and is refused (4.5)."""
    checks.update_of_an_unknown_csb_is_refused(updating, sut, profile, evidence)


@pytest.mark.parametrize(("updating", "side"), cases("update-t", ("stale", "future")))
def test_an_update_outside_the_clock_skew_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, updating: UpdatingMode, side: str
) -> None:
    """An update stamped just outside the allowed clock skew, in the past or the future,
    is refused (5.3, 5.4), with Invalid TS if an Error message is sent (6.12)."""
    checks.update_outside_the_window_is_refused(updating, sut, profile, evidence, side)
