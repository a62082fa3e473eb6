"""Timestamps and replays, the SUT as responder, in every mode whose messages carry T.

RFC 3830 5.3 and 5.4 (the skew window and the replay cache), taken over by RFC 4650 5.3
(DH-HMAC), RFC 4738 3.5 (RSA-R) and RFC 6509 2.2.2 (MIKEY-SAKKE). One body per check,
parametrized over the modes (conformance.timing_checks.MODES): the same T, MARGIN
seconds inside and outside the SUT's window on both sides, and the same replays, in each.
"""

from __future__ import annotations

import pytest

from conformance import timing_checks as checks
from conformance.evidence import Evidence
from conformance.timing_checks import TimedMode, cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("timed", "side"), cases("inside", ("stale", "future")))
def test_a_timestamp_inside_the_clock_skew_is_taken(
    sut: Sut, profile: Profile, evidence: Evidence, timed: TimedMode, side: str
) -> None:
    """A T just inside the allowed clock skew, in the past or the future, is taken (5.4)."""
    checks.timestamp_inside_the_window_is_taken(timed, sut, profile, evidence, side)


@pytest.mark.parametrize(("timed", "side"), cases("outside", ("stale", "future")))
def test_a_timestamp_outside_the_clock_skew_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, timed: TimedMode, side: str
) -> None:
    """A T just outside the allowed clock skew, in the past or the future, is refused
    (5.3, 5.4), with Invalid TS if an Error message is sent (6.12)."""
    checks.timestamp_outside_the_window_is_refused(timed, sut, profile, evidence, side)


@pytest.mark.parametrize(("timed", "which"), cases("replay", ("initial", "update")))
def test_a_replayed_message_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, timed: TimedMode, which: str
) -> None:
    """The same authenticated initial message, or update, twice: the second is a replay
    and is discarded (5.4)."""
    checks.replayed_message_is_refused(timed, sut, profile, evidence, which)


@pytest.mark.parametrize("timed", checks.forgery_cases())
def test_a_forgery_does_not_poison_the_replay_cache(
    sut: Sut, profile: Profile, evidence: Evidence, timed: TimedMode
) -> None:
    """Only authenticated messages enter the replay cache (5.3): a forged copy first,
    then the genuine message, which must still be taken."""
    checks.forgery_does_not_poison_the_replay_cache(timed, sut, profile, evidence)
