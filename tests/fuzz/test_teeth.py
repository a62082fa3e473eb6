"""Proof of teeth: a short campaign (fixed seed) finds each fuzz-only mutant's bug, and
the finding replays (`mikeyconf replay`: exit 1 against the mutant, 0 against the reference)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.cli import main
from tests.fuzz.campaigns import MUTANTS, ROOT, campaign, findings, shim


@pytest.fixture(autouse=True)
def _fast_shim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the shim runs `python -m`: it must find this tree
    monkeypatch.setenv("MIKEYCONF_SHIM_TIMEOUT", "1.0")  # a hang costs this much per case


SHORT = {"budget": 20.0, "max_findings": 1, "minimise_seconds": 1.0}
"""Stop at the first finding (a few seconds in); the budget is only an upper bound."""


def replays(path: Path, sut: str | None = None) -> int:
    return main(["replay", str(path), *(["--sut", sut] if sut else [])])


@pytest.mark.parametrize(
    ("mutant", "oracle"),
    [("crash_on_rand_len", "crash"), ("hang_on_chain_loop", "hang")],
)
def test_out_of_process_bug_is_found_and_replays(tmp_path: Path, mutant: str, oracle: str) -> None:
    """Each crash restarts the shim, each hang costs the 1 s call timeout: shrink briefly."""
    campaign(tmp_path, shim(mutant), **SHORT)
    found = [f for f in findings(tmp_path) if f["oracle"] == oracle]
    assert found, f"no {oracle} finding in {[f['signature'] for f in findings(tmp_path)]}"
    path = tmp_path / "findings" / f"{found[0]['signature']}.json"
    assert replays(path) == 1
    assert replays(path, "builtin") == 0


def test_accepting_a_truncated_kemac_is_found_and_minimised(tmp_path: Path) -> None:
    sut = f"{MUTANTS}:accepts_truncated_kemac"
    campaign(tmp_path, sut, **SHORT)
    found = [f for f in findings(tmp_path) if f["oracle"] == "accepts-invalid"]
    assert found
    assert {f["requirement"] for f in found} <= {
        "RFC3830-6.2-mac-len",
        "RFC3830-6.2-encr-data-len",
        "RFC3830-6.2-mac-alg",
        "RFC3830-6.1-next-payload",
        "RFC3830-6.6-ts-value-len",
        "RFC3830-6-network-byte-order",
    }
    assert all("KEMAC" in f["reason"] for f in found)
    assert replays(tmp_path / "findings" / f"{found[0]['signature']}.json") == 1


def test_the_reference_has_no_findings(tmp_path: Path) -> None:
    worker = campaign(tmp_path, "builtin", budget=1.5)
    assert worker.stats.cases > 50
    assert findings(tmp_path) == []


def test_a_responder_that_skips_the_mac_check_is_found_and_replays(tmp_path: Path) -> None:
    """Responder role: the finding is a recipe, re-stamped with a fresh T when replayed."""
    sut = "tests.mutants.bank:skips_mac_check"
    campaign(tmp_path, sut, role="responder", budget=4.0, minimise_seconds=1.0)
    found = [f for f in findings(tmp_path) if f["oracle"] == "accepts-invalid"]
    assert found and found[0]["requirement"] == "RFC3830-5.3-verify-mac", found
    assert found[0]["case"]["role"] == "responder"
    path = tmp_path / "findings" / f"{found[0]['signature']}.json"
    assert replays(path) == 1
    assert replays(path, "builtin") == 0
