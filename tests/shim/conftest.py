"""Shared set-up of the shim tests: run from the worktree root, so `python -m` finds this tree."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
REFERENCE = [PYTHON, "-m", "suts.shim.reference"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
