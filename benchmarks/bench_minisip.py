"""One whole exchange per mode, minisip's libmikey beside our reference (pytest-benchmark).

Each side plays both roles (minisip with minisip, the reference with the reference, as
the interop matrix's diagonal does, the cells that pass): reset, the initiator's
I_MESSAGE, the responder's answer, the initiator's check of it. Three implementations
of the same calls: the reference in-process, the reference behind its Python shim
(`python -m suts.shim.reference`), and minisip behind our C++ shim; the two shims cost
the same JSON lines and pipe hops, so their difference is the implementations'.
Same profile and test PKI (RSA-2048), AES-CM-128 and HMAC-SHA-1-160; DH in OAKLEY 5.

Run: python -m pytest benchmarks/bench_minisip.py --benchmark-only -p no:mikeyconf
(builds minisip from ../shared/third_party/minisip first, as `mikeyconf build-sut` does).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from suts.base import ExchangeParams, Profile, Sut
from suts.builtin import BuiltinSut
from suts.minisip.build import DEFAULT_SOURCE, build
from suts.shim import ShimSut

MODES = ("PSK", "PK", "DH", "DH-HMAC", "RSA-R")


def minisip() -> Sut:
    if not DEFAULT_SOURCE.is_dir():
        pytest.skip(f"no minisip source tree at {DEFAULT_SOURCE}")
    return ShimSut(profile=Profile(), command=[str(build(DEFAULT_SOURCE).executable)])


def reference_shim() -> Sut:
    return ShimSut(profile=Profile(), command=[sys.executable, "-m", "suts.shim.reference"])


IMPLEMENTATIONS = {
    "reference-in-process": BuiltinSut,
    "reference-shim": reference_shim,
    "minisip-shim": minisip,
}


@pytest.fixture(scope="module", params=list(IMPLEMENTATIONS))
def sut(request: pytest.FixtureRequest) -> Iterator[Sut]:
    made = IMPLEMENTATIONS[request.param]()
    yield made
    made.close()


def exchange(sut: Sut, params: ExchangeParams) -> None:
    sut.reset()
    message = sut.initiate(params)
    reply = sut.respond(message, params)
    assert reply.accepted is not False and reply.message is not None, reply.detail
    outcome = sut.complete(reply.message)
    assert outcome.accepted, outcome.detail


@pytest.mark.parametrize("mode", MODES)
def test_exchange(benchmark: pytest.FixtureRequest, sut: Sut, mode: str) -> None:
    params = ExchangeParams(mode=mode)
    exchange(sut, params)  # warm: certificates parsed, shims started
    benchmark.group = mode
    benchmark(exchange, sut, params)
