"""Resuming an interrupted run: `mikeyconf run --resume RUN_DIR`.

The plugin appends one journal line per finished test and flushes it at once,
so a run killed at any point leaves every finished result on disk. Resuming
reruns, with the options stored in the run's run.json, only the tests the
journal holds no result of, appends to the same journal, and renders the
reports over the whole of it: nothing is redone and nothing lost. A last
line cut short by the kill is dropped first, and its test runs again.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from conformance.report.model import RunInfo

RUN_OPTIONS = (
    "sut",
    "mode",
    "role",
    "test",
    "requirement",
    "strict",
    "show_secrets",
    "profile",
    "expectations",
    "no_expectations",
    "baseline",
    "workers",
    "quiet",
    "call_timeout",
    "exitfirst",
)
"""The `mikeyconf run` options a run stores in run.json and a resume reuses."""

NEWER_OPTIONS = {"call_timeout": None, "exitfirst": False}
"""Options that runs made before them did not store, and what such a run used."""

RESUME_MAY_CHANGE = frozenset({"resume", "quiet"})
"""Options that may be given together with --resume."""


class ResumeError(ValueError):
    """A run that cannot be resumed as asked: one line."""


def stored_options(
    options: argparse.Namespace, expectations: Path | None, baseline: Path | None
) -> dict[str, Any]:
    """What run.json keeps of a run's options: paths absolute, the expectations resolved."""
    stored = {name: getattr(options, name) for name in RUN_OPTIONS}
    stored.update(
        profile=None if options.profile is None else str(Path(options.profile).resolve()),
        expectations=None if expectations is None else str(expectations),
        no_expectations=expectations is None,
        baseline=None if baseline is None else str(baseline),
    )
    return stored


def check_alone(options: argparse.Namespace, defaults: argparse.Namespace) -> None:
    """--resume takes the stored options: any other run option is an error."""
    for name, value in vars(options).items():
        if name not in RESUME_MAY_CHANGE and value != getattr(defaults, name, value):
            flag = "--" + name.replace("_", "-")
            raise ResumeError(f"--resume reuses the options of the run it resumes; drop {flag}")


def resumed_options(
    info: RunInfo, options: argparse.Namespace, defaults: argparse.Namespace
) -> argparse.Namespace:
    """The options of the interrupted run, as a `mikeyconf run` namespace."""
    stored = {**NEWER_OPTIONS, **info.options}
    missing = [name for name in RUN_OPTIONS if name not in stored]
    if missing:
        raise ResumeError(f"run {info.run_id} stored no {missing[0]} option: it cannot be resumed")
    merged = argparse.Namespace(**vars(defaults))
    for name in RUN_OPTIONS:
        setattr(merged, name, stored[name])
    merged.quiet = merged.quiet or options.quiet
    return merged


def trim_journal(path: Path) -> bool:
    """Drop a last line cut short (no newline) from the journal; say whether there was one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    if not data or data.endswith(b"\n"):
        return False
    with path.open("r+b") as journal:
        journal.truncate(data.rfind(b"\n") + 1)
    return True
