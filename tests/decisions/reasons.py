"""tests/decisions/unexercised.json: why a decision is not taken by the SUT in any test.

An object of decision ID -> reason (one line). A reason says why no conformance test can
make a SUT take it ("unreachable from the wire: ...", "only the peer side ...") or that
it is "not yet tested: ..." (a known gap), or that a test reaches it only "by chance:
..." (then a run may or may not take it). Every unexercised decision needs one; an entry
whose decision is taken after all (unless by chance), or no longer exists, is stale and
must go.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from tests.decisions.points import Decision

REASONS = Path(__file__).with_name("unexercised.json")
BY_CHANCE = "by chance:"
"""A reason for a decision some test reaches only in some runs (random keys)."""


class Measured(Protocol):
    decisions: list[Decision]
    by_sut: set[str]

    @property
    def unexercised(self) -> list[Decision]: ...


def load_reasons(path: Path = REASONS) -> dict[str, str]:
    data = json.loads(path.read_text())
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise ValueError(f"{path}: expected an object of decision ID -> non-empty reason")
    return data


def problems(result: Measured, reasons: dict[str, str], partial: bool = False) -> list[str]:
    """What is wrong with the reasons file for `result`: unexercised decisions without a
    reason, and (unless only `partial` a run was measured) stale entries."""
    found = [
        f"{d.id} ({d.path}:{d.line}) is taken by no SUT in any test and has no reason"
        for d in result.unexercised
        if d.id not in reasons
    ]
    if not partial:
        ids = {d.id for d in result.decisions}
        found += [f"{i}: listed, but no such decision" for i in reasons if i not in ids]
        found += [
            f"{i}: listed, but the SUT takes it"
            for i, why in reasons.items()
            if i in result.by_sut and not why.startswith(BY_CHANCE)
        ]
    return found
