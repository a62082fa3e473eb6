"""The replay cache keeps what it saw while its T is current, the SUT as responder, in
every mode whose messages carry T.

RFC 3830 5.4: the replay cache remembers "the successfully authenticated messages
presented within an allowable clock skew"; a host may forget a message only once its T
has left that window (or, overloaded, refuse everything until it has). So a message
from another crypto session in between must not make the SUT forget the first one: its
replay is still refused. test_timing_responder.py replays at once; this one replays
after the SUT has taken a message of another CSB (found by mutation testing,
docs/mutation.md: a cache that purges its live entries on the next message).
"""

from __future__ import annotations

import pytest

from conformance.checks import expect_rejection, not_applicable
from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from conformance.timing_checks import TimedMode, cases, expect_taken, taken_by_the_sut
from conformance.vehicle import vehicle
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("timed", "which"), cases("replay", ("initial", "update")))
def test_a_replay_after_another_csb_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, timed: TimedMode, which: str
) -> None:
    """A valid initial message or update, then a valid initial message of another CSB,
    then the first again: still a replay, discarded (5.4)."""
    if which == "update" and not sut.capabilities().updates:
        not_applicable("the SUT does not implement CSB updates")
    first = timed.reference(profile, 0.0, sut)
    message = taken_by_the_sut(timed, sut, first, which, evidence)
    other = timed.reference(profile, 0.0, sut)
    with vehicle(another_clause=True):
        taken = send_to_responder(sut, other, other.i_message(), evidence)
        expect_taken(timed, other, taken, evidence, "a valid initial message of another CSB")
    again = send_to_responder(sut, first, message, evidence)
    expect_rejection(again, evidence, first.csb_id, None)
