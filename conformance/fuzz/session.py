"""The campaign as a pytest session: one test, run by every pytest-xdist worker.

`mikeyconf fuzz` runs `pytest --pyargs conformance.fuzz.session -p
conformance.fuzz.session --mikeyconf-fuzz CONFIG_JSON`, with `--dist each`
and `-n N` (workers on this machine) or `--tx SPEC` (execnet gateways: `ssh=`
hosts, `popen//chdir=`, ...): xdist starts the workers and hands each the
same test; the worker's number (PYTEST_XDIST_WORKER, gw0, gw1, ...) picks its
seeds. Everything a worker needs is in the command line (the campaign's JSON),
so it needs no file of the controller's.

What a worker finds comes back over the same channel as its test reports: the
worker's outbox sends each finding, and its counters once a second, as a
subtest report (pytest's `subtests` fixture; xdist carries subtest reports
live, not only at the test's end). The controller's `Controller` plugin (given
to pytest.main by the CLI, never sent to a worker) picks those reports out of
`pytest_runtest_logreport` and writes them to the run directory through a
RunDirOutbox; with one worker and no xdist, the same reports reach it in-process.
A worker that fails leaves its traceback in <run>/errors/<worker>-<phase>.txt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol

import pytest

from conformance.fuzz.campaign import CampaignConfig, run_worker
from conformance.fuzz.outbox import RunDirOutbox

OPTION = "--mikeyconf-fuzz"
ERRORS = "errors"
MESSAGE = "mikeyconf-fuzz"
"""The msg of the subtest reports that carry a worker's progress and findings."""
PROGRESS_KEY = "progress"
FINDING_KEY = "finding"


class Subtests(Protocol):
    """pytest's `subtests` fixture, as far as it is used here."""

    def test(self, msg: str | None = None, **kwargs: Any) -> Any: ...


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, metavar="CAMPAIGN_JSON", help="run this fuzz campaign (JSON)")


def worker_name() -> tuple[str, int]:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = "".join(c for c in name if c.isdigit())
    return name, int(digits or 0)


class ChannelOutbox:
    """A worker's outbox: each message is a subtest report, sent wherever reports go."""

    def __init__(self, subtests: Subtests) -> None:
        self.subtests = subtests

    def send(self, key: str, doc: dict[str, Any]) -> None:
        # The document rides in the subtest's message: pytest 9.2 and xdist pass the
        # message through as it is, but replace keyword values by their repr.
        with self.subtests.test(f"{MESSAGE} {json.dumps({key: doc})}"):
            pass

    def progress(self, doc: dict[str, Any]) -> None:
        self.send(PROGRESS_KEY, doc)

    def finding(self, doc: dict[str, Any]) -> None:
        self.send(FINDING_KEY, doc)


class Controller:
    """The controller's plugin: workers' messages and failures go to the run directory."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.outbox = RunDirOutbox(run_dir)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        context = getattr(report, "context", None)  # a subtest report's
        head, _, body = (getattr(context, "msg", None) or "").partition(" ")
        if context is not None and head == MESSAGE:
            message = json.loads(body)
            if PROGRESS_KEY in message:
                self.outbox.progress(message[PROGRESS_KEY])
            if FINDING_KEY in message:
                self.outbox.finding(message[FINDING_KEY])
        elif report.failed:  # a harness error: the worker's traceback
            node = getattr(report, "node", None)  # set by xdist on the controller
            name = node.workerinput["workerid"] if node is not None else worker_name()[0]
            errors = self.run_dir / ERRORS
            errors.mkdir(parents=True, exist_ok=True)
            text = str(report.longrepr)
            (errors / f"{name}-{report.when}.txt").write_text(text, encoding="utf-8")


def test_campaign(request: pytest.FixtureRequest, subtests: Subtests) -> None:
    """This worker's share of the campaign given by --mikeyconf-fuzz."""
    text = request.config.getoption(OPTION)
    if not text:
        pytest.skip(f"no campaign ({OPTION} not given)")
    name, index = worker_name()
    run_worker(CampaignConfig.from_json(text), name, index, ChannelOutbox(subtests))
