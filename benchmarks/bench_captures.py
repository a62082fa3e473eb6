"""Writing a run's packet captures (conformance/report/captures.py) from its journal.

700 tests of two messages each (the RFC 4567 section 5 example 1 PSK I_MESSAGE and
back), about the size of a whole run against the built-in SUT: run.pcap, one pcap per
test and index.json, into a fresh directory each round (file creation dominates).

Run: python -m pytest benchmarks/bench_captures.py --benchmark-only -p no:mikeyconf
"""

from __future__ import annotations

from itertools import count
from pathlib import Path

from conformance.corpus import valid_samples
from conformance.report.captures import write_captures
from conformance.report.model import Result

TESTS = 700
I_MESSAGE = next(s.data for s in valid_samples() if s.name == "rfc4567-5.1-tc1").hex()


def results() -> list[Result]:
    def exchange(direction: str, when: float) -> dict[str, object]:
        return {"direction": direction, "label": "I", "hex": I_MESSAGE, "time": when}

    return [
        Result(
            test_id=f"rfc3830/test_x.py::test_{n}",
            title="",
            requirements=(),
            level="MUST",
            mode="PSK",
            role="responder",
            verdict="pass",
            reason="",
            evidence={"exchanges": [exchange("to-sut", n), exchange("from-sut", n + 0.5)]},
        )
        for n in range(TESTS)
    ]


def test_write_captures(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    found, rounds = results(), count()

    def write() -> int:
        run_dir = tmp_path / str(next(rounds))
        run_dir.mkdir()
        return len(write_captures(run_dir, found, "2026-11-28T10:30:00Z"))

    assert benchmark(write) == TESTS
