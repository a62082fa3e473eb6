"""The kill rate per module, from the cosmic-ray sessions and the triage file.

A survivor is matched to tests/mutation/equivalent.json by module, operator,
occurrence and the changed lines (so an entry goes stale when the code under it
changes). Its outcome there: equivalent (no peer can tell it from the original),
local-policy (it changes only what the RFCs leave to the implementation, so no
conformance test may fail it) or untriaged. Kill rate = killed / (killed + survived);
the second rate leaves out the equivalent and local-policy survivors.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkItem, WorkResult

from tools.mutation.session import Session

REPORT_SCHEMA = "mikey-mutation/1"
TRIAGE_OUTCOMES = ("equivalent", "local-policy", "untriaged")


def change(diff: str | None) -> list[str]:
    """The removed and added lines of a cosmic-ray diff, stripped."""
    lines = (diff or "").splitlines()
    return [
        f"{line[0]} {line[1:].strip()}"
        for line in lines
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]


def load_triage(path: Path) -> dict[tuple[str, str, int, tuple[str, ...]], dict[str, Any]]:
    """The triage file's entries by (module, operator, occurrence, change)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entries: dict[tuple[str, str, int, tuple[str, ...]], dict[str, Any]] = {}
    for entry in data["mutants"]:
        if entry["outcome"] not in TRIAGE_OUTCOMES or not entry.get("why"):
            raise ValueError(f"{path}: every entry needs an outcome in {TRIAGE_OUTCOMES} and a why")
        key = (entry["module"], entry["operator"], entry["occurrence"], tuple(entry["change"]))
        entries[key] = entry
    return entries


def triaged(module: str, triage: dict) -> Callable[[WorkItem, WorkResult], bool]:
    """Whether a survivor of `module` is in the triage file as equivalent or local-policy."""

    def known(item: WorkItem, result: WorkResult) -> bool:
        (mutation,) = item.mutations
        key = (module, mutation.operator_name, mutation.occurrence, tuple(change(result.diff)))
        return triage.get(key, {}).get("outcome") in ("equivalent", "local-policy")

    return known


def outcome(worker: WorkerOutcome, test: TestOutcome | None) -> str:
    if worker == WorkerOutcome.SKIPPED:
        return "skipped"
    if worker == WorkerOutcome.NO_TEST:
        return "no-test"
    if test == TestOutcome.KILLED:
        return "killed"
    if test == TestOutcome.SURVIVED:
        return "survived"
    return "incompetent"


def module_report(session: Session, modes: list[str], seconds: float, triage: dict) -> dict:
    """One module's figures and survivors."""
    counts: Counter[str] = Counter()
    survivors = []
    with use_db(session.sqlite, WorkDB.Mode.open) as db:
        counts["mutants"] = db.num_work_items
        for item, result in db.completed_work_items:
            kind = outcome(result.worker_outcome, result.test_outcome)
            counts[kind] += 1
            if kind == "killed" and (result.output or "").strip() == "timeout":
                counts["timeouts"] += 1
            if kind != "survived":
                continue
            (mutation,) = item.mutations
            lines = change(result.diff)
            key = (session.module, mutation.operator_name, mutation.occurrence, tuple(lines))
            entry = triage.get(key, {"outcome": "untriaged", "why": None})
            counts[entry["outcome"]] += 1
            survivors.append({
                "module": session.module,
                "operator": mutation.operator_name,
                "occurrence": mutation.occurrence,
                "line": mutation.start_pos[0],
                "change": lines,
                "job_id": item.job_id,
                "triage": entry["outcome"],
                "why": entry["why"],
            })  # fmt: skip
    judged = counts["killed"] + counts["survived"]
    excused = counts["equivalent"] + counts["local-policy"]
    tested = judged + counts["incompetent"] + counts["no-test"]
    return {
        "module": session.module,
        "modes": modes,
        "mutants": counts["mutants"],
        "skipped": counts["skipped"],
        "tested": tested,
        "pending": counts["mutants"] - counts["skipped"] - tested,
        "killed": counts["killed"],
        "timeouts": counts["timeouts"],
        "survived": counts["survived"],
        "equivalent": counts["equivalent"],
        "local_policy": counts["local-policy"],
        "untriaged": counts["untriaged"],
        "incompetent": counts["incompetent"] + counts["no-test"],
        "kill_rate": _rate(counts["killed"], judged),
        "kill_rate_non_equivalent": _rate(counts["killed"], judged - excused),
        "minutes": round(seconds / 60, 1),
        "seconds_per_mutant": round(seconds / tested, 2) if tested else None,
        "survivors": sorted(survivors, key=lambda s: (s["line"], s["operator"])),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def format_table(modules: list[dict]) -> str:
    head = ("module", "mutants", "tested", "killed", "survived", "equiv", "policy", "untriaged",
            "kill%", "kill% non-eq", "min")  # fmt: skip
    rows = [head]
    for m in modules:
        rows.append((
            m["module"], str(m["mutants"]), str(m["tested"]), str(m["killed"]),
            str(m["survived"]), str(m["equivalent"]), str(m["local_policy"]), str(m["untriaged"]),
            _percent(m["kill_rate"]), _percent(m["kill_rate_non_equivalent"]), f"{m['minutes']:g}",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                  enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows
    )  # fmt: skip


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}"
