"""The codec conformance tests against real SUTs: the reference passes, every codec mutant fails.

Runs conformance/rfc3830/test_codec_*.py as a vendor would (pytest with the
mikeyconf plugin, `--sut ...`), reads the journal the plugin writes, and checks
the verdicts: all "pass" for the built-in SUT; for each mutant of
tests/mutants/codec_mutants.py, "fail" on the requirement it breaks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.corpus import malformations, valid_samples
from tests.mutants.bank import MUTANTS

ROOT = Path(__file__).resolve().parents[2]
CODEC_TESTS = sorted(str(p) for p in (ROOT / "conformance" / "rfc3830").glob("test_codec_*.py"))
CODEC_MUTANTS = sorted(
    n for n, m in MUTANTS.items() if m.factory.__module__.endswith("codec_mutants")
)


def run_codec_tests(sut: str, tmp_path: Path) -> tuple[int, list[dict[str, Any]], str]:
    """Exit status, journal records and output of the codec tests run against `sut`."""
    journal = tmp_path / "journal.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *CODEC_TESTS, "--sut", sut, "--mikey-journal",
         str(journal), "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert journal.exists(), output[-3000:]
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    return done.returncode, records, output


def test_the_codec_tests_are_there() -> None:
    assert [Path(p).name for p in CODEC_TESTS] == ["test_codec_decoder.py", "test_codec_encoder.py"]
    assert len(CODEC_MUTANTS) >= 6


def test_builtin_passes_every_codec_test(tmp_path: Path) -> None:
    status, records, output = run_codec_tests("builtin", tmp_path)
    assert status == 0, output[-3000:]
    assert len(records) == 2 * len(valid_samples()) + len(malformations())
    bad = [(r["test_id"], r["verdict"], r["reason"]) for r in records if r["verdict"] != "pass"]
    assert not bad, bad[:5]
    assert {r["mode"] for r in records} == {"codec"}


@pytest.mark.parametrize("name", CODEC_MUTANTS)
def test_codec_mutant_fails_the_requirement_it_breaks(name: str, tmp_path: Path) -> None:
    mutant = MUTANTS[name]
    status, records, output = run_codec_tests(f"tests.mutants.bank:{name}", tmp_path)
    failed = [r for r in records if r["verdict"] == "fail"]
    assert any(mutant.breaks in r["requirements"] for r in failed), (
        f"mutant {name} ({mutant.description}) survived: no failed test cites {mutant.breaks}"
    )
    assert not [r["test_id"] for r in records if r["verdict"] == "error"], output[-3000:]
    assert status == 1, output[-3000:]
