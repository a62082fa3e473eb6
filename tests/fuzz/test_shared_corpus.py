"""Workers share one corpus through Hypothesis's example database: Redis across machines.

A local redis-server (Debian `redis-server`) is started on a free loopback
port for the test and stopped after it. Worker 1 fuzzes the truncated-KEMAC
mutant and saves its findings' inputs there; worker 2, in another run
directory and knowing nothing of them, only replays the database (no new
cases) and finds the same bugs.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.campaigns import MUTANTS, campaign, findings

redis = pytest.importorskip("redis")
SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if SERVER is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    args = [SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
            "no", "--dir", str(tmp_path)]  # fmt: skip
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=5)


def test_two_workers_share_one_corpus_through_redis(tmp_path: Path, redis_url: str) -> None:
    sut = f"{MUTANTS}:accepts_truncated_kemac"
    one = campaign(tmp_path / "one", sut, budget=20.0, db=redis_url, name="gw0", max_findings=1)
    first = {f["signature"] for f in findings(tmp_path / "one")}
    assert first, f"worker 1 found nothing to share ({one.stats.cases} cases, {one.flaky} flaky)"
    two = campaign(tmp_path / "two", sut, budget=10.0, db=redis_url, name="gw1", corpus_only=True)
    second = {f["signature"] for f in findings(tmp_path / "two")}
    assert second & first, "worker 2 did not see worker 1's corpus"
    assert two.stats.cases < one.stats.cases  # it only replayed: no new cases were drawn
