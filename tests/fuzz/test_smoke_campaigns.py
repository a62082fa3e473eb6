"""CI's one-minute smoke campaign against the reference (issue 6): it finds nothing.
The one against GStreamer is tests/gstreamer/test_fuzz_smoke.py."""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.campaigns import smoke_campaign


def test_one_minute_against_the_reference_finds_nothing(tmp_path: Path) -> None:
    run = smoke_campaign(tmp_path, "--sut", "builtin")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fuzz run smoke:" in run.stdout
    assert not list((tmp_path / "smoke" / "findings").glob("*.json"))
