"""Delta reduction (Zeller and Hildebrandt's ddmin) of a failing input.

Hypothesis shrinks what it drew (the choice of seed and mutations); what is
left of a mutated message can often lose more bytes, or more operations, and
still show the same finding. `ddmin` removes chunks, halving their size each
time nothing can go, until no single element can be removed, within a budget
of tries (each try is one call to the SUT).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def ddmin(items: Sequence[T], fails: Callable[[list[T]], bool], budget: int = 1000) -> list[T]:
    """A 1-minimal sublist of `items` for which `fails` holds (given it holds for `items`)."""
    current = list(items)
    n = 2
    tries = 0
    while len(current) >= 2 and tries < budget:
        size = max(len(current) // n, 1)
        chunks = [current[i : i + size] for i in range(0, len(current), size)]
        reduced = False
        for i in range(len(chunks)):
            complement = [x for j, c in enumerate(chunks) if j != i for x in c]
            tries += 1
            if fails(complement):
                current, n, reduced = complement, max(n - 1, 2), True
                break
            if tries >= budget:
                break
        if not reduced:
            if size == 1:
                break
            n = min(n * 2, len(current))
    if len(current) == 1 and tries < budget and fails([]):
        return []
    return current


def ddmin_bytes(data: bytes, fails: Callable[[bytes], bool], budget: int = 1000) -> bytes:
    """`ddmin` over the bytes of `data`."""
    return bytes(ddmin(list(data), lambda xs: fails(bytes(xs)), budget))
