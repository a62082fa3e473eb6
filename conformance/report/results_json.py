"""results.json: the machine-readable record of one run.

Its shape is the JSON schema beside this module (results.schema.json, draft
2020-12), versioned by "schema_version": a change that could break a reader
bumps it. A run's results.json can serve as the next run's baseline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from conformance.report.baseline import Comparison, exit_meaning
from conformance.report.model import (
    RunInfo,
    Summary,
    exit_status,
)

SCHEMA_VERSION = 3
"""2 added the verdict unexpected-pass, expectations, the baseline and the run's options;
3 the verdict inconclusive, each result's precondition and the summary's root causes."""
SUITE_NAME = "mikey-conformance"
SCHEMA_PATH = resources.files("conformance.report").joinpath("results.schema.json")


def load_schema() -> dict[str, Any]:
    """The JSON schema results.json follows."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def build_results(
    run: RunInfo,
    summary: Summary,
    problems: Sequence[str],
    comparison: Comparison | None = None,
) -> dict[str, Any]:
    """The results.json document for `summary` (problems: harness failures)."""
    known = comparison.known if comparison else ()
    status = exit_status(summary, run.strict, harness_failed=bool(problems), known=known)
    return {
        "schema_version": SCHEMA_VERSION,
        "suite": {"name": SUITE_NAME, "version": run.suite_version},
        "run": run.to_json(),
        "sut": {"spec": run.sut, "profile": run.profile},
        "summary": {
            "total": len(summary.results),
            "by_verdict": summary.totals,
            "by_mode": summary.by_mode,
            "failures": len(summary.failures),
            "should_failures": len(summary.should_failures),
            "unexpected_passes": len(summary.unexpected_passes),
            "expected_deviations": len(summary.deviations),
            "inconclusive": len(summary.inconclusive),
            "inconclusive_counted": len(summary.unaccounted()),
            "root_causes": [
                {
                    "requirement": c.id,
                    "level": c.level,
                    "blocks": c.blocks,
                    "failed": list(c.failed),
                    "inconclusive": list(c.blocked),
                }
                for c in summary.root_causes
            ],
            "expectations": run.expectations,
            "baseline": comparison.to_json() if comparison else None,
            "strict": run.strict,
            "harness_problems": list(problems),
            "exit_status": status,
            "exit_meaning": exit_meaning(status, comparison, summary),
        },
        "requirements": {
            req.id: {
                "rfc": req.rfc,
                "section": req.section,
                "level": req.level,
                "verdict": req.verdict,
                "tests": list(req.tests),
                **({"reading": req.reading} if req.reading else {}),
            }
            for req in summary.requirements.values()
        },
        "results": [r.to_json() for r in summary.results],
    }


def write_results(path: Path, document: dict[str, Any]) -> None:
    """Write results.json (UTF-8, indented, a newline at the end)."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
