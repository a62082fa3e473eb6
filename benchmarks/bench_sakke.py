"""Benchmarks of the identity-based primitives of MIKEY-SAKKE: the pairing (RFC 6508 3.2),
ECCSI signing and verification (RFC 6507 5.2), SAKKE encapsulation and decapsulation
(RFC 6508 6.2), and a whole MIKEY-SAKKE exchange (RFC 6509: the initiator builds and signs
the I_MESSAGE, the responder checks and decapsulates it), each on gmpy2 and on pure Python
(pytest-benchmark; never timed asserts).

Run: python -m pytest benchmarks/bench_sakke.py --benchmark-only -p no:mikeyconf
     (add --benchmark-columns=median,mean,rounds to see the medians docs/performance.md quotes)
The identifier, SSV and KMS Master Secret are RFC 6507/6508 Appendix A's; the ECCSI
ephemerals are full-size (the appendix's KSAK, v and j are 20-bit, unrealistically cheap).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mikey.crypto import bignum
from mikey.crypto.eccsi import kms_public_key as kpak_of
from mikey.crypto.eccsi import make_signing_key, random_scalar, sign, verify
from mikey.crypto.pairing import pairing
from mikey.crypto.sakke import (
    PARAMETER_SET_1,
    decapsulate,
    encapsulate,
    kms_public_key,
    receiver_secret_key,
)
from mikey.modes.sakke_common import SakkeSettings
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_kms import SakkeCommunity
from mikey.modes.sakke_responder import SakkeResponder

ID = b"2011-02\x00tel:+447700900123\x00"
KSAK, V, J = (random_scalar(hashlib.sha512(label).digest()) for label in (b"KSAK", b"v", b"j"))
Z = 0xAFF429D35F84B110D094803B3595A6E2998BC99F
SSV = bytes.fromhex("123456789abcdef0123456789abcdef0")
MESSAGE = b"message\x00"
E = PARAMETER_SET_1.curve


@pytest.fixture(params=["gmpy2", "pure-python"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "gmpy2" and not bignum.gmpy2_available():
        pytest.skip("gmpy2 not installed")
    before = bignum.gmpy2_in_use()
    bignum.use_gmpy2(request.param == "gmpy2")
    yield str(request.param)
    bignum.use_gmpy2(before)


def run(benchmark: Any, function: Callable[[], Any]) -> Any:
    """Few rounds: a pure-Python pairing takes a quarter of a second."""
    return benchmark.pedantic(function, rounds=7, iterations=1, warmup_rounds=1)


def test_pairing(benchmark: Any, backend: str) -> None:
    assert run(benchmark, lambda: pairing(E, E.generator, E.generator)) == PARAMETER_SET_1.g


def test_eccsi_sign(benchmark: Any, backend: str) -> None:
    key = make_signing_key(KSAK, ID, V)
    assert len(run(benchmark, lambda: sign(MESSAGE, key, J))) == 129


def test_eccsi_verify(benchmark: Any, backend: str) -> None:
    key, kpak = make_signing_key(KSAK, ID, V), kpak_of(KSAK)
    signature = sign(MESSAGE, key, J)
    assert run(benchmark, lambda: verify(MESSAGE, signature, ID, kpak))


def test_sakke_encapsulate(benchmark: Any, backend: str) -> None:
    z_point = kms_public_key(Z)
    assert len(run(benchmark, lambda: encapsulate(SSV, ID, z_point))) == 273


def test_sakke_decapsulate(benchmark: Any, backend: str) -> None:
    z_point, rsk = kms_public_key(Z), receiver_secret_key(ID, Z)
    data = encapsulate(SSV, ID, z_point)
    assert run(benchmark, lambda: decapsulate(data, ID, z_point, rsk)) == SSV


def test_whole_mikey_sakke_exchange(benchmark: Any, backend: str) -> None:
    """One I_MESSAGE: SSV, encapsulation, ECCSI signature; the responder's checks, ECCSI
    verification, decapsulation (pairing and TEST). User keys are issued (and validated)
    once, outside the timing, as a KMS provisions them ahead of calls."""
    community = SakkeCommunity()
    settings = SakkeSettings(community.kms, community.uri_initiator, community.uri_responder)
    SakkeResponder(settings).receive(SakkeInitiator(settings).start())  # issue the keys

    def exchange() -> bool:
        reply = SakkeResponder(settings).receive(SakkeInitiator(settings).start())
        return reply.outcome.accepted

    assert run(benchmark, exchange)
