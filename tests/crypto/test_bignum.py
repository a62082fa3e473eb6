"""The big-integer backend switch: gmpy2 when installed, pure Python when forced."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mikey.crypto import bignum


def test_switching_changes_the_number_type() -> None:
    before = bignum.gmpy2_in_use()
    try:
        bignum.use_gmpy2(False)
        assert type(bignum.num(5)) is int and not bignum.gmpy2_in_use()
        assert bignum.inverse(3, 7) == 5
        if bignum.gmpy2_available():
            bignum.use_gmpy2(True)
            assert type(bignum.num(5)) is not int and bignum.gmpy2_in_use()
            assert bignum.inverse(3, 7) == 5
    finally:
        bignum.use_gmpy2(before)


@pytest.mark.parametrize("use", [False, True])
def test_no_inverse_is_a_value_error(use: bool) -> None:
    if use and not bignum.gmpy2_available():
        pytest.skip("gmpy2 not installed")
    before = bignum.gmpy2_in_use()
    try:
        bignum.use_gmpy2(use)
        with pytest.raises(ValueError):
            bignum.inverse(bignum.num(6), 9)
    finally:
        bignum.use_gmpy2(before)


def test_gmpy2_cannot_be_switched_on_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bignum, "_GMPY2", None)
    with pytest.raises(RuntimeError, match="gmpy2 is not installed"):
        bignum.use_gmpy2(True)


def test_the_environment_variable_forces_pure_python() -> None:
    code = "from mikey.crypto import bignum; print(bignum.gmpy2_in_use())"
    env = {**os.environ, "MIKEY_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
