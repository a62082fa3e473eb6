"""Shim round-trip overhead: one SUT call in-process versus through the reference shim.

The same call on the same bytes (decode of the RFC 4567 section 5 example 1 PSK
I_MESSAGE, and a reset, which does no work) on the built-in SUT and on
`python -m suts.shim.reference` behind ShimSut; the difference of the medians is
the protocol's cost per call (JSON, base64, two pipe hops, two context switches).

Run: python -m pytest benchmarks/bench_shim.py --benchmark-only -p no:mikeyconf
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.corpus import valid_samples
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut
from suts.shim import ShimSut

ROOT = Path(__file__).resolve().parents[1]
I_MESSAGE = next(s.data for s in valid_samples() if s.name == "rfc4567-5.1-tc1")


@pytest.fixture(scope="module", params=["in-process", "shim"])
def sut(request: pytest.FixtureRequest) -> Iterator[Sut]:
    if request.param == "in-process":
        yield BuiltinSut(profile=Profile())
        return
    command = [
        sys.executable,
        "-c",
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from suts.shim.reference import main; sys.exit(main([]))",
        str(ROOT),
    ]
    shim = ShimSut(profile=Profile(), command=command)
    shim.capabilities()
    yield shim
    shim.close()


def test_decode_psk_i_message(benchmark, sut: Sut) -> None:  # type: ignore[no-untyped-def]
    assert benchmark(sut.decode, I_MESSAGE).accepted


def test_reset(benchmark, sut: Sut) -> None:  # type: ignore[no-untyped-def]
    benchmark(sut.reset)
