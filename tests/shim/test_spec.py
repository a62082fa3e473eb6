"""`--sut shim:...`: the command line, the timeout setting, and one-line errors for bad ones."""

from __future__ import annotations

import shlex

import pytest

from suts import SutSpecError, load_sut
from suts.base import Profile
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


def test_the_timeout_defaults_to_ten_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIMEOUT_VARIABLE, raising=False)
    assert timeout_from_environment() == DEFAULT_TIMEOUT == 10.0


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
