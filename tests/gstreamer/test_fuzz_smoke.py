"""CI's one-minute smoke campaign against GStreamer (issue 6): its known endless loop
(suts/expectations/gstreamer.json) is found again, and the finding replays."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from suts.gstreamer.binding import Gst
from tests.fuzz.campaigns import ROOT, smoke_campaign


def test_one_minute_against_gstreamer_finds_its_endless_loop(tmp_path: Path, gst: Gst) -> None:
    run = smoke_campaign(tmp_path, "--sut", "gstreamer", "--max-findings", "3")
    assert run.returncode == 1, run.stdout + run.stderr
    documents = {
        path: json.loads(path.read_text())
        for path in sorted((tmp_path / "smoke" / "findings").glob("*.json"))
    }
    hangs = [path for path, doc in documents.items() if doc["oracle"] == "hang"]
    assert hangs, {path.name: doc["oracle"] for path, doc in documents.items()}
    replay = subprocess.run(
        [sys.executable, "-m", "conformance.cli", "replay", str(hangs[0])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert "reproduces: hang" in replay.stdout
