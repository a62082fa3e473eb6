"""The big-integer backend of the identity-based primitives (ECCSI, SAKKE, the pairing).

gmpy2's `mpz` when gmpy2 is installed, Python's `int` otherwise: the arithmetic is the
same code either way, only the number type underneath changes (`num` converts an input
at each entry point; results go back to `int` with `int()`). gmpy2 is an optional speed-up
(the `fast` extra); the environment variable MIKEY_PURE_PYTHON=1 or `use_gmpy2(False)`
forces pure Python, so both paths can be tested and measured in one interpreter.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

try:
    _GMPY2: Any = importlib.import_module("gmpy2")
except ImportError:  # pragma: no cover - depends on the interpreter
    _GMPY2 = None

_enabled = _GMPY2 is not None and os.environ.get("MIKEY_PURE_PYTHON", "") not in {"1", "yes"}


def gmpy2_available() -> bool:
    """Whether gmpy2 is installed."""
    return _GMPY2 is not None


def gmpy2_in_use() -> bool:
    """Whether the arithmetic runs on gmpy2 now."""
    return _enabled


def use_gmpy2(enabled: bool) -> None:
    """Switch the backend: gmpy2 (it must be installed) or pure Python."""
    global _enabled
    if enabled and _GMPY2 is None:
        raise RuntimeError("gmpy2 is not installed (pip install 'mikey-conformance[fast]')")
    _enabled = enabled


def num(value: int) -> int:
    """`value` in the backend's number type (an `mpz` is used exactly like an `int`)."""
    if _enabled:
        converted: int = _GMPY2.mpz(value)
        return converted
    return value


def inverse(value: int, modulus: int) -> int:
    """value^-1 modulo `modulus` (ValueError when there is none)."""
    if _enabled:
        try:
            result: int = _GMPY2.invert(value, modulus)
        except ZeroDivisionError as exc:
            raise ValueError("not invertible") from exc
        return result
    return pow(value, -1, modulus)
