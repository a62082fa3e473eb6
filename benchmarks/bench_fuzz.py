"""Fuzz campaign throughput: decoder cases per second for one worker (one core).

Run: python -m pytest benchmarks/bench_fuzz.py --benchmark-only -p no:mikeyconf -s
Each benchmark runs one campaign worker (fixed seed, a fixed number of cases,
a fresh example database) against a SUT: the reference in-process, the
reference behind the subprocess shim (one JSON line each way per case), and
GStreamer's libgstsdp (each call in a forked, watched child); the figure is
in extra_info["cases_per_s"] and printed. Hypothesis's drawing, the mutation,
both decoders and the oracles are all in the time, as in a real campaign.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conformance.fuzz.campaign import CampaignConfig, Worker

CASES = 600


def throughput(run_dir: Path, sut: str) -> float:
    config = CampaignConfig(sut=sut, role="decoder", seed=1, budget=600.0,
                            deadline=time.time() + 600.0, db=str(run_dir / "db"),
                            run_dir=str(run_dir), max_cases=CASES)  # fmt: skip
    worker = Worker(config, "gw0", 0)
    started = time.perf_counter()
    worker.run()
    return worker.stats.cases / (time.perf_counter() - started)


def gstreamer_available() -> bool:
    try:
        from suts import load_sut
        from suts.base import Profile

        load_sut("gstreamer", Profile()).close()
    except Exception:
        return False
    return True


SUTS = [
    pytest.param("builtin", id="reference-in-process"),
    pytest.param(f"shim:{sys.executable} -m suts.shim.reference", id="reference-shim"),
    pytest.param(
        "gstreamer",
        id="gstreamer",
        marks=pytest.mark.skipif(not gstreamer_available(), reason="libgstsdp not loadable"),
    ),
]


@pytest.mark.parametrize("sut", SUTS)
def test_decoder_campaign_cases_per_second(benchmark, tmp_path: Path, sut: str) -> None:  # type: ignore[no-untyped-def]
    rate = benchmark.pedantic(throughput, args=(tmp_path, sut), rounds=1, iterations=1)
    benchmark.extra_info["cases_per_s"] = round(rate, 1)
    print(f"\n{sut}: {rate:.0f} decoder cases/s on one worker")
