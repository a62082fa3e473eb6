"""Where a worker's findings and counters go: the controller's run directory, in the end.

A campaign worker may run on another host (pytest-xdist over execnet, `--tx
ssh=...`), so it writes nothing itself: it hands each finding and its progress
counters to an `Outbox`. Inside a pytest session (session.py) the outbox is a
message on the xdist channel, and the controller's plugin hands it on to the
`RunDirOutbox`, which writes `<run>/findings/<signature>.json` (the first
worker to file a signature keeps it) and `<run>/progress/<worker>.json`. A
worker run in-process (the project's tests) writes through a RunDirOutbox at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol

from conformance.fuzz.findings import write_finding

PROGRESS = "progress"
FINDINGS = "findings"


class Outbox(Protocol):
    def progress(self, doc: dict[str, Any]) -> None:
        """A worker's counters (progress.Stats.snapshot): the last one replaces the others."""

    def finding(self, doc: dict[str, Any]) -> None:
        """A finding document (findings.finding_document), deduplicated by signature."""


class RunDirOutbox:
    """The controller's end: a run directory's progress/ and findings/ files."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir

    def progress(self, doc: dict[str, Any]) -> None:
        path = self.run_dir / PROGRESS / f"{doc['worker']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)

    def finding(self, doc: dict[str, Any]) -> None:
        write_finding(self.run_dir / FINDINGS, doc)
