"""`mikeyconf run --baseline`: a mutant's run gates the next runs; only new failures count."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_run_end_to_end import mikeyconf

FILE = "rfc3830/test_psk_responder.py"
TIMING = "rfc3830/test_timing_responder.py"
MAC_MUTANT = "tests.mutants.bank:skips_mac_check"
REPLAY_MUTANT = "tests.mutants.bank:accepts_replays"


def run(out: Path, run_id: str, sut: str, *args: str) -> tuple[int, str]:
    done = mikeyconf("run", "--sut", sut, "--out", str(out), "--run-id", run_id, "-q",
                     "--test", FILE, "--test", TIMING, *args)  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def test_only_failures_the_baseline_lacks_count(tmp_path: Path) -> None:
    status, output = run(tmp_path, "base", MAC_MUTANT)
    assert status == 1, output
    baseline = tmp_path / "base" / "results.json"

    status, output = run(tmp_path, "same", MAC_MUTANT, "--baseline", str(baseline))
    assert status == 0, output  # the same five failures: none is new
    assert "0 new failures" in output and "5 failures also in the baseline" in output
    assert output.rstrip().endswith("no failure that the baseline did not have.")

    status, output = run(tmp_path, "other", REPLAY_MUTANT, "--baseline", str(baseline))
    assert status == 1, output
    new = output.split("1 new failures (counted):\n", 1)[1].splitlines()[0].strip()
    assert new == f"{TIMING}::test_a_replayed_message_is_refused[PSK-update]"
    assert "5 baseline failures that now pass:" in output
    results = json.loads((tmp_path / "other" / "results.json").read_text(encoding="utf-8"))
    assert results["summary"]["baseline"]["new_failures"] == [new]
    assert results["run"]["baseline"] == str(baseline.resolve())


def test_a_bad_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text('{"run_id": "x"}', encoding="utf-8")
    done = mikeyconf("run", "--out", str(tmp_path / "reports"), "--baseline",
                     str(tmp_path / "run.json"))  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mikeyconf: error: baseline {(tmp_path / 'run.json').resolve()}: "
        "not a mikey-conformance results.json"
    ]
    assert not (tmp_path / "reports").exists()
