"""The campaign as a pytest session: one test, run by every pytest-xdist worker.

`mikeyconf fuzz` runs `pytest conformance/fuzz/session.py -p
conformance.fuzz.session --mikeyconf-fuzz <run>/campaign.json`, with `-n N
--dist each` for N workers: xdist starts the processes (on this machine, or
elsewhere with `--tx ssh=...`) and hands each the same test; the worker's
number (PYTEST_XDIST_WORKER, gw0, gw1, ...) picks its seeds. A worker that
fails leaves its traceback in <run>/errors/<worker>-<phase>.txt.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conformance.fuzz.campaign import run_worker

OPTION = "--mikeyconf-fuzz"
ERRORS = "errors"
RUN_DIR_ENV = "MIKEYCONF_FUZZ_RUN"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, metavar="CAMPAIGN_JSON", help="run this fuzz campaign")


def worker_name() -> tuple[str, int]:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = "".join(c for c in name if c.isdigit())
    return name, int(digits or 0)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """A worker's failure (a harness error): its traceback goes to <run>/errors/."""
    run_dir = os.environ.get(RUN_DIR_ENV)
    if report.failed and run_dir:
        node = getattr(report, "node", None)  # set by xdist on the controller
        name = node.workerinput["workerid"] if node is not None else worker_name()[0]
        errors = Path(run_dir) / ERRORS
        errors.mkdir(parents=True, exist_ok=True)
        (errors / f"{name}-{report.when}.txt").write_text(str(report.longrepr), encoding="utf-8")


def test_campaign(request: pytest.FixtureRequest) -> None:
    """This worker's share of the campaign named by --mikeyconf-fuzz."""
    path = request.config.getoption(OPTION)
    if not path:
        pytest.skip(f"no campaign ({OPTION} not given)")
    name, index = worker_name()
    run_worker(Path(path), name, index)
