"""Issue 14 part 2: every rejection decision of the reference is taken by the SUT in some
conformance test, or tests/decisions/unexercised.json says why not (docs/design.md
"Rejection-path coverage")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mikey.wire import DecodeError, decode_message
from tests.decisions.measure import PEER, as_sut, new_coverage, taken
from tests.decisions.points import decisions
from tests.decisions.reasons import load_reasons

ROOT = Path(__file__).resolve().parents[2]


def test_decision_ids_are_unique_and_name_module_function_kind_detail() -> None:
    points = decisions()
    ids = [d.id for d in points]
    assert len(ids) == len(set(ids))
    assert len(points) > 100
    for d in points:
        module, qualname, kind, detail = d.id.split(":")
        assert module.startswith(("modes.", "wire.")) and qualname and detail, d.id
        assert kind in ("error", "discard", "reject", "decode"), d.id
        assert d.path.startswith(("mikey/modes/", "mikey/wire/")) and d.line > 0, d.id


def _decode(data: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_message(data)


def test_a_decision_counts_only_when_it_runs_in_the_sut_context() -> None:
    """The too-short HDR check runs as the SUT, the version check only as the peer."""
    points = [d for d in decisions() if d.path == "mikey/wire/header.py"]
    short = next(d for d in points if "a-common-header" in d.id)
    version = next(d for d in points if d.id.endswith(":decode:version"))
    cov = new_coverage()
    cov.start()
    try:
        cov.switch_context(PEER)
        with as_sut():
            _decode(b"\x01")
        _decode(b"\x02" + bytes(9))
    finally:
        cov.stop()
    by_sut, by_peer = taken(cov, points)
    assert short.id in by_sut and short.id not in by_peer
    assert version.id in by_peer and version.id not in by_sut


def test_the_reasons_file_is_well_formed() -> None:
    reasons = load_reasons()
    assert all(isinstance(v, str) and len(v) > 20 for v in reasons.values())


def test_every_decision_is_taken_by_the_sut_or_has_a_reason(tmp_path: Path) -> None:
    """The whole builtin run under coverage (about 22 s of CPU), as
    `python -m tests.decisions` runs it."""
    out = tmp_path / "decisions.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.decisions", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["status"] == 0, done.stdout[-3000:]
    assert not report["problems"], "\n".join(report["problems"])
    assert done.returncode == 0, done.stderr[-3000:]
