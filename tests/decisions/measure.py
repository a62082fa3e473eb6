"""Which decisions the SUT takes in a conformance run against the builtin SUT.

The builtin SUT runs the same `mikey` code in the same process as the reference peer,
so plain line coverage would mix the two. coverage.py's dynamic contexts separate them:
`MeasuredSut` is the builtin SUT with every call of the Sut interface run in the
context "sut", and everything else (the tests, the reference peer, the forging) in
"peer". A decision counts as taken by the SUT only if its line ran in "sut". Out of
process (`--sut shim:'python -m suts.shim.reference'` with coverage in the shim) would
be as precise but starts a process per run and pays a pipe round trip per call; in
process the switch is one call at each end of a SUT call, and nothing at all when no
measurement is active (`coverage.Coverage.current()` is None).
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import coverage

from conformance import cli
from suts.builtin import BuiltinSut
from tests.decisions.points import PACKAGES, ROOT, Decision, decisions

SUT = "sut"
PEER = "peer"
F = TypeVar("F", bound=Callable[..., Any])
_depth = 0


@contextmanager
def as_sut() -> Iterator[None]:
    """Run the block in the "sut" context when a measurement is active (nested: once)."""
    global _depth
    cov = coverage.Coverage.current()
    if cov is None:
        yield
        return
    if _depth == 0:
        cov.switch_context(SUT)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            cov.switch_context(PEER)


def _in_sut(method: F) -> F:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        with as_sut():
            return method(*args, **kwargs)

    return call  # type: ignore[return-value]


class MeasuredSut(BuiltinSut):
    """The builtin SUT, each call that runs `mikey` code measured as the SUT's."""

    initiate = _in_sut(BuiltinSut.initiate)
    complete = _in_sut(BuiltinSut.complete)
    update = _in_sut(BuiltinSut.update)
    respond = _in_sut(BuiltinSut.respond)
    responder_mode = _in_sut(BuiltinSut.responder_mode)
    decode = _in_sut(BuiltinSut.decode)
    encode = _in_sut(BuiltinSut.encode)
    srtp_keys = _in_sut(BuiltinSut.srtp_keys)


@dataclass(frozen=True)
class Measurement:
    """The decisions, those the SUT took, those only the peer reached, and the run's status."""

    decisions: list[Decision]
    by_sut: set[str]
    by_peer: set[str]
    status: int

    @property
    def unexercised(self) -> list[Decision]:
        return [d for d in self.decisions if d.id not in self.by_sut]


def measure(run_options: Sequence[str] = ()) -> Measurement:
    """Run `mikeyconf run` against MeasuredSut under coverage; `run_options` select
    tests (e.g. --mode PSK)."""
    cov = new_coverage()
    with tempfile.TemporaryDirectory() as out:
        argv = ["run", "--sut", f"{__name__}:MeasuredSut", "--out", out, "--run-id", "run"]
        cov.start()
        try:
            cov.switch_context(PEER)
            status = cli.main([*argv, "--quiet", *run_options])
        finally:
            cov.stop()
    points = decisions()
    by_sut, by_peer = taken(cov, points)
    return Measurement(points, by_sut, by_peer, status)


def new_coverage() -> coverage.Coverage:
    """A coverage.py measurement of mikey/modes/ and mikey/wire/ only, kept in memory."""
    include = [str(ROOT / p / "*.py") for p in PACKAGES]
    return coverage.Coverage(data_file=None, include=include, config_file=False)


def taken(cov: coverage.Coverage, points: list[Decision]) -> tuple[set[str], set[str]]:
    """The IDs of the decisions whose line ran in the SUT's context, and of those whose
    line ran only in the peer's."""
    data = cov.get_data()
    contexts: dict[str, dict[int, list[str]]] = {
        path: data.contexts_by_lineno(str(ROOT / path)) for path in {d.path for d in points}
    }
    by_sut = {d.id for d in points if SUT in contexts[d.path].get(d.line, [])}
    by_peer = {d.id for d in points if PEER in contexts[d.path].get(d.line, [])} - by_sut
    return by_sut, by_peer
