"""`mikeyconf run --expectations` end to end, against a mutant that skips the MAC check.

The mutant fails five PSK responder tests; listed in an expectations file they
are expected deviations (exit 0), the same file against the clean reference
gives unexpected passes (exit 1), and a stale entry is a harness error (exit 2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from conformance.report.results_json import load_schema
from tests.cli.test_run_end_to_end import mikeyconf
from tests.report.journals import MAC

MUTANT = "tests.mutants.bank:skips_mac_check"
FILE = "rfc3830/test_psk_responder.py"
FAILING = [
    f"{FILE}::test_rejects_a_message_whose_mac_does_not_verify[*]",
    f"{FILE}::test_rejects_a_message_under_another_pre_shared_key",
]
WHY = "RFC 3830 5.3: the MAC MUST be verified; this mutant never checks it"


def expectations(tmp_path: Path, *tests: str) -> str:
    path = tmp_path / "mutant.json"
    deviations = [{"test": t, "requirements": [MAC], "reason": WHY} for t in tests]
    path.write_text(json.dumps({"sut": "skips_mac_check", "deviations": deviations}))
    return str(path)


def run(tmp_path: Path, sut: str, *args: str) -> tuple[int, dict[str, Any], str]:
    """Run the PSK responder tests; return the exit status, results.json and the output."""
    out = tmp_path / "reports"
    done = mikeyconf("run", "--sut", sut, "--out", str(out), "--run-id", "r", "-q",
                     "--test", FILE, *args)  # fmt: skip
    results = json.loads((out / "r" / "results.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(results)
    return done.returncode, results, done.stdout + done.stderr


def verdicts(results: dict[str, Any]) -> dict[str, int]:
    counts = results["summary"]["by_verdict"]
    return {verdict: n for verdict, n in counts.items() if n}


def test_listed_failures_are_expected_deviations(tmp_path: Path) -> None:
    path = expectations(tmp_path, *FAILING)
    status, results, output = run(tmp_path, MUTANT, "--expectations", path)
    assert status == 0, output
    assert verdicts(results) == {"pass": 18, "expected-deviation": 4}
    listed = [r for r in results["results"] if r["expectation"]]
    assert {r["verdict"] for r in listed} == {"expected-deviation"}
    assert all(r["expectation"]["reason"] == WHY and r["reason"] for r in listed)
    assert "Expected deviations (listed in" in output and WHY in output
    report = (tmp_path / "reports" / "r" / "report.html").read_text(encoding="utf-8")
    assert "<h2>Expected deviations</h2>" in report and WHY in report
    junit = (tmp_path / "reports" / "r" / "junit.xml").read_text(encoding="utf-8")
    assert len(re.findall(r'<skipped type="pytest.xfail" message="known deviation', junit)) == 4


def test_listed_tests_that_pass_are_unexpected_passes(tmp_path: Path) -> None:
    status, results, output = run(
        tmp_path, "builtin", "--expectations", expectations(tmp_path, *FAILING)
    )
    assert status == 1, output
    assert verdicts(results) == {"pass": 18, "unexpected-pass": 4}
    assert "Unexpected passes (listed in" in output
    junit = (tmp_path / "reports" / "r" / "junit.xml").read_text(encoding="utf-8")
    assert junit.count('<failure message="[XPASS(strict)] known deviation') == 4


def test_an_entry_matching_no_test_is_a_harness_error(tmp_path: Path) -> None:
    stale = f"{FILE}::test_that_was_renamed"
    # An entry for a test outside the selection (the codec tests) is not stale.
    path = expectations(tmp_path, *FAILING, "rfc3830/test_codec_decoder.py::*", stale)
    status, results, output = run(tmp_path, MUTANT, "--expectations", path)
    assert status == 2, output
    problem = f"expectations {path}: entry 4 ('{stale}') matches no test in the suite"
    assert results["summary"]["harness_problems"] == [problem]
    assert problem in output
    assert verdicts(results) == {"pass": 18, "expected-deviation": 4}  # the run went on


def test_a_bad_file_is_a_one_line_error_before_the_run(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"sut": "x", "deviations": [{"test": "a.py::t"}]}))
    done = mikeyconf("run", "--out", str(tmp_path / "reports"), "--expectations", str(path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mikeyconf: error: expectations {path}: entry 1 ('a.py::t'): "
        "'reason' must be a non-empty string"
    ]
    assert not (tmp_path / "reports").exists()
