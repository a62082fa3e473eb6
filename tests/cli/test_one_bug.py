"""One realistic bug, one rule to blame: a SUT whose NTP timestamps count from 1970.

tests.mutants.bank:wrong_epoch (tests/mutants/clock_mutants.py) refuses every valid
I_MESSAGE as responder and stamps a 70-year-old T as initiator. The report must open on
the timestamp rule, and the tests that only build on a valid exchange (key derivation,
MAC checks, CSB ID echo) must be inconclusive, naming that rule, not failed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conformance.timing_checks import MODES
from conformance.vehicle import window_rule
from tests.subprocess_cli import mikeyconf

WINDOW = "RFC3830-5.4-timestamp-window"
CLOCK = "RFC3830-5.4-loosely-synchronized-clock"
BLOCKED = {
    # key derivation, the SUT as responder and as initiator
    "rfc3830/test_psk_responder.py::test_derived_srtp_keys_match_the_reference[TGK]": WINDOW,
    "rfc3830/test_keys_responder.py::test_each_crypto_session_has_the_reference_keys[PSK]": WINDOW,
    "rfc3830/test_psk_initiator.py::test_derived_srtp_keys_match_the_reference[TGK]": CLOCK,
    # MAC checks and the CSB ID echo
    "rfc3830/test_psk_responder.py::test_rejects_a_message_whose_mac_does_not_verify[mac]": WINDOW,
    "rfc3830/test_psk_responder.py::test_valid_i_message_gets_a_verification_message[NULL]": WINDOW,
    "rfc3830/test_answers_initiator.py::test_an_answer_for_another_csb_is_refused[PSK]": CLOCK,
    # the replay test's first, valid I_MESSAGE
    "rfc3830/test_timing_responder.py::test_a_replayed_message_is_refused[PSK-initial]": WINDOW,
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    out = tmp_path_factory.mktemp("one-bug")
    sut = "tests.mutants.bank:wrong_epoch"
    done = mikeyconf("run", "--sut", sut, "--mode", "PSK", "--out", str(out), "--run-id", "r")
    return done.returncode, done.stdout + done.stderr, out / "r"


def results(run_dir: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    return {r["test_id"]: r for r in document["results"]}


def test_the_summary_opens_on_the_timestamp_rule(run: tuple[int, str, Path]) -> None:
    status, output, _ = run
    assert status == 1, output[-3000:]
    causes = output.split("Root causes (first failing requirement of each test", 1)[1]
    top = causes.splitlines()[1]
    assert top.startswith(f"  {WINDOW} (MUST) blocks "), causes[:2000]
    assert '"Replayed and outdated messages' in top


def test_the_tests_it_merely_blocks_are_inconclusive(run: tuple[int, str, Path]) -> None:
    found = results(run[2])
    for test_id, rule in BLOCKED.items():
        result = found[test_id]
        assert result["verdict"] == "inconclusive", (test_id, result["verdict"], result["reason"])
        assert result["precondition"]["requirement"] == rule, test_id
        assert result["precondition"]["checked_by"], test_id


def test_only_timestamp_rules_fail(run: tuple[int, str, Path]) -> None:
    """Every failed test checks a T rule: the window, the clock, or the mandatory TS types
    (which a SUT that refuses every current T does not take either)."""
    t_rules = {WINDOW, CLOCK, "RFC3830-6.6-ts-types-mandatory"}
    failed = {t: r["requirements"] for t, r in results(run[2]).items() if r["verdict"] == "fail"}
    assert failed and all(set(reqs) <= t_rules for reqs in failed.values()), failed


@pytest.fixture(scope="module")
def every_mode(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one-bug-every-mode")
    sut = "tests.mutants.bank:wrong_epoch"
    done = mikeyconf("run", "--sut", sut, "-n", "2", "-q", "--out", str(out), "--run-id", "r")
    assert done.returncode == 1, (done.stdout + done.stderr)[-3000:]
    return out / "r"


def test_in_every_mode_only_timestamp_rules_fail(every_mode: Path) -> None:
    """In every mode, the failed tests check a T rule: RFC 3830's, or the window rule of
    DH-HMAC, RSA-R and MIKEY-SAKKE (conformance.vehicle.window_rule); the tests that build
    on a valid exchange or update are inconclusive, none an error."""
    t_rules = {CLOCK, "RFC3830-6.6-ts-types-mandatory"} | {window_rule(m.mode) for m in MODES}
    found = results(every_mode)
    failed = {t: r["requirements"] for t, r in found.items() if r["verdict"] == "fail"}
    assert failed and all(set(reqs) <= t_rules for reqs in failed.values()), failed
    assert not [t for t, r in found.items() if r["verdict"] == "error"]
    blocked = {r["mode"] for r in found.values() if r["verdict"] == "inconclusive"}
    assert blocked >= {m.mode for m in MODES}, blocked


def test_report_html_puts_the_rule_first(run: tuple[int, str, Path]) -> None:
    page = (run[2] / "report.html").read_text(encoding="utf-8")
    causes = page.index("<h2>Root causes</h2>")
    assert causes < page.index('<section id="failures">') < page.index('<section id="matrix">')
    first_row = page[causes:].split("<tr>", 2)[2].split("</tr>", 1)[0]
    assert WINDOW in first_row and "<q>Replayed and outdated messages" in first_row


def test_junit_and_allure_name_the_root_cause(run: tuple[int, str, Path]) -> None:
    test_id = "rfc3830/test_keys_responder.py::test_each_crypto_session_has_the_reference_keys[PSK]"
    module, name = test_id.removesuffix(".py").split(".py::", 1)  # initiator's has that name too
    module = module.rsplit("/", 1)[1]
    root = ET.parse(run[2] / "junit.xml").getroot()
    cases = root.iter("testcase")
    case = next(c for c in cases if c.get("name") == name and module in str(c.get("classname")))
    skipped = case.find("skipped")
    assert skipped is not None and "inconclusive: precondition" in str(skipped.get("message"))
    properties = {(p.get("name"), p.get("value")) for p in case.iter("property")}
    assert ("root-cause", WINDOW) in properties
    allure = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in (run[2] / "allure-results").glob("*-result.json")
    ]
    (entry,) = [a for a in allure if a.get("name") == name and module in a.get("fullName", "")]
    assert entry["status"] == "skipped" and WINDOW in entry["statusDetails"]["message"]
    assert {"name": "root-cause", "value": WINDOW} in entry["labels"]
    assert any(WINDOW in link.get("name", "") for link in entry["links"])
