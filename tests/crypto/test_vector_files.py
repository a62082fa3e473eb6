"""Every vector file follows vectors/schema.json, counts its tests and numbers them uniquely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.crypto.vectors import VECTORS

FILES = sorted(p for p in VECTORS.glob("*.json") if p.name != "schema.json")


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(json.loads((VECTORS / "schema.json").read_text()))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_vector_file(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((VECTORS / "schema.json").read_text())
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    ids = [t["tcId"] for g in data["testGroups"] for t in g["tests"]]
    assert len(ids) == data["numberOfTests"]
    assert len(set(ids)) == len(ids), "tcIds must be unique within a file"
