"""The suite gives the same verdicts through the reference shim as in-process (issue 3).

The whole suite on the built-in reference and on `shim:'python -m
suts.shim.reference'`; then a mutant (a SUT that fails) in-process and behind
the same shim, so that failures, not only passes, are shown to come through.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from tests.shim.conftest import PYTHON, REFERENCE, ROOT

MUTANT = "tests.mutants.bank:skips_mac_check"


def verdicts(tmp_path: Path, run_id: str, sut: str, *selection: str) -> dict[str, str]:
    """Run `mikeyconf run` on `sut`; the verdict of each test, by test ID."""
    argv = [PYTHON, "-m", "conformance.cli", "run", "-q", "--sut", sut, *selection]
    argv += ["--out", str(tmp_path), "--run-id", run_id]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stdout[-2000:] + done.stderr
    results = json.loads((tmp_path / run_id / "results.json").read_text(encoding="utf-8"))
    return {r["test_id"]: r["verdict"] for r in results["results"]}


def shim(*args: str) -> str:
    return "shim:" + shlex.join([*REFERENCE, *args])


def test_the_whole_suite_gives_the_same_verdicts_through_the_reference_shim(
    tmp_path: Path,
) -> None:
    inside = verdicts(tmp_path, "builtin", "builtin")
    through = verdicts(tmp_path, "shim", shim())
    assert len(inside) > 300 and through == inside


def test_a_mutant_fails_the_same_tests_through_the_reference_shim(tmp_path: Path) -> None:
    inside = verdicts(tmp_path, "builtin", MUTANT, "--mode", "PSK")
    through = verdicts(tmp_path, "shim", shim(MUTANT), "--mode", "PSK")
    assert "fail" in inside.values() and through == inside
