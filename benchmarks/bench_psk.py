"""Benchmarks of the PSK walking skeleton (pytest-benchmark; never timed assertions).

Run: python -m pytest benchmarks/bench_psk.py --benchmark-only -p no:mikeyconf
Figures go to docs/performance.md with the machine they came from.
"""

from __future__ import annotations

import pytest

from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings
from mikey.wire import Id, IdType, decode_message, encode_message

SETTINGS = PskSettings(
    psk=bytes(range(16)),
    id_i=Id(IdType.URI, b"sip:alice@mikey.test"),
    id_r=Id(IdType.URI, b"sip:bob@mikey.test"),
)


@pytest.fixture(scope="module")
def i_message() -> bytes:
    return PskInitiator(SETTINGS, Environment()).start()


def test_decode_psk_i_message(benchmark, i_message: bytes) -> None:  # type: ignore[no-untyped-def]
    msg = benchmark(decode_message, i_message)
    assert encode_message(msg) == i_message


def test_encode_psk_i_message(benchmark, i_message: bytes) -> None:  # type: ignore[no-untyped-def]
    msg = decode_message(i_message)
    assert benchmark(encode_message, msg) == i_message


def test_whole_psk_exchange(benchmark) -> None:  # type: ignore[no-untyped-def]
    """Initiator builds the I_MESSAGE, responder checks it and answers (V=1), initiator
    verifies the R_MESSAGE: one whole PSK exchange, AES-CM-128 and HMAC-SHA-1-160."""
    responder = PskResponder(SETTINGS, Environment())

    def exchange() -> bool:
        initiator = PskInitiator(SETTINGS, Environment())
        reply = responder.receive(initiator.start())
        assert reply.message is not None
        return initiator.receive(reply.message).accepted

    assert benchmark(exchange)
