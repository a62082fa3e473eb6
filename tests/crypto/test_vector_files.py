"""Every vector file follows mikey/vectors/schema.json, counts its tests and numbers them
uniquely; and the installed package holds every file of the source tree."""

from __future__ import annotations

import json
from importlib.resources.abc import Traversable

import pytest

from mikey import vectors
from tests.crypto.vectors import VECTORS


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(vectors.load("schema.json"))


@pytest.mark.parametrize("path", vectors.files(), ids=lambda p: p.name)
def test_vector_file(path: Traversable) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(vectors.load("schema.json")).validate(data)
    ids = [t["tcId"] for g in data["testGroups"] for t in g["tests"]]
    assert len(ids) == data["numberOfTests"]
    assert len(set(ids)) == len(ids), "tcIds must be unique within a file"


def test_the_loader_sees_every_file_of_the_tree() -> None:
    in_tree = sorted(p.name for p in VECTORS.glob("*.json") if p.name != "schema.json")
    assert [f.name for f in vectors.files()] == in_tree
    assert len(in_tree) >= 6
