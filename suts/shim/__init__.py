"""The subprocess shim adapter: any program speaking mikey-shim/1 as a SUT (PROTOCOL.md).

`--sut shim:'<command line>'` runs the command (split as a POSIX shell would,
without a shell) and drives it over its stdin and stdout. Each call's timeout is,
first found: the profile's `call_timeout` (which `mikeyconf run --call-timeout`
overrides), MIKEYCONF_SHIM_TIMEOUT, the default of 3 s (suts.base.DEFAULT_CALL_TIMEOUT).
"""

from __future__ import annotations

import os
import shlex

from suts import SutSpecError
from suts.base import Profile, SutFailure
from suts.shim.client import DEFAULT_TIMEOUT, ShimSut

TIMEOUT_VARIABLE = "MIKEYCONF_SHIM_TIMEOUT"

__all__ = ["TIMEOUT_VARIABLE", "ShimSut", "from_spec", "timeout_from_environment"]


def timeout_from_environment() -> float:
    """The per-call timeout MIKEYCONF_SHIM_TIMEOUT (seconds, > 0) sets, or the default."""
    text = os.environ.get(TIMEOUT_VARIABLE)
    if text is None or not text.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise SutSpecError(f"{TIMEOUT_VARIABLE}={text!r}: expected a positive number of seconds")
    return value


def from_spec(rest: str, profile: Profile) -> ShimSut:
    """The shim SUT for `--sut shim:REST`; it is started and handshaken here."""
    try:
        command = shlex.split(rest)
    except ValueError as exc:
        raise SutSpecError(f"shim:{rest}: cannot split the command line: {exc}") from None
    if not command:
        raise SutSpecError(
            "shim: give the shim's command line, e.g. shim:'python -m suts.shim.reference'"
        )
    timeout = profile.call_timeout
    sut = ShimSut(
        profile=profile,
        command=command,
        timeout=timeout_from_environment() if timeout is None else timeout,
    )
    try:
        sut.capabilities()
    except SutFailure as exc:
        sut.close()
        raise SutSpecError(str(exc)) from None
    return sut
