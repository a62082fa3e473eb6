"""The suite against GStreamer, as CI runs it: it completes, and every deviation is the listed one.

`mikeyconf run --sut gstreamer` reads suts/expectations/gstreamer.json: each
failure must be listed there (expected-deviation), each entry must match a
failing test (no unexpected-pass, no stale entry), and nothing else may fail. A test
whose vehicle fails on GStreamer's I_MESSAGE is inconclusive, and only when the run
accounts for it (its precondition's tests fail as listed deviations: not counted).
An encoder test whose message needs what GStreamer's codec does not implement
(suts.gstreamer.sut.CODEC) is not applicable, and no entry names a test that is.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from conformance.checks import codec_lacks
from conformance.corpus import valid_samples
from conformance.expectations import load as load_expectations
from suts.gstreamer.binding import Gst
from suts.gstreamer.sut import CODEC
from tests.cli.test_run_end_to_end import mikeyconf

EXPECTATIONS = Path(__file__).resolve().parents[2] / "suts" / "expectations" / "gstreamer.json"


def test_the_suite_runs_against_gstreamer_with_only_the_listed_deviations(
    gst: Gst, tmp_path: Path
) -> None:
    done = mikeyconf("run", "--sut", "gstreamer", "--out", str(tmp_path), "--run-id", "gst", "-q")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "gst" / "results.json").read_text(encoding="utf-8"))
    verdicts = Counter(r["verdict"] for r in results["results"])
    assert set(verdicts) <= {"pass", "not-applicable", "expected-deviation", "inconclusive"}
    assert results["summary"]["inconclusive_counted"] == 0, verdicts
    assert verdicts["pass"] > 0 and verdicts["expected-deviation"] > 0
    deviating = [r["test_id"] for r in results["results"] if r["verdict"] == "expected-deviation"]
    expectations = load_expectations(EXPECTATIONS)
    assert expectations.unmatched(deviating) == []
    encoder = "rfc3830/test_codec_encoder.py::test_message_is_encoded_as_rfc3830_section_6_says"
    lacking = {f"{encoder}[{s.name}]" for s in valid_samples() if codec_lacks(CODEC, s.message)}
    waived = {r["test_id"] for r in results["results"] if r["verdict"] == "not-applicable"}
    assert lacking and lacking <= waived
    stale = [test_id for test_id in waived if expectations.match(test_id)]
    assert not stale, f"expectations entries for not-applicable tests: {stale[:5]}"
