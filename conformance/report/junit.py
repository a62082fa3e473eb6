"""junit.xml from the journal, for a resumed run.

pytest writes junit.xml when its session ends, so an interrupted run leaves
none, and the resumed part's own would hold only the tests it ran. After
`mikeyconf run --resume` the whole run's junit.xml is written from the
journal instead, in the shape pytest's (classname and name from the test ID,
requirement and mode properties): an expected deviation is an xfail skip, an
unexpected pass a failure, an inconclusive test a skip naming its precondition with a
"root-cause" property, as pytest reports them (conformance/plugin.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from conformance.report.model import Result

SUITE_NAME = "mikey-conformance"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot hold (a SUT's output may contain any)."""


def _text(value: str) -> str:
    return _NOT_XML.sub("?", value)


def _outcome(case: ET.Element, result: Result) -> str | None:
    """Add the element for the result's verdict; return the suite counter it adds to."""
    reason = _text(result.reason)
    if result.verdict == "fail":
        ET.SubElement(case, "failure", message=reason).text = reason
        return "failures"
    if result.verdict == "unexpected-pass":
        ET.SubElement(case, "failure", message=f"[XPASS(strict)] {reason}")
        return "failures"
    if result.verdict == "error":
        ET.SubElement(case, "error", message=reason).text = reason
        return "errors"
    if result.verdict == "expected-deviation":
        why = _text(str((result.expectation or {}).get("reason", reason)))
        ET.SubElement(case, "skipped", type="pytest.xfail", message=why)
        return "skipped"
    if result.verdict == "inconclusive":
        ET.SubElement(case, "skipped", type="pytest.skip", message=f"inconclusive: {reason}")
        return "skipped"
    if result.verdict == "not-applicable":
        ET.SubElement(case, "skipped", type="pytest.skip", message=reason)
        return "skipped"
    return None


def render_junit(results: Sequence[Result]) -> str:
    """The junit.xml text of a run's results."""
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    suite = ET.Element("testsuite", name=SUITE_NAME)
    for result in results:
        path, _, name = result.test_id.partition("::")
        classname = "conformance." + path.removesuffix(".py").replace("/", ".")
        case = ET.SubElement(
            suite, "testcase", classname=classname, name=name, time=f"{result.duration_s:.3f}"
        )
        properties = ET.SubElement(case, "properties")
        pairs = [("requirement", r) for r in result.requirements] + [("mode", result.mode or "")]
        if result.fault:
            pairs.append(("root-cause", result.fault))
        if result.precondition:
            pairs.append(("root-cause", str(result.precondition.get("requirement", ""))))
            checked = result.precondition.get("checked_by") or []
            pairs += [("precondition-checked-by", str(t)) for t in checked]
        for key, value in pairs:
            ET.SubElement(properties, "property", name=key, value=value)
        counter = _outcome(case, result)
        if counter is not None:
            counts[counter] += 1
    total = sum(r.duration_s for r in results)
    suite.attrib.update({k: str(v) for k, v in counts.items()})
    suite.attrib.update(tests=str(len(results)), time=f"{total:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
