"""conformance.vehicle: which failures make a test inconclusive, and what they name."""

from __future__ import annotations

import pytest

from conformance.vehicle import (
    SUT_CLOCK,
    Blamed,
    Inconclusive,
    Running,
    reference_took,
    running,
    sut_took,
    vehicle,
)
from mikey.modes.base import Outcome
from mikey.wire import CommonHeader, DataType, Error, ErrorNo, Message, Timestamp, encode_message
from suts.base import Reply, SutFailure

PSK = "RFC3830-3.1-psk-mandatory"
WINDOW = "RFC3830-5.4-timestamp-window"
CHECKERS = {
    WINDOW: [
        ("t/timing.py::test_window[DH]", "DH", "responder"),
        ("t/replay.py::test_replay[PSK]", "PSK", "responder"),
        ("t/timing.py::test_window[PSK]", "PSK", "responder"),
    ],
    PSK: [("t/psk.py::test_valid", "PSK", "responder")],
}


def running_as(*cites: str, role: str = "responder") -> Running:
    return Running(frozenset(cites), "PSK", role, CHECKERS)


@pytest.mark.parametrize("failure", [AssertionError("no answer"), SutFailure("crashed")])
def test_a_failure_inside_is_inconclusive_naming_the_precondition(failure: Exception) -> None:
    token = running.set(running_as("RFC3830-5.4-replay"))
    try:
        with pytest.raises(Inconclusive) as raised, vehicle():
            raise failure
    finally:
        running.reset(token)
    assert raised.value.requirement == PSK
    assert raised.value.checked_by == ("t/psk.py::test_valid",)
    assert str(raised.value.msg).startswith(f"inconclusive: precondition {PSK} (checked by ")


def test_a_test_that_cites_the_precondition_fails() -> None:
    token = running.set(running_as(PSK))
    try:
        with pytest.raises(AssertionError, match="no answer"), vehicle():
            raise AssertionError("no answer")
    finally:
        running.reset(token)


def test_a_blamed_step_names_its_own_rule_checked_by_the_same_mode_first() -> None:
    token = running.set(running_as(PSK))
    try:
        with pytest.raises(Inconclusive) as raised, vehicle():
            raise Blamed(WINDOW, "Invalid TS")
    finally:
        running.reset(token)
    assert raised.value.requirement == WINDOW
    psk = ("t/replay.py::test_replay[PSK]", "t/timing.py::test_window[PSK]")
    assert raised.value.checked_by == psk


def test_a_step_that_names_its_check_names_that_test_only() -> None:
    token = running.set(running_as(PSK))
    try:
        with pytest.raises(Inconclusive) as raised, vehicle():
            raise Blamed(WINDOW, "Invalid TS", "test_window")
    finally:
        running.reset(token)
    assert raised.value.checked_by == ("t/timing.py::test_window[PSK]",)


def test_another_clause_of_a_cited_rule_is_inconclusive_only_when_a_step_names_it() -> None:
    token = running.set(running_as(WINDOW, PSK))
    try:
        with pytest.raises(Inconclusive) as raised, vehicle(another_clause=True):
            raise Blamed(WINDOW, "Invalid TS")
        with pytest.raises(AssertionError) as plain, vehicle(another_clause=True):
            raise AssertionError("no answer")
        with pytest.raises(Blamed), vehicle():
            raise Blamed(WINDOW, "Invalid TS")
    finally:
        running.reset(token)
    assert raised.value.requirement == WINDOW and not isinstance(plain.value, Inconclusive)


def test_an_error_of_the_harness_passes_through() -> None:
    with pytest.raises(KeyError), vehicle():
        raise KeyError("harness")


def test_a_refusal_with_invalid_ts_blames_the_window_and_the_clock() -> None:
    refusal = encode_message(
        Message(
            CommonHeader(data_type=DataType.ERROR, csb_id=1),
            (Timestamp(ts_type=0, value=1), Error(ErrorNo.INVALID_TS)),
        )
    )
    token = running.set(running_as())
    try:
        with pytest.raises(Blamed) as window:
            sut_took(Reply(refusal, False, "outdated"), "a valid I_MESSAGE")
        with pytest.raises(AssertionError) as plain:
            sut_took(Reply(None, False, "no"), "a valid I_MESSAGE")
    finally:
        running.reset(token)
    assert window.value.requirement == WINDOW and not isinstance(plain.value, Blamed)
    token = running.set(running_as(role="initiator"))
    try:
        with pytest.raises(Blamed) as clock:
            reference_took(Outcome(False, ErrorNo.INVALID_TS, "70 years old"), "the I_MESSAGE")
    finally:
        running.reset(token)
    assert clock.value.requirement == SUT_CLOCK
