"""Loading the project's JSON vector files (vectors/, Wycheproof style) for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

VECTORS = Path(__file__).resolve().parents[2] / "vectors"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


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
