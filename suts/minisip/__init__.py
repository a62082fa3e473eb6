"""minisip's libmikey (C++, LGPL) as a SUT: `--sut minisip`, through our C++ shim.

build.py compiles minisip's sources (patched copies, in a cache directory) and the
shim in shim/ into one executable; `mikeyconf build-sut minisip --source DIR` runs it
(cli.py). `--sut minisip` uses the cached shim, building it first from
`<repo>/../shared/third_party/minisip` (or $MIKEYCONF_MINISIP_SOURCE) when that tree
is there. Known deviations, each with its RFC clause and minisip source line:
suts/expectations/minisip.json; docs/minisip.md tells the rest.
"""

from __future__ import annotations

import os
from pathlib import Path

from suts import SutSpecError
from suts.base import Profile, SutFailure
from suts.minisip.build import DEFAULT_SOURCE, BuildError, build, newest_cached
from suts.shim import ShimSut, timeout_from_environment

SOURCE_VARIABLE = "MIKEYCONF_MINISIP_SOURCE"


def source_dir() -> Path:
    """The minisip tree `--sut minisip` builds from: $MIKEYCONF_MINISIP_SOURCE or the default."""
    return Path(os.environ.get(SOURCE_VARIABLE) or DEFAULT_SOURCE)


def shim_executable() -> Path:
    """The built shim: built (or found in the cache) from the source tree when it is
    there, else the newest cached build; SutSpecError saying how to build one."""
    source = source_dir()
    if source.is_dir():
        try:
            return build(source).executable
        except BuildError as exc:
            raise SutSpecError(f"minisip: {exc}") from None
    cached = newest_cached()
    if cached is None:
        raise SutSpecError(
            f"minisip: no built shim and no source tree at {source}: "
            "run `mikeyconf build-sut minisip --source DIR`"
        )
    return cached


def from_spec(rest: str, profile: Profile) -> ShimSut:
    """The minisip SUT for `--sut minisip`; it is started and handshaken here."""
    if rest:
        raise SutSpecError(f"minisip takes no options (got {rest!r})")
    sut = ShimSut(
        profile=profile, command=[str(shim_executable())], timeout=timeout_from_environment()
    )
    try:
        sut.capabilities()
    except SutFailure as exc:
        sut.close()
        raise SutSpecError(f"minisip: {exc}") from None
    return sut


__all__ = ["SOURCE_VARIABLE", "from_spec", "shim_executable", "source_dir"]
