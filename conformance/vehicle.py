"""Vehicle steps: the valid exchange a test only builds on to reach the rule it checks.

ETSI ES 201 873-1 (TTCN-3) gives a test three verdicts: pass, fail and inconc. A test
whose precondition does not hold has checked nothing: a replay test whose first, valid
I_MESSAGE the SUT refuses, or a key test whose exchange never completes. Such a test is
inconclusive, not failed: it names the precondition's requirement and the tests that
check that requirement, and only those fail (docs/reports.md "Verdicts").

A test declares its vehicle steps with

    with vehicle("RFC3830-3.1-psk-mandatory"):
        reply = send_to_responder(sut, ref, ref.i_message(), evidence)
        expect_valid_taken(reply, "a valid I_MESSAGE")

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

import pytest

from suts.base import SutFailure

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

    def checked_by(self, requirement: str) -> list[str]:
        """The tests that check `requirement`: those of this test's mode and role first,
        else of its mode, else any; at most three."""
        tests = self.checkers.get(requirement, ())
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


class Inconclusive(pytest.skip.Exception):
    """The test's vehicle failed: its precondition `requirement` did not hold."""

    def __init__(self, requirement: str, checked_by: Sequence[str], reason: str) -> None:
        self.requirement = requirement
        self.checked_by = tuple(checked_by)
        self.reason = " ".join(reason.split()) or "assertion failed"
        where = f" (checked by {', '.join(self.checked_by)})" if self.checked_by else ""
        super().__init__(f"{INCONCLUSIVE}precondition {requirement}{where} failed: {self.reason}")


class Blamed(AssertionError):
    """A vehicle step's failure that names the requirement at fault."""

    def __init__(self, requirement: str, message: str) -> None:
        super().__init__(message)
        self.requirement = requirement


@contextmanager
def vehicle(requirement: str) -> Iterator[None]:
    """Steps that only carry the test to what it checks; `requirement` is the rule whose
    own tests check them. A failure inside makes the test inconclusive, unless the test
    cites the requirement at fault (then it fails)."""
    try:
        yield
    except (AssertionError, SutFailure) as exc:
        at_fault = exc.requirement if isinstance(exc, Blamed) else requirement
        test = running.get() or Running()
        if at_fault in test.cites:
            raise
        raise Inconclusive(at_fault, test.checked_by(at_fault), str(exc)) from exc
