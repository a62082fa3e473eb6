"""The suite has teeth: every mutant in the bank fails the requirement it breaks.

Each mutant is a deliberately non-conformant variant of the built-in SUT that
breaks exactly one requirement. The conformance tests citing that
requirement run against it (as `mikeyconf run --sut tests.mutants.bank:<name>
--requirement ID` would) and must give that requirement the verdict "fail". The clean
reference must pass everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.requirements import load
from tests.mutants.bank import MUTANTS

ROOT = Path(__file__).resolve().parents[2]


def run_suite(sut: str, out: Path, *options: str) -> tuple[int, dict[str, Any], str]:
    """Run the suite against `sut`; return exit status, results.json, output."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "run",
            "--sut",
            sut,
            "--out",
            str(out),
            "--run-id",
            "run",
            "--quiet",
            *options,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        # pytest keeps the suite's rewritten test modules only where bytecode may be
        # written: one run per mutant, so the cache saves each about a second and a half.
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    )
    results_file = out / "run" / "results.json"
    output = done.stdout + done.stderr
    assert results_file.exists(), f"no results.json; output:\n{output}"
    return done.returncode, json.loads(results_file.read_text()), output


def test_clean_reference_passes_everything(tmp_path: Path) -> None:
    status, results, output = run_suite("builtin", tmp_path)
    bad = [r for r in results["results"] if r["verdict"] not in ("pass", "not-applicable")]
    assert not bad, [(r["test_id"], r["verdict"], r["reason"]) for r in bad]
    assert status == 0, output
    assert any(r["verdict"] == "pass" for r in results["results"])


def test_bank_is_large_enough_and_cites_known_requirements() -> None:
    assert len(MUTANTS) >= 20
    catalog = load()
    for name, mutant in MUTANTS.items():
        assert mutant.breaks in catalog, f"{name} breaks unknown requirement {mutant.breaks}"


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_killed_by_the_requirement_it_breaks(name: str, tmp_path: Path) -> None:
    mutant = MUTANTS[name]
    # Only the tests citing the broken requirement: the verdict that matters is its own.
    status, results, output = run_suite(
        f"tests.mutants.bank:{name}", tmp_path, "--requirement", mutant.breaks
    )
    verdicts = results["requirements"].get(mutant.breaks, {}).get("verdict")
    assert verdicts == "fail", (
        f"mutant {name} ({mutant.description}) survived: requirement {mutant.breaks} "
        f"got {verdicts!r}\n{output[-3000:]}"
    )
    errors = [r["test_id"] for r in results["results"] if r["verdict"] == "error"]
    assert not errors, f"harness errors against mutant {name}: {errors}"
    level = load()[mutant.breaks].level
    if level.startswith("MUST"):
        assert status == 1, output[-3000:]
