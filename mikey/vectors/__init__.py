"""The project's JSON test-vector files, read from the installed package.

Published data transcribed exactly (RFC 3711 B.2/B.3, RFC 4567 5.1, RFC 6507 and
RFC 6508 Appendix A) and computed known answers; format in README.md beside this file.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def files() -> list[Traversable]:
    """Every vector file (`*.json` but the schema), sorted by name."""
    found = [f for f in resources.files(__name__).iterdir() if f.name.endswith(".json")]
    return sorted((f for f in found if f.name != "schema.json"), key=lambda f: f.name)


def load(name: str) -> dict[str, Any]:
    """The vector file `name` (e.g. "rfc4567-examples.json"), or the schema, as JSON."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
