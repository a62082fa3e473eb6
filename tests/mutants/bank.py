"""The mutant bank: deliberately non-conformant variants of the built-in SUT.

Each mutant breaks exactly one requirement and names it; tests/mutants/test_bank.py
runs the whole suite against each one (`--sut tests.mutants.bank:<name>`) and
requires that requirement's verdict to be "fail". Mutants are registered by the
`*_mutants.py` modules beside this one (MODULES), each holding the mutants of one area.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from suts.base import Profile, Sut


@dataclass(frozen=True)
class Mutant:
    """A broken SUT: how to build it, the requirement it breaks, and how."""

    factory: Callable[..., Sut]
    breaks: str
    description: str


MUTANTS: dict[str, Mutant] = {}


def mutant(breaks: str, description: str) -> Callable[[Callable[..., Sut]], Callable[..., Sut]]:
    """Register a SUT factory `f(profile=...)` as a mutant under its function name."""

    def register(factory: Callable[..., Sut]) -> Callable[..., Sut]:
        if factory.__name__ in MUTANTS:
            raise ValueError(f"duplicate mutant {factory.__name__}")
        MUTANTS[factory.__name__] = Mutant(factory, breaks, description)
        return factory

    return register


MODULES = tuple(
    f"tests.mutants.{path.stem}" for path in sorted(Path(__file__).parent.glob("*_mutants.py"))
)
"""Every `*_mutants.py` module beside this one: one area's mutants each."""
for _module in MODULES:
    importlib.import_module(_module)


def __getattr__(name: str) -> Callable[..., Sut]:
    """`--sut tests.mutants.bank:<name>` finds a mutant's factory here."""
    if name in MUTANTS:
        return MUTANTS[name].factory
    raise AttributeError(name)


__all__ = ["MUTANTS", "Mutant", "Profile", "mutant"]
