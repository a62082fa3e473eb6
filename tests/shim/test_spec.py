"""`--sut shim:...`: the command line, the timeout setting, and one-line errors for bad ones."""

from __future__ import annotations

import shlex

import pytest

from suts import SutSpecError, load_sut
from suts.base import DEFAULT_CALL_TIMEOUT, Profile
from suts.shim import TIMEOUT_VARIABLE, ShimSut, timeout_from_environment
from suts.shim.client import DEFAULT_TIMEOUT
from tests.shim.conftest import REFERENCE


def test_the_command_line_is_split_like_a_shell_would(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIMEOUT_VARIABLE, "2.5")
    sut = load_sut("shim:" + shlex.join(REFERENCE), Profile())
    try:
        assert isinstance(sut, ShimSut)
        assert list(sut.command) == REFERENCE and sut.timeout == 2.5
        assert "PSK" in sut.capabilities().modes
    finally:
        sut.close()


def test_the_timeout_defaults_to_three_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_VARIABLE, raising=False)
    assert timeout_from_environment() == DEFAULT_TIMEOUT == DEFAULT_CALL_TIMEOUT == 3.0


def test_the_profile_call_timeout_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Precedence: the profile's call_timeout (or --call-timeout, which the run puts in
    the profile) over MIKEYCONF_SHIM_TIMEOUT over the default."""
    monkeypatch.setenv(TIMEOUT_VARIABLE, "2.5")
    sut = load_sut("shim:" + shlex.join(REFERENCE), Profile(call_timeout=4.5))
    try:
        assert isinstance(sut, ShimSut)
        assert sut.timeout == sut.call_timeout() == 4.5
    finally:
        sut.close()


def test_the_handshake_has_the_start_timeout_when_calls_have_less() -> None:
    """Starting a shim (the program, its stack, the profile) is not held to a short
    per-call timeout: a 0.05 s call timeout still lets the reference shim start."""
    sut = ShimSut(profile=Profile(), command=REFERENCE, timeout=0.05)
    try:
        assert "PSK" in sut.capabilities().modes
    finally:
        sut.close()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "inf", "nan"])
def test_a_bad_timeout_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(TIMEOUT_VARIABLE, value)
    with pytest.raises(SutSpecError, match=f"{TIMEOUT_VARIABLE}=.*positive number"):
        timeout_from_environment()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("shim:", "give the shim's command line"),
        ("shim", "give the shim's command line"),
        ("shim:'unclosed", "cannot split the command line"),
        ("shim:/nonexistent/shim --x", "cannot start '/nonexistent/shim': No such file"),
    ],
)
def test_a_bad_spec_is_one_clear_error(spec: str, message: str) -> None:
    with pytest.raises(SutSpecError, match=message):
        load_sut(spec, Profile())
