"""results.json (against its schema), report.html and the text summary."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import jsonschema
import pytest

from conformance.report.captures import Capture
from conformance.report.html import render_html
from conformance.report.model import VERDICTS, Result, RunInfo, Summary, exit_status, summarize
from conformance.report.results_json import build_results, load_schema, write_results
from conformance.report.summary import MAX_REPLAYS, format_summary
from tests.report.journals import (
    CATALOG,
    EXPECTATIONS,
    HDR,
    MAC,
    REPLAY,
    SKEW,
    exchange,
    listed,
    mixed,
    record,
)

HOSTILE = "<script>alert('x')</script>&"


def run_info(**changes: object) -> RunInfo:
    info = RunInfo(run_id="20261128T103000Z", sut="builtin", argv=["mikeyconf", "run"])
    for key, value in changes.items():
        setattr(info, key, value)
    return info


def summary_of(records: list[dict[str, object]]) -> Summary:
    return summarize([Result.from_json(r) for r in records], CATALOG)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("problems", [[], ["pytest was interrupted"]])
def test_results_json_follows_its_schema(tmp_path: Path, problems: list[str]) -> None:
    summary = summary_of(mixed())
    path = tmp_path / "results.json"
    write_results(path, build_results(run_info(pytest_exit=1), summary, problems))
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["schema_version"] == 3
    assert document["requirements"][MAC]["verdict"] == "fail"
    assert document["requirements"][SKEW]["level"] == "SHOULD"
    assert document["summary"]["by_verdict"]["error"] == 1
    assert document["summary"]["exit_status"] == 2
    assert document["summary"]["harness_problems"] == problems
    assert [r["test_id"] for r in document["results"]] == [r["test_id"] for r in mixed()]


def test_the_schema_rejects_what_it_should() -> None:
    document = build_results(run_info(), summary_of(mixed()), [])
    validator = jsonschema.Draft202012Validator(load_schema())
    assert validator.is_valid(document)
    document["results"][0]["verdict"] = "passed"
    assert not validator.is_valid(document)


def render(records: list[dict[str, object]], **run_changes: object) -> str:
    summary = summary_of(records)
    status = exit_status(summary, strict=False, harness_failed=False)
    return render_html(run_info(**run_changes), summary, status, [])


def cells(page: str) -> dict[tuple[str, str], str]:
    """The matrix, every RFC's fold: (mode, section) -> the cell's text."""
    found = {}
    for table in re.findall(r'<table class="matrix">(.*?)</table>', page, re.S):
        modes = re.findall(r"<th>([^<&]+)</th>", table.split("</tr>", 1)[0])[1:]
        for section, row in re.findall(r"<tr><th>&sect;([^<]+)</th>(<td.*?)</tr>", table):
            for mode, cell in zip(modes, re.findall(r"<td[^>]*>(.*?)</td>", row), strict=True):
                found[(mode, section)] = unescape(re.sub(r"<[^>]+>", " ", cell)).split()
    return {key: " ".join(words) for key, words in found.items()}


def test_html_matrix_has_a_cell_per_mode_and_section() -> None:
    found = cells(render(mixed()))
    assert found[("PSK", "5.3")] == "fail 1 pass, 1 fail"
    assert found[("PSK", "5.4")] == "error 1 fail, 1 error"
    assert found[("codec", "6.1")] == "expected-deviation 1 pass, 1 expected-deviation"
    assert found[("DH", "5.4")] == "not-applicable 1 not-applicable"
    assert found[("codec", "5.3")] == "–"


def test_html_cells_and_rows_are_coloured_by_verdict() -> None:
    page = render(mixed())
    assert '<td class="v v-fail">fail<small>1 pass, 1 fail</small></td>' in page
    for verdict in VERDICTS:
        assert f".v-{verdict} {{" in page


def test_html_lists_requirements_with_their_quoted_text() -> None:
    page = render(mixed())
    for req_id in (MAC, REPLAY, HDR, SKEW):
        assert f'id="req-{req_id}"' in page
    assert f"<q>{CATALOG[MAC].text}</q>" in page


def test_html_details_every_test_that_did_not_pass() -> None:
    page = render(mixed())
    assert "the SUT accepted a message with a wrong MAC" in page
    assert "MAC flipped in the last byte" in page
    assert "suite &rarr; SUT: I_MESSAGE (72 bytes)" in page
    assert "mikeyconf run --sut builtin --test &#x27;rfc3830/test_psk_responder.py::" in page
    assert page.count('<div class="test v-') == 4  # fail, error, deviation, SHOULD fail
    assert '<li><span class="k">hdr</span>: <span class="k">v</span> = <code>1</code></li>' in page


def test_html_is_self_contained() -> None:
    page = render(mixed())
    assert "<style>" in page
    assert page.count("<script>") == 1  # the filters, inline
    for external in ("<script ", "<link", "src=", "http://", "https://", "url("):
        assert external not in page
    assert re.findall(r'href="([^"]*)"', page) and all(
        h.startswith("#") for h in re.findall(r'href="([^"]*)"', page)
    )


def test_html_shows_the_summary_first_then_failures_then_the_matrix() -> None:
    page = render(mixed())
    sections = ("glance", "root-causes", "failures", "matrix", "tests")
    order = [page.index(f'<section id="{s}">') for s in sections]
    assert order == sorted(order)
    glance = page.split('<section id="glance">', 1)[1].split("</section>", 1)[0]
    assert "Exit status 2:" in glance and "<dt>SUT</dt><dd>builtin</dd>" in glance
    assert '<span class="bar-label">PSK</span>' in glance
    psk = glance.split('<span class="bar-label">PSK</span>', 1)[1].split("</div>", 1)[0]
    widths = re.findall(r'class="seg v-([a-z-]+)" style="width:([0-9.]+)%"', psk)
    assert widths == [("pass", "25.00"), ("fail", "50.00"), ("error", "25.00")]
    assert "1 pass, 2 fail, 1 error" in psk


def test_html_filters_offer_the_modes_verdicts_and_levels_of_the_run() -> None:
    page = render(mixed())
    form = page.split('<form id="filters"', 1)[1].split("</form>", 1)[0]
    options = dict.fromkeys(re.findall(r'<select name="([a-z]+)">', form))
    assert list(options) == ["mode", "verdict", "level"]
    assert '<option value="SHOULD">' in form and '<option value="codec">' in form
    assert re.search(r'<tr data-mode="PSK" data-verdict="fail" data-level="MUST">', page)


def test_html_links_each_test_to_its_capture() -> None:
    summary = summary_of(mixed())
    failed = next(r for r in summary.results if r.verdict == "fail")
    capture = Capture("pcap/x-1.pcap", False, (20001,), (3, 4))
    page = render_html(run_info(), summary, 1, [], None, {failed.test_id: capture})
    assert page.count('href="pcap/x-1.pcap"') == 2  # its card and its row
    assert "<code>udp.port == 20001</code>, frames 3&ndash;4" in page
    assert 'href="run.pcap"' in page


def test_html_escapes_everything_a_sut_or_test_can_say() -> None:
    hostile = record(
        f"test_{HOSTILE}",
        "fail",
        [MAC],
        mode=HOSTILE,
        reason=HOSTILE,
        evidence={
            "exchanges": [{**exchange("from-sut", HOSTILE), "decoded": {"x": HOSTILE}}],
            "notes": [HOSTILE],
        },
    )
    page = render([hostile], sut=HOSTILE, run_id=HOSTILE, argv=[HOSTILE])
    assert "<script>alert" not in page and page.count("<script>") == 1
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;" in page


def test_html_wraps_long_hex() -> None:
    long_hex = "ab" * 100
    page = render(
        [record("t", "fail", evidence={"exchanges": [exchange("to-sut", "X", long_hex)]})]
    )
    block = page.split('<pre class="hex">', 1)[1].split("</pre>", 1)[0]
    assert block.split("\n") == ["ab" * 32] * 3 + ["ab" * 4]


def test_html_of_an_empty_run() -> None:
    page = render([])
    assert "No results." in page and "No test ran." in page


def test_summary_table_lists_modes_and_verdict_columns() -> None:
    summary = summary_of(mixed())
    text = format_summary(
        summary, sut="builtin", run_id="r1", run_dir=Path("reports/r1"), status=2, strict=False
    )
    lines = text.splitlines()
    head = lines.index(
        "mode   pass  fail  inconclusive  unexpected-pass  expected-deviation  not-applicable"
        "  error"
    )
    assert lines[head + 1].split() == ["codec", "1", "0", "0", "0", "1", "0", "0"]
    assert lines[head + 2].split() == ["DH", "0", "0", "0", "0", "0", "1", "0"]
    assert lines[head + 3].split() == ["PSK", "1", "2", "0", "0", "0", "0", "1"]
    assert lines[head + 4].split() == ["total", "2", "2", "0", "0", "1", "1", "1"]


def test_summary_separates_should_level_failures_and_ends_with_the_status() -> None:
    text = format_summary(
        summary_of(mixed()),
        sut="builtin",
        run_id="r1",
        run_dir=Path("reports/r1"),
        status=2,
        strict=False,
        problems=["pytest was interrupted"],
    )
    failing = text.split("Failing requirements:\n", 1)[1].split("\n\n", 1)[0]
    assert MAC in failing and REPLAY in failing and SKEW not in failing
    should = text.split("not counted; --strict counts them):\n", 1)[1].split("\n\n", 1)[0]
    assert SKEW in should and MAC not in should
    assert "Harness problems:\n  pytest was interrupted" in text
    assert "call: KeyError: 'x'" in text
    assert f"Report: {Path('reports/r1/report.html')}" in text
    assert text.splitlines()[-1].startswith("Exit status 2: the harness failed")


def test_summary_prints_one_replay_per_failure_up_to_a_limit() -> None:
    records = [record(f"test_{i}", "fail") for i in range(MAX_REPLAYS + 3)]
    text = format_summary(
        summary_of(records), sut="builtin", run_id="r", run_dir=Path("r"), status=1, strict=False
    )
    replays = [line for line in text.splitlines() if line.startswith("  mikeyconf run")]
    assert len(replays) == MAX_REPLAYS
    assert "... and 3 more (see the report)" in text
    assert text.splitlines()[-1] == "Exit status 1: a conformance test failed."


def test_deviations_are_reported_apart_and_unexpected_passes_count() -> None:
    records = [
        record("a"),
        listed("test_known", "expected-deviation", why="RFC 3830 5.3 says <verify>"),
        listed("test_fixed", "unexpected-pass"),
    ]
    summary = summary_of(records)
    assert [r.test_id.rsplit(":", 1)[1] for r in summary.deviations] == ["test_known"]
    assert exit_status(summary, strict=False, harness_failed=False) == 1
    assert exit_status(summary_of(records[:2]), strict=False, harness_failed=False) == 0
    page = render_html(run_info(expectations=EXPECTATIONS), summary, 1, [])
    section = page.split("<h2>Expected deviations</h2>", 1)[1].split("<h2>", 1)[0]
    assert f"Listed in <code>{EXPECTATIONS}</code>" in section
    assert "RFC 3830 5.3 says &lt;verify&gt;" in section and "wrong MAC accepted" in section
    assert "passed: the SUT no longer deviates; remove the entry" in section
    assert section.count("<tr>") == 3  # the head and the two listed tests
    text = format_summary(
        summary, sut="m", run_id="r", run_dir=Path("r"), status=1, strict=False,
        expectations=EXPECTATIONS,
    )  # fmt: skip
    deviations = text.split(f"Expected deviations (listed in {EXPECTATIONS}; not counted):\n")[1]
    assert deviations.startswith("  rfc3830/test_psk_responder.py::test_known: RFC 3830 5.3 says")
    assert "counted, remove them):\n  rfc3830/test_psk_responder.py::test_fixed" in text
    assert "Failing requirements" not in text
    document = build_results(run_info(expectations=EXPECTATIONS), summary, [])
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["summary"]["unexpected_passes"] == 1
    assert document["summary"]["expected_deviations"] == 1
    assert document["results"][1]["expectation"]["reason"] == "RFC 3830 5.3 says <verify>"


def test_a_run_without_deviations_says_so() -> None:
    assert "<h2>Expected deviations</h2>\n<p>None.</p>" in render([record("a")])
    page = render_html(run_info(expectations="x.json"), summary_of([record("a")]), 0, [])
    assert "<p>None: none of the tests x.json lists ran.</p>" in page


def test_html_unfolds_the_messages_of_failures_only() -> None:
    sent = {"exchanges": [exchange("to-sut", "I_MESSAGE")]}
    failed = render([record("test_f", "fail", evidence=sent)])
    blocked = render([record("test_i", "inconclusive", evidence=sent)])
    assert "<details open><summary>decoded</summary>" in failed
    assert "<details><summary>decoded</summary>" in blocked
    assert "<details open><summary>decoded" not in blocked
