"""Vehicle steps: the valid exchange a test only builds on to reach the rule it checks.

ETSI ES 201 873-1 (TTCN-3) gives a test three verdicts: pass, fail and inconc. A test
whose precondition does not hold has checked nothing: a replay test whose first, valid
I_MESSAGE the SUT refuses, or a key test whose exchange never completes. Such a test is
inconclusive, not failed: it names the precondition's requirement and the tests that
check that requirement, and only those fail (docs/reports.md "Verdicts").

A test declares its vehicle steps with

    with vehicle():  # the rule of a valid exchange in the test's mode and role
        reply = send_to_responder(sut, ref, ref.i_message(), evidence)
        sut_took(reply, "a valid I_MESSAGE")

A failure inside (AssertionError, SutFailure) ends the test as inconclusive. A step may
name a more precise requirement than the vehicle's (`Blamed`: the SUT refused a valid
message with Invalid TS, so its clock rule is at fault, not the exchange as a whole).
A test that itself cites the precondition's requirement fails as before: the vehicle is
then what it checks. The plugin tells this module which test is running (`running`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from mikey.modes.base import Outcome
from mikey.wire import DataType, DecodeError, Error, ErrorNo, decode_message
from suts.base import Reply, SutFailure

INCONCLUSIVE = "inconclusive: "
"""How the skip message of an inconclusive test begins (pytest, junit.xml, Allure)."""


@dataclass(frozen=True)
class Running:
    """The test being run, as the plugin sees it: what it cites, its mode and role, and
    which tests of the suite cite each requirement (their test IDs, with mode and role)."""

    cites: frozenset[str] = frozenset()
    mode: str | None = None
    role: str | None = None
    checkers: Mapping[str, Sequence[tuple[str, str | None, str | None]]] = field(
        default_factory=dict
    )

    def checked_by(self, requirement: str, check: str | None = None) -> list[str]:
        """The tests that check `requirement`: those of this test's mode and role first,
        else of its mode, else any; at most three. `check`: the test function that checks
        the clause at fault, where the requirement's other tests check other clauses."""
        tests = self.checkers.get(requirement, ())
        if check is not None:
            named = [t for t in tests if t[0].split("::")[-1].split("[")[0] == check]
            tests = named or tests
        for keep in (
            lambda m, r: m == self.mode and r == self.role,
            lambda m, r: m == self.mode,
            lambda m, r: True,
        ):
            found = [t for t, m, r in tests if keep(m, r)]
            if found:
                return found[:3]
        return []


running: ContextVar[Running | None] = ContextVar("running", default=None)
"""The test in progress (set by conformance.plugin around each test's call)."""


if TYPE_CHECKING:
    from _pytest.outcomes import Skipped as _Skipped
else:
    _Skipped = pytest.skip.Exception  # pytest's public name of its skip exception


class Inconclusive(_Skipped):
    """The test's vehicle failed: its precondition `requirement` did not hold."""

    def __init__(self, requirement: str, checked_by: Sequence[str], reason: str) -> None:
        self.requirement = requirement
        self.checked_by = tuple(checked_by)
        self.reason = " ".join(reason.split()) or "assertion failed"
        where = f" (checked by {', '.join(self.checked_by)})" if self.checked_by else ""
        super().__init__(f"{INCONCLUSIVE}precondition {requirement}{where} failed: {self.reason}")


class Blamed(AssertionError):
    """A vehicle step's failure that names the requirement at fault (and the test function
    that checks its clause at fault, if the requirement's other tests check others)."""

    def __init__(self, requirement: str, message: str, check: str | None = None) -> None:
        super().__init__(message)
        self.requirement = requirement
        self.check = check


EXCHANGES = {
    ("PSK", "responder"): "RFC3830-3.1-psk-mandatory",
    ("PSK", "initiator"): "RFC3830-3.1-psk-mandatory",
    ("PK", "responder"): "RFC3830-3.2-pk-mandatory",
    ("PK", "initiator"): "RFC3830-3.2-pk-mandatory",
    ("DH", "responder"): "RFC3830-3.3-r-message-payloads",
    ("DH", "initiator"): "RFC3830-3.3-i-message-payloads",
    ("DH-HMAC", "responder"): "RFC4650-3-r-message-payloads",
    ("DH-HMAC", "initiator"): "RFC4650-3-i-message-payloads",
    ("RSA-R", "responder"): "RFC4738-3.1-r-message",
    ("RSA-R", "initiator"): "RFC4738-3.1-i-message",
    ("SAKKE", "responder"): "RFC6509-2.2.2-derive-ssv",
    ("SAKKE", "initiator"): "RFC6509-2.2.1-signed",
}
"""The rule whose tests check that a valid exchange completes, per mode and SUT role: the
precondition of every test that builds on one (RFC 3830 3.1-3.3, RFC 4650 3, RFC 4738 3,
RFC 6509 2.2)."""

UPDATES = {
    "PSK": "RFC3830-4.5-update",
    "PK": "RFC3830-4.5-update-pk",
    "DH": "RFC3830-4.5-update-dh",
    "DH-HMAC": "RFC4650-3.1-update-without-dh",
}
"""The rule whose tests check that an update is taken, per mode with updates: the
precondition of a test that builds on an update (RFC 3830 4.5, RFC 4650 3.1)."""

ECHOES = {"DH": "RFC3830-3.3-responder-timestamp", "RSA-R": "RFC4738-3.6-t-same"}
"""The rule that the answer carries the Initiator's T, where not RFC 3830 5.2's."""

WINDOW_CHECK = "test_a_timestamp_inside_the_clock_skew_is_taken"
"""The test that a current T is taken (conformance/rfc3830/test_timing_responder.py): of
the window rule's tests, the one a valid message refused with Invalid TS fails."""

SUT_CLOCK = "RFC3830-5.4-loosely-synchronized-clock"
"""A SUT initiator's T is current: a conformant Responder's window takes it."""


def exchange_rule(test: Running) -> str:
    """The valid-exchange rule of the test's mode and role (PSK's when it has none)."""
    return EXCHANGES.get((test.mode or "", test.role or ""), EXCHANGES["PSK", "responder"])


def window_rule(mode: str | None) -> str:
    """The rule that a T inside the skew window is taken, in `mode` (timing_checks)."""
    from conformance.timing_checks import MODES, RFC3830_WINDOW

    return next((m.inside[0] for m in MODES if m.mode == mode), RFC3830_WINDOW)


@contextmanager
def vehicle(requirement: str | None = None, *, another_clause: bool = False) -> Iterator[None]:
    """Steps that only carry the test to what it checks; `requirement` is the rule whose
    own tests check them (None: the valid exchange of the test's mode and role). A
    failure inside makes the test inconclusive, unless the test cites the requirement at
    fault (then it fails). `another_clause`: the test cites the rule a step names
    (`Blamed`) for another clause of it, not the one at fault (RFC 4650 5.3 names the
    window and the replay cache under one ID, RFC 4738 3.5 the window and the answer):
    such a failure is inconclusive too, the window's own tests fail."""
    try:
        yield
    except (AssertionError, SutFailure) as exc:
        test = running.get() or Running()
        blamed = exc if isinstance(exc, Blamed) else None
        at_fault = blamed.requirement if blamed else requirement
        at_fault = at_fault or exchange_rule(test)
        if at_fault in test.cites and not (blamed and another_clause):
            raise
        checkers = test.checked_by(at_fault, blamed.check if blamed else None)
        raise Inconclusive(at_fault, checkers, str(exc)) from exc


def error_numbers(message: bytes | None) -> list[ErrorNo]:
    """The error numbers of an Error message (none: no message, or another kind)."""
    if message is None:
        return []
    try:
        msg = decode_message(message)
    except DecodeError:
        return []
    return [p.error_no for p in msg.all(Error)] if msg.hdr.data_type == DataType.ERROR else []


def sut_took(reply: Reply, what: str) -> None:
    """A vehicle step: the SUT responder took a valid message. Refused with Invalid TS,
    the T the reference stamped now is what it refused: its window rule is at fault."""
    errors = error_numbers(reply.message)
    if ErrorNo.INVALID_TS in errors:
        test = running.get() or Running()
        raise Blamed(
            window_rule(test.mode),
            f"the SUT refused {what} with Invalid TS: {reply.detail}".strip(),
            WINDOW_CHECK,
        )
    assert reply.accepted is not False, f"the SUT refused {what}: {reply.detail}"
    assert not errors, f"the SUT answered {what} with an Error message ({errors[0].name})"


def t_not_refused(reply: Reply) -> None:
    """A vehicle step of a rejection test whose fault is not T: the SUT did not refuse the
    message for its T, which the reference stamped now (an Error naming Invalid TS)."""
    if ErrorNo.INVALID_TS in error_numbers(reply.message):
        test = running.get() or Running()
        raise Blamed(
            window_rule(test.mode),
            f"the SUT refused the message for its T, stamped now (Invalid TS): {reply.detail}",
            WINDOW_CHECK,
        )


def reference_took(outcome: Outcome, what: str) -> None:
    """A vehicle step: the reference took the SUT's message. Refused with Invalid TS, the
    SUT's T is at fault: its clock (as initiator) or its echo of the Initiator's T."""
    if not outcome.accepted and outcome.error == ErrorNo.INVALID_TS:
        test = running.get() or Running()
        rule = (
            SUT_CLOCK
            if test.role == "initiator"
            else ECHOES.get(test.mode or "", "RFC3830-5.2-responder-timestamp")
        )
        raise Blamed(rule, f"the reference refused {what}: {outcome.reason}")
    assert outcome.accepted, f"the reference refused {what}: {outcome.reason}"
