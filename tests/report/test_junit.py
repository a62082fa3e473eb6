"""junit.xml rendered from the journal (resumed runs): pytest's shape, every verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conformance.report.junit import render_junit
from conformance.report.model import Result
from tests.report.journals import MAC, listed, mixed, record


def test_every_verdict_has_the_element_pytest_would_write() -> None:
    records = [*mixed(), listed("test_fixed", "unexpected-pass")]
    root = ET.fromstring(render_junit([Result.from_json(r) for r in records]))
    suite = root.find("testsuite")
    assert suite is not None
    counts = {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": "8", "failures": "3", "errors": "1", "skipped": "2"}
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert (
        cases["test_rejects_wrong_mac"].get("classname") == "conformance.rfc3830.test_psk_responder"
    )
    failure = cases["test_rejects_wrong_mac"].find("failure")
    assert (
        failure is not None
        and failure.get("message") == "the SUT accepted a message with a wrong MAC"
    )
    xpass = cases["test_fixed"].find("failure")
    assert xpass is not None and str(xpass.get("message")).startswith("[XPASS(strict)]")
    xfail = cases["test_known_bug"].find("skipped")
    assert xfail is not None and xfail.get("type") == "pytest.xfail"
    assert cases["test_replay"].find("error") is not None
    assert cases["test_accepts_good_mac"].find("*[@name='requirement']") is None
    props = [
        (p.get("name"), p.get("value")) for p in cases["test_accepts_good_mac"].iter("property")
    ]
    assert props == [("requirement", MAC), ("mode", "PSK")]


def test_what_a_sut_says_cannot_break_the_xml() -> None:
    hostile = record("t", "fail", reason="\x00\x1b]<&>\"'\ud800")
    root = ET.fromstring(render_junit([Result.from_json(hostile)]))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "??]<&>\"'?"
