"""Live progress of a campaign: each worker's counters, and the line that sums them.

Each worker (a pytest-xdist process, or the CLI's own process for one worker)
rewrites `<run>/progress/<worker>.json` at most once a second; the CLI's
monitor thread reads them all and prints one line on stderr every few
seconds: elapsed / budget, cases, cases per second, findings (files in
`<run>/findings/`), and coverage: the payload types of RFC 3830 section 6 the
cases carried, and the kinds of mutation applied.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from conformance.fuzz.mutators import OPS
from mikey.wire.message import SPECS

PROGRESS = "progress"
FINDINGS = "findings"


@dataclass
class Stats:
    """One worker's counters, written to its progress file."""

    worker: str
    path: Path
    cases: int = 0
    findings: int = 0
    kinds: set[int] = field(default_factory=set)
    ops: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.time)
    _written: float = 0.0

    def count(self, kinds: frozenset[int], ops: tuple[str, ...]) -> None:
        self.cases += 1
        self.kinds |= kinds
        self.ops.update(ops)
        if time.time() - self._written >= 1.0:
            self.write()

    def write(self) -> None:
        self._written = time.time()
        doc = {"worker": self.worker, "cases": self.cases, "findings": self.findings,
               "kinds": sorted(self.kinds), "ops": sorted(self.ops), "started": self.started,
               "updated": self._written}  # fmt: skip
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, self.path)


@dataclass(frozen=True)
class Totals:
    cases: int
    findings: int
    kinds: frozenset[int]
    ops: frozenset[str]
    workers: int


def totals(run_dir: Path) -> Totals:
    """The sum of every worker's last progress file, and the findings on file."""
    docs: list[dict[str, Any]] = []
    for path in sorted((run_dir / PROGRESS).glob("*.json")):
        try:
            docs.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # being replaced right now: next time
    findings = len(list((run_dir / FINDINGS).glob("*.json")))
    return Totals(
        cases=sum(int(d["cases"]) for d in docs),
        findings=findings,
        kinds=frozenset(k for d in docs for k in d["kinds"]),
        ops=frozenset(o for d in docs for o in d["ops"]),
        workers=len(docs),
    )


def clock(seconds: float) -> str:
    s = int(seconds)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def progress_line(t: Totals, elapsed: float, budget: float) -> str:
    rate = t.cases / elapsed if elapsed > 0 else 0.0
    return (
        f"fuzz {clock(elapsed)}/{clock(budget)}  workers {t.workers}  cases {t.cases} "
        f"({rate:.0f}/s)  findings {t.findings}  payload types {len(t.kinds)}/{len(SPECS)}  "
        f"mutations {len(t.ops)}/{len(OPS)}"
    )


class Monitor(threading.Thread):
    """Prints the progress line every `every` seconds until stopped."""

    def __init__(self, run_dir: Path, budget: float, every: float = 3.0,
                 out: TextIO = sys.stderr) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.run_dir, self.budget, self.every, self.out = run_dir, budget, every, out
        self.started = time.time()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            self.report()

    def report(self) -> None:
        line = progress_line(totals(self.run_dir), time.time() - self.started, self.budget)
        print(line, file=self.out, flush=True)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
