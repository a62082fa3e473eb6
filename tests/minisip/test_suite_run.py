"""The whole suite against minisip, as CI runs it: exit 0, every failure a listed deviation.

`mikeyconf run --sut minisip` reads suts/expectations/minisip.json: each failure must
be listed there (expected-deviation), each entry must match a failing test (no
unexpected-pass, no stale entry), and nothing else may fail. A test whose vehicle fails
under a listed deviation is inconclusive (docs/reports.md): none may count as a failure,
each names a precondition some expected deviation cites, and an entry may list it (it
then matches an inconclusive test, which keeps it valid). The five modes minisip
implements must each have passing tests; the modes and roles it lacks (SAKKE, the codec)
are not applicable, never failed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from conformance.expectations import load as load_expectations
from tests.minisip.conftest import MinisipBuild
from tests.subprocess_cli import mikeyconf

EXPECTATIONS = Path(__file__).resolve().parents[2] / "suts" / "expectations" / "minisip.json"
MODES = {"PSK", "PK", "DH", "DH-HMAC", "RSA-R"}


def test_the_suite_runs_against_minisip_with_only_the_listed_deviations(
    minisip: MinisipBuild, tmp_path: Path
) -> None:
    start = time.monotonic()
    done = mikeyconf("run", "--sut", "minisip", "--out", str(tmp_path), "--run-id", "ms", "-q")
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    document = json.loads((tmp_path / "ms" / "results.json").read_text(encoding="utf-8"))
    results = document["results"]
    verdicts = Counter(r["verdict"] for r in results)
    assert set(verdicts) <= {"pass", "not-applicable", "expected-deviation", "inconclusive"}
    assert document["summary"]["inconclusive_counted"] == 0, document["summary"]
    cited = {q for r in results if r["verdict"] == "expected-deviation" for q in r["requirements"]}
    blocked = {r["test_id"]: r["precondition"]["requirement"] for r in results if r["precondition"]}
    assert {t: q for t, q in blocked.items() if q not in cited} == {}
    passing = {r["mode"] for r in results if r["verdict"] == "pass"}
    assert passing >= MODES, passing
    for r in results:
        if r["mode"] not in MODES:
            assert r["verdict"] == "not-applicable", r["test_id"]
    deviating = [r["test_id"] for r in results if r["verdict"] == "expected-deviation"]
    expectations = load_expectations(EXPECTATIONS)
    assert deviating and expectations.unmatched([*deviating, *blocked]) == []
    waived = [r["test_id"] for r in results if r["verdict"] == "not-applicable"]
    assert not [t for t in waived if expectations.match(t)], "entries for not-applicable tests"
    print(f"minisip suite run: {seconds:.1f} s, {dict(verdicts)}")
