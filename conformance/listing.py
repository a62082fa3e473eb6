"""`mikeyconf run --list`: the selected tests with their mode, role and requirement IDs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from conformance.plugin import conformance_test_id, marker_arg, requirement_ids


@dataclass(frozen=True)
class Listed:
    test_id: str
    mode: str
    role: str
    requirements: tuple[str, ...]


class Lister:
    """A pytest plugin keeping the tests left after the suite's own selection."""

    def __init__(self) -> None:
        self.tests: list[Listed] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.tests = [
            Listed(
                conformance_test_id(item),
                marker_arg(item, "mode") or "",
                marker_arg(item, "role") or "",
                tuple(requirement_ids(item)),
            )
            for item in session.items
        ]


def format_tests(tests: Sequence[Listed]) -> str:
    """One line per test (ID, mode, role, requirement IDs), then the count."""
    width = max((len(t.test_id) for t in tests), default=0)
    lines = [
        f"{t.test_id:<{width}}  {t.mode:<7}  {t.role:<9}  {' '.join(t.requirements)}" for t in tests
    ]
    return "\n".join([*lines, f"{len(tests)} test(s)"])
