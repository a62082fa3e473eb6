"""Loading the project's JSON vector files (mikey/vectors/, Wycheproof style) for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mikey.vectors import load

VECTORS = Path(__file__).resolve().parents[2] / "mikey" / "vectors"
"""The source tree's copy, which tests/crypto/make_prf_vectors.py writes."""


__all__ = ["VECTORS", "cases", "h", "load"]


def cases(name: str, group_type: str | None = None) -> list[Any]:
    """pytest params (group, test) of every test in file `name`, with id '<file>#<tcId>'."""
    return [
        pytest.param(group, test, id=f"{name}#{test['tcId']}")
        for group in load(name)["testGroups"]
        if group_type is None or group["type"] == group_type
        for test in group["tests"]
    ]


def h(value: str) -> bytes:
    return bytes.fromhex(value)
