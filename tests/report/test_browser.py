"""report.html in a real browser: headless Chromium at 1400 x 900 renders the report of a
real run (tests/report/real_run.py), and tests/report/probe.js reports what it shows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from conformance.report.model import read_journal
from tests.report.real_run import FAILING

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = Path(__file__).with_name("probe.js")
WIDTH = 1400

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (the Debian package; .ci/run installs it)"
)


def probe(page: Path) -> dict[str, object]:
    """Open a copy of `page` (beside it, so relative links resolve alike) with the probe."""
    copy = page.with_name("probe-" + page.name)
    script = f"<script>\n{PROBE.read_text(encoding='utf-8')}</script>\n</body>"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--window-size={WIDTH},900", "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    found = re.findall(r'<pre id="probe">(\{.*?)</pre>', done.stdout, re.S)
    assert found, f"chromium exited {done.returncode}: {done.stderr[-2000:]}"
    result: dict[str, object] = json.loads(unescape(found[-1]))
    return result


def test_the_report_reads_top_down_and_fits_1400_px(secret_run: Path) -> None:
    seen = probe(secret_run / "report.html")
    tops = seen["tops"]
    assert isinstance(tops, dict)
    assert tops["glance"] < tops["rootCauses"] < tops["failures"] < tops["matrix"], tops
    assert tops["rootCauses"] < 900, "the root causes start below the first screen"
    assert seen["glanceHeight"] > 0 and seen["viewport"] == WIDTH
    assert seen["scrollWidth"] == seen["width"], "horizontal overflow as the page opens"
    assert seen["scrollWidthUnfolded"] == seen["width"], "horizontal overflow, every fold open"


def test_links_resolve_and_the_filters_narrow_the_page(secret_run: Path) -> None:
    seen = probe(secret_run / "report.html")
    assert seen["missingAnchors"] == []
    files = seen["files"]
    assert isinstance(files, list) and "run.pcap" in files
    assert "pcap/keys.log" in files  # the run kept its secrets
    assert all((secret_run / f).is_file() for f in files), files
    index = json.loads((secret_run / "pcap" / "index.json").read_text(encoding="utf-8"))
    assert index["tests"][FAILING]["file"] in files
    failed = [r for r in read_journal(secret_run / "journal.jsonl").results if r.verdict == "fail"]
    assert failed and seen["rowsShown"] == seen["cardsShown"] == ["fail"] * len(failed)
    assert seen["filterCount"] == f"{len(failed)} of {len(index['tests'])} tests shown"


def test_the_probe_sees_overflow(tmp_path: Path) -> None:
    """The width check can fail: a page wider than the window is caught."""
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><html><body><section id="glance">x</section><section id="failures">'
        '<form id="filters"><select name="verdict"><option value="fail">fail</option></select>'
        '<output id="filter-count"></output></form></section><section id="matrix">'
        f'<div style="width:{2 * WIDTH}px">wide</div></section></body></html>',
        encoding="utf-8",
    )
    seen = probe(page)
    assert seen["scrollWidth"] > seen["width"]
