"""Helpers for the fuzz tests: short campaigns run by an in-process worker."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conformance.fuzz.campaign import CampaignConfig, Worker

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = "tests.fuzz.mutant_suts"


def shim(mutant: str) -> str:
    """The --sut value serving one of mutant_suts' factories through the reference shim."""
    return f"shim:{sys.executable} -m suts.shim.reference {MUTANTS}:{mutant}"


def campaign(run_dir: Path, sut: str, budget: float, *, role: str = "decoder", seed: int = 1,
             db: str | None = None, name: str = "gw0", **extra: Any) -> Worker:  # fmt: skip
    """Run one worker of a campaign for `budget` seconds; returns it (its run dir is run_dir)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    config = CampaignConfig(sut=sut, role=role, seed=seed, budget=budget,
                            deadline=time.time() + budget, db=db or str(run_dir / "db"),
                            run_dir=str(run_dir), **extra)  # fmt: skip
    worker = Worker(config, name, int(name[2:]))
    worker.run()
    return worker


def findings(run_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((run_dir / "findings").glob("*.json"))]


def smoke_campaign(out: Path, *args: str, budget: str = "60s") -> subprocess.CompletedProcess[str]:
    """`mikeyconf fuzz` for CI's one-minute smoke campaigns (issue 6), seed 1, run id smoke."""
    command = [sys.executable, "-m", "conformance.cli", "fuzz", "--budget", budget, "--seed", "1"]
    return subprocess.run(
        [*command, "--out", str(out), "--run-id", "smoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
