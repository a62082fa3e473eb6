"""Every testable MUST of the MIKEY-SAKKE catalogs (RFC 6507, 6508, 6509) has a test, and
every MIKEY-SAKKE mutant names one of their requirements."""

from __future__ import annotations

from conformance.requirements import load
from tests.mutants.bank import MUTANTS
from tests.project.test_requirement_coverage import cited_requirements

RFCS = (6507, 6508, 6509)


def test_every_sakke_must_has_a_test() -> None:
    cited = cited_requirements()
    missing = sorted(
        r.id
        for rfc in RFCS
        for r in load(rfc).values()
        if r.level in ("MUST", "MUST NOT") and r.testable and r.id not in cited.ids
    )
    assert not missing, f"MUST(s) without a test: {missing}"


def test_sakke_mutants_break_sakke_requirements() -> None:
    sakke = [m for m in MUTANTS.values() if m.factory.__module__.endswith("sakke_mutants")]
    assert len(sakke) >= 8
    assert all(m.breaks.startswith(tuple(f"RFC{n}-" for n in RFCS)) for m in sakke)
