"""Every testable MUST of sections 3-6 that binds PSK, DH, DH-HMAC or the codec has a test.

The conformance suite is collected (not run) and the requirement IDs its tests
cite are compared with the catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import conformance
from conformance.plugin import requirement_ids
from conformance.requirements import load

SCOPE_MODES = {"PSK", "PK", "DH", "DH-HMAC", "RSA-R", "codec"}
SCOPE_SECTIONS = ("3", "4", "5", "6")
KNOWN_GAPS: dict[str, str] = {}
"""Testable MUSTs in scope that have no test yet, each with the reason. The test fails
when one of them gets a test, so the list only ever shrinks."""


class _Cited:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.tests = 0

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.tests = len(items)
        for item in items:
            self.ids.update(requirement_ids(item))


def cited_requirements() -> _Cited:
    cited = _Cited()
    suite = str(Path(conformance.__file__).parent)
    status = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", suite], [cited])
    assert status == 0, f"collecting the conformance suite failed ({status})"
    return cited


def test_every_psk_and_codec_must_has_a_test() -> None:
    cited = cited_requirements()
    assert cited.tests > 0
    missing = sorted(
        r.id
        for r in load().values()
        if r.level in ("MUST", "MUST NOT")
        and r.testable
        and SCOPE_MODES & set(r.modes)
        and r.section.split(".")[0] in SCOPE_SECTIONS
        and r.id not in cited.ids
    )
    unexplained = sorted(set(missing) - set(KNOWN_GAPS))
    assert not unexplained, f"{len(unexplained)} MUST(s) without a test: {unexplained}"
    covered = sorted(set(KNOWN_GAPS) - set(missing))
    assert not covered, f"now covered, remove from KNOWN_GAPS: {covered}"
