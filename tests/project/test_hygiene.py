"""No build artefact is tracked, and .gitignore keeps new ones out."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ("*.whl", "*.tar.gz", "*.so", "*.o", "*.a", "*.pyc")


def git(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        pytest.skip(f"not a git checkout: {done.stderr.strip()}")
    return done


def test_no_build_artefact_is_tracked() -> None:
    assert git("ls-files", *ARTEFACTS).stdout.split() == []


@pytest.mark.parametrize("name", ["redis-8.1.0-py3-none-any.whl", "dist/x.tar.gz", "a.so"])
def test_gitignore_keeps_artefacts_out(name: str) -> None:
    assert git("check-ignore", "--no-index", name).returncode == 0, f"{name} is not ignored"
