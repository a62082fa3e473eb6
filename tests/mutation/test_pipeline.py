"""`python -m tools.mutation` end to end on a tiny scope, so the command cannot rot:
cosmic-ray mutates the SUT's copy, `mikeyconf run` judges, the report has its shape,
and a second run resumes the session instead of starting over."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tools.mutation.report import load_triage
from tools.mutation.sandbox import ROOT

MODULE = "mikey/modes/rsar_responder.py"
OPERATORS = "ReplaceComparisonOperator_NotEq_Eq$"
"""`counts[Timestamp] != 1` and `counts[Sign] != 1` (RFC 4738 3.1) turned into `==`:
the responder then rejects every valid I_MESSAGE, which the RSA-R tests must see."""


def mutation(out: Path) -> subprocess.CompletedProcess[str]:
    argv = ["--module", MODULE, "--operators", OPERATORS, "--budget", "5m", "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "tools.mutation", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def module_row(out: Path) -> dict[str, Any]:
    data = json.loads((out / "mutation.json").read_text(encoding="utf-8"))
    assert data["schema"] == "mikey-mutation/1"
    (row,) = data["modules"]
    return dict(row)


@pytest.mark.slow
def test_a_tiny_run_kills_its_mutants_and_resumes(tmp_path: Path) -> None:
    done = mutation(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"the SUT imports {tmp_path / 'copy' / 'mikey' / '__init__.py'}" in done.stdout
    row = module_row(tmp_path)
    assert row["module"] == MODULE and row["modes"] == ["RSA-R"]
    assert row["tested"] >= 2 and row["pending"] == 0
    assert row["skipped"] == row["mutants"] - row["tested"]
    assert row["killed"] == row["tested"] and row["survived"] == 0
    assert row["kill_rate"] == 1.0 and row["survivors"] == []
    table = (tmp_path / "mutation.txt").read_text(encoding="utf-8")
    first = table.splitlines()[1].split()
    assert first[:4] == [MODULE, str(row["mutants"]), str(row["tested"]), str(row["killed"])]
    # The clean tree was never mutated; the copy is back to it after each mutant.
    assert (tmp_path / "copy" / MODULE).read_bytes() == (ROOT / MODULE).read_bytes()

    again = mutation(tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{MODULE}: 0 mutants" in again.stdout
    assert module_row(tmp_path)["killed"] == row["killed"]


def test_the_triage_file_is_well_formed() -> None:
    path = ROOT / "tests" / "mutation" / "equivalent.json"
    entries = load_triage(path)
    outcomes = Counter(entry["outcome"] for entry in entries.values())
    assert json.loads(path.read_text(encoding="utf-8"))["counts"] == dict(outcomes)
    for (module, _operator, _occurrence, change), entry in entries.items():
        assert (ROOT / module).is_file(), module
        assert change and all(line[:2] in ("- ", "+ ") for line in change), entry
