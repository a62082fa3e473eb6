"""A catalog entry's reading of an ambiguous text reaches results.json and report.html."""

from __future__ import annotations

from conformance.report.html import requirements_table
from conformance.report.model import Result, RunInfo, summarize
from conformance.report.results_json import build_results
from conformance.requirements import load
from tests.report.journals import CATALOG, MAC, REPLAY, Entry, mixed

READING = "the procedure is RECOMMENDED, the abort is read as binding"


def test_the_reading_is_reported_beside_the_quote() -> None:
    catalog = {**CATALOG, MAC: Entry("3830", "5.3", "MUST", "Verify the MAC/signature.", READING)}
    summary = summarize([Result.from_json(r) for r in mixed()], catalog)
    requirements = build_results(RunInfo(run_id="r", sut="builtin", argv=[]), summary, [])[
        "requirements"
    ]
    assert requirements[MAC]["reading"] == READING
    assert "reading" not in requirements[REPLAY]  # none in the catalog: none reported
    html = requirements_table(summary, {})
    assert f"Our reading: {READING}" in html
    assert html.count("Our reading:") == 1


def test_the_catalog_writes_down_the_readings_an_independent_implementation_questioned() -> None:
    catalog = load()
    for req_id in (
        "RFC3830-5.3-abort-on-error",
        "RFC3830-4.3.2-chain-validation",
        "RFC3830-3.3-dh-value-in-group",
        "RFC4650-1.1-dh-value-in-group",
    ):
        reading = catalog[req_id].reading
        assert reading is not None and "minisip" in reading, req_id
