"""A fixture that runs a test module on both big-integer backends (mikey.crypto.bignum)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mikey.crypto import bignum


@pytest.fixture(params=["gmpy2", "pure-python"], autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run on gmpy2 (skipped when it is not installed), then on pure Python."""
    if request.param == "gmpy2" and not bignum.gmpy2_available():
        pytest.skip("gmpy2 not installed")
    before = bignum.gmpy2_in_use()
    bignum.use_gmpy2(request.param == "gmpy2")
    yield str(request.param)
    bignum.use_gmpy2(before)
