"""One module's cosmic-ray session: created once, then worked through within a deadline.

The session is cosmic-ray's own sqlite file beside its TOML config, so a stopped run
resumes where it stopped, and cosmic-ray's tools read it as well
(`cr-report SESSION`, `cosmic-ray exec CONFIG SESSION`).
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cosmic_ray.commands import init
from cosmic_ray.config import serialize_config
from cosmic_ray.mutating import mutate_and_test
from cosmic_ray.work_db import WorkDB, WorkResultStorage, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkItem, WorkResult


@dataclass(frozen=True)
class Session:
    module: str
    """Repository-relative path of the module, e.g. mikey/modes/replay.py."""
    sqlite: Path
    config: Path

    @classmethod
    def at(cls, sessions: Path, module: str) -> Session:
        stem = module.removesuffix(".py").replace("/", ".")
        return cls(module, sessions / f"{stem}.sqlite", sessions / f"{stem}.toml")


def create(
    session: Session,
    target: Path,
    command: str,
    timeout: float,
    operators: str | None = None,
    limit: int | None = None,
) -> None:
    """Write the config and, if the session is new, list every mutant of `target`.

    `operators` (a regex) keeps only the operators it matches; `limit` keeps that many
    mutants (cosmic-ray's random order); the others are recorded as skipped.
    """
    config = {
        "module-path": str(target),
        "timeout": timeout,
        "excluded-modules": [],
        "test-command": command,
        "distributor": {"name": "local"},
    }
    session.config.parent.mkdir(parents=True, exist_ok=True)
    session.config.write_text(serialize_config(config), encoding="utf-8")
    if not session.sqlite.exists():
        with use_db(session.sqlite, WorkDB.Mode.create) as db:
            init([target], db, {})
            kept = 0
            for item in db.pending_work_items:
                (mutation,) = item.mutations
                if operators is not None and not re.search(operators, mutation.operator_name):
                    why = f"operator not matched by {operators!r}"
                elif limit is not None and kept >= limit:
                    why = f"over the limit of {limit} mutants"
                else:
                    kept += 1
                    continue
                db.set_result(item.job_id, WorkResult(WorkerOutcome.SKIPPED, output=why))
    skip_annotations(session, target)


def skip_annotations(session: Session, target: Path) -> None:
    """Record the mutants inside type annotations as skipped, tested or not: under
    `from __future__ import annotations` Python never evaluates them, so no test can
    tell such a mutant from the original (an equivalent mutant by construction)."""
    spans = annotation_spans(target.read_text(encoding="utf-8"))
    if not spans:
        return
    why = "in a type annotation, never evaluated (from __future__ import annotations)"
    with use_db(session.sqlite, WorkDB.Mode.open) as db:
        for item in db.work_items:
            (mutation,) = item.mutations
            start, end = tuple(mutation.start_pos), tuple(mutation.end_pos)
            if any(low <= start and end <= high for low, high in spans):
                db.set_result(item.job_id, WorkResult(WorkerOutcome.SKIPPED, output=why))


Span = tuple[tuple[int, int], tuple[int, int]]


def annotation_spans(source: str) -> list[Span]:
    """(line, column) ranges of the annotations of a module that postpones them."""
    tree = ast.parse(source)
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    if not postponed:
        return []
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            found.append(node.returns)
    return [
        ((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0)) for a in found
    ]


def forget_survivors(session: Session, keep: Callable[[WorkItem, WorkResult], bool]) -> int:
    """Make the survivors pending again (to judge them with a suite that has grown), but
    those `keep` says to keep."""
    with use_db(session.sqlite, WorkDB.Mode.open) as db:
        survivors = [
            item.job_id
            for item, result in db.completed_work_items
            if result.test_outcome == TestOutcome.SURVIVED and not keep(item, result)
        ]
        with db._session_maker.begin() as sql:  # cosmic-ray has no API to drop a result
            sql.query(WorkResultStorage).where(WorkResultStorage.job_id.in_(survivors)).delete()
    return len(survivors)


def work(session: Session, target: Path, command: str, timeout: float, deadline: float) -> int:
    """Test pending mutants of `target` until none is left or `deadline`
    (time.monotonic()) has passed; a started mutant finishes. Returns how many were tested.
    """
    done = 0
    with use_db(session.sqlite, WorkDB.Mode.open) as db:
        for item in db.pending_work_items:
            if time.monotonic() >= deadline:
                break
            (mutation,) = item.mutations
            if Path(mutation.module_path) != target:  # a session copied from another --out
                raise ValueError(f"{session.sqlite} mutates {mutation.module_path}, not {target}")
            db.set_result(item.job_id, mutate_and_test(item.mutations, command, timeout))
            done += 1
    return done
