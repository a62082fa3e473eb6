"""One campaign over execnet gateways (`mikeyconf fuzz --tx SPEC`), as across hosts.

No remote host is needed: `popen//chdir=DIR` gateways start workers whose
working directory is elsewhere, and the campaign's pytest arguments name no
file of the controller's, so a worker cannot reach the controller's run
directory. Its findings and counters come back over the gateway: the findings
land in the controller's run directory and the progress line counts both
workers. A second campaign, on another gateway, only replays the shared
corpus (`--db`, here a directory both can reach; Redis across real hosts, see
test_shared_corpus.py) and finds the same bug.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.fuzz.campaign import CampaignConfig, UnfitSut, Worker
from conformance.fuzz.cli import campaign_args
from conformance.fuzz.outbox import RunDirOutbox
from tests.fuzz.campaigns import MUTANTS
from tests.fuzz.test_cli import mikeyconf

SUT = f"{MUTANTS}:accepts_truncated_kemac"


def gateways(tmp: Path, *names: str) -> list[str]:
    args = []
    for name in names:
        (tmp / name).mkdir()
        args += ["--tx", f"popen//chdir={tmp / name}"]
    return args


@pytest.fixture(scope="module")
def two_hosts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A campaign on two gateways elsewhere; returns its temporary tree and its stderr."""
    tmp = tmp_path_factory.mktemp("hosts")
    run = mikeyconf("fuzz", "--sut", SUT, "--budget", "30s", "--max-findings", "1", "--seed", "7",
                    "--db", str(tmp / "corpus"), "--out", str(tmp / "out"), "--run-id", "r1",
                    *gateways(tmp, "host-a", "host-b"))  # fmt: skip
    assert run.returncode == 1, run.stderr + run.stdout
    return tmp, run.stderr + run.stdout


def test_findings_and_progress_come_back_from_both_gateways(two_hosts: tuple[Path, str]) -> None:
    tmp, output = two_hosts
    run_dir = tmp / "out" / "r1"
    found = [json.loads(p.read_text()) for p in (run_dir / "findings").glob("*.json")]
    assert found and all(f["oracle"] == "accepts-invalid" and f["run"] == "r1" for f in found)
    progress = {p.stem: json.loads(p.read_text()) for p in (run_dir / "progress").glob("*.json")}
    assert set(progress) == {"gw0", "gw1"} and all(d["cases"] > 0 for d in progress.values())
    assert "workers 2" in output  # the live line sums both
    total = sum(d["cases"] for d in progress.values())
    assert f"fuzz run r1: {total} cases" in output
    for host in ("host-a", "host-b"):  # the workers wrote nothing of the run where they ran
        assert not [p for p in (tmp / host).rglob("*") if p.name in {"findings", "progress"}]


def test_a_gateway_replays_the_shared_corpus(two_hosts: tuple[Path, str]) -> None:
    tmp, _ = two_hosts
    first = {p.name for p in (tmp / "out" / "r1" / "findings").glob("*.json")}
    run = mikeyconf("fuzz", "--sut", SUT, "--budget", "20s", "--corpus-only", "--seed", "8",
                    "--db", str(tmp / "corpus"), "--out", str(tmp / "out"), "--run-id", "r2",
                    *gateways(tmp, "host-c"))  # fmt: skip
    assert run.returncode == 1, run.stderr + run.stdout
    assert {p.name for p in (tmp / "out" / "r2" / "findings").glob("*.json")} & first


def test_the_workers_arguments_name_no_file_of_the_controller(tmp_path: Path) -> None:
    config = CampaignConfig(sut="builtin", role="decoder", seed=1, budget=1.0, db="redis://h:1",
                            run="r9")  # fmt: skip
    args = campaign_args(config.to_json(), 1, ["ssh=x//python=python3", "2*popen"])
    assert "r9" in " ".join(args) and str(tmp_path) not in " ".join(args)
    assert [a for a in args if Path(a).exists()] == []  # xdist would rewrite those
    assert args[-6:] == ["--tx", "ssh=x//python=python3", "--tx", "2*popen", "--dist", "each"]


def test_a_worker_whose_sut_does_not_play_the_role_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --tx the SUT is built on the workers' hosts only: the worker checks the role."""
    from dataclasses import replace

    from suts.base import Role
    from suts.builtin import BuiltinSut

    caps = BuiltinSut().capabilities()
    monkeypatch.setattr(
        BuiltinSut, "capabilities", lambda self: replace(caps, roles=frozenset({Role.DECODER}))
    )
    config = CampaignConfig(sut="builtin", role="responder", seed=1, budget=1.0,
                            db=str(tmp_path / "db"), run="r")  # fmt: skip
    with pytest.raises(UnfitSut, match="does not play the responder role"):
        Worker(config, "gw0", 0, RunDirOutbox(tmp_path))


def test_a_worker_error_on_a_gateway_is_one_line_in_the_summary(tmp_path: Path) -> None:
    run = mikeyconf("fuzz", "--sut", "nonsense", "--budget", "5s", "--out", str(tmp_path),
                    "--run-id", "e1", *gateways(tmp_path, "host-a"))  # fmt: skip
    assert run.returncode == 2, run.stderr + run.stdout
    assert "harness error: a campaign worker failed: suts.SutSpecError: unknown SUT" in run.stdout
    assert (tmp_path / "e1" / "errors" / "gw0-call.txt").exists()
