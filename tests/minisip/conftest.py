"""minisip built once per session from <repo>/../shared/third_party/minisip.

The build goes to the cache ($XDG_CACHE_HOME/mikeyconf, under a file lock, keyed by
a digest of every input), so pytest-xdist workers and later sessions share it. The
tests skip only when the source tree is absent; a missing compiler or header package
is an error, as it is for `mikeyconf build-sut`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from suts.minisip.build import DEFAULT_SOURCE, Built, build


@dataclass(frozen=True)
class MinisipBuild:
    """The session's build, with the source tree's digest taken before it ran."""

    built: Built
    source: Path
    tree_before: dict[str, tuple[int, int]]
    seconds: float


def tree_state(source: Path) -> dict[str, tuple[int, int]]:
    """Every file of the source tree: (size, mtime in ns); a patch applied in place shows."""
    return {
        str(p.relative_to(source)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(source.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def minisip() -> MinisipBuild:
    if not DEFAULT_SOURCE.is_dir():
        pytest.skip(f"the minisip source snapshot is not here: {DEFAULT_SOURCE}")
    before = tree_state(DEFAULT_SOURCE)
    start = time.monotonic()
    built = build(DEFAULT_SOURCE)
    return MinisipBuild(built, DEFAULT_SOURCE, before, time.monotonic() - start)
