"""Fixtures of the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.real_run import make_run


@pytest.fixture(scope="session")
def secret_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run with one failure and its secrets kept (tests/report/real_run.py)."""
    return make_run(tmp_path_factory.mktemp("secret"), "--show-secrets")
