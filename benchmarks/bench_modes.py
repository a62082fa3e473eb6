"""One whole exchange per public-key mode, initiator plus responder (pytest-benchmark).

Run: python -m pytest benchmarks/bench_modes.py --benchmark-only -p no:mikeyconf
Each exchange: the initiator builds and signs its I_MESSAGE, the responder
checks it completely (certificate chain, signature, envelope, MACs) and
answers, the initiator verifies the answer. `test_pk_update` times an update of
an established PK CSB: a PK message (C=0) beside a PSK message keyed with the
cached envelope key (C=1, RFC 3830 3.2, 4.5). 2048-bit RSA keys from the test
PKI; AES-CM-128 and HMAC-SHA-1-160. The median goes to docs/performance.md.
"""

from __future__ import annotations

import pytest

from conformance.testpki import test_pki
from mikey.modes.base import Environment
from mikey.modes.pk_common import PkSettings
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_common import PskSettings
from mikey.modes.rsar_common import RsaRSettings
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.rsar_responder import RsaRResponder
from mikey.wire import Id, IdType, PkeCache

ALICE = Id(IdType.URI, b"sip:alice@mikey.test")
BOB = Id(IdType.URI, b"sip:bob@mikey.test")
PKI = test_pki(ALICE, BOB)
TRANSPORT = PskSettings(psk=b"unused in PK", id_i=ALICE, id_r=BOB)


def pk_settings(cache: PkeCache = PkeCache.NO_CACHE) -> tuple[PkSettings, PkSettings]:
    """The PK initiator's and responder's settings; the initiator's PKE says `cache`."""
    anchors = (PKI.root,)
    i_settings = PkSettings(
        TRANSPORT,
        PKI.initiator.good,
        anchors,
        peer=PKI.responder.good,
        initiator_id=ALICE,
        cache=cache,
    )
    r_settings = PkSettings(
        TRANSPORT, PKI.responder.good, anchors, peer=PKI.initiator.good, initiator_id=ALICE
    )
    return i_settings, r_settings


def round_trip(initiator: PkInitiator, responder: PkResponder, data: bytes) -> bool:
    """The responder takes `data` and the initiator its answer. The responder's replay cache
    is emptied first: thousands of rounds would fill it (RFC 3830 5.4) and make every
    message pay for purging it."""
    responder.replay.clear()
    reply = responder.receive(data)
    assert reply.message is not None, reply.outcome.reason
    return initiator.receive(reply.message).accepted


def test_whole_pk_exchange(benchmark) -> None:  # type: ignore[no-untyped-def]
    """PK (RFC 3830 3.2): I_MESSAGE with IDi, CERTi (2 certificates), IDr, SP, KEMAC,
    CHASH, PKE (RSA PKCS#1 v1.5), SIGNi (RSA PKCS#1 v1.5); R_MESSAGE with V."""
    i_settings, r_settings = pk_settings()
    responder = PkResponder(r_settings, Environment())

    def exchange() -> bool:
        initiator = PkInitiator(i_settings, Environment())
        return round_trip(initiator, responder, initiator.start())

    assert benchmark(exchange)


@pytest.mark.parametrize("cache", [PkeCache.NO_CACHE, PkeCache.CACHE], ids=lambda c: c.name)
def test_pk_update(benchmark, cache: PkeCache) -> None:  # type: ignore[no-untyped-def]
    """An update of an established PK CSB (RFC 3830 4.5), new TGK, answered with V: with
    C=0 a PK message (new envelope key under the responder's RSA key, IDi and CERTi,
    SIGNi); with C=1 a PSK message keyed with the cached envelope key (3.2)."""
    i_settings, r_settings = pk_settings(cache)
    responder = PkResponder(r_settings, Environment())
    initiator = PkInitiator(i_settings, Environment())
    assert round_trip(initiator, responder, initiator.start())

    def update() -> bool:
        return round_trip(initiator, responder, initiator.start_update())

    assert benchmark(update)


def test_whole_rsa_r_exchange(benchmark) -> None:  # type: ignore[no-untyped-def]
    """RSA-R (RFC 4738): I_MESSAGE with RAND, IDi, CERTi, IDr, SP, SIGNi; R_MESSAGE with
    IDr, CERTr, SP, KEMAC, PKE (RSA PKCS#1 v1.5 under the initiator's key), SIGNr."""
    anchors = (PKI.root,)
    i_settings = RsaRSettings(
        TRANSPORT, PKI.initiator.good, anchors, peer=PKI.responder.good, initiator_id=ALICE
    )
    r_settings = PkSettings(
        TRANSPORT, PKI.responder.good, anchors, peer=PKI.initiator.good, initiator_id=ALICE
    )
    responder = RsaRResponder(r_settings, Environment())

    def exchange() -> bool:
        initiator = RsaRInitiator(i_settings, Environment())
        reply = responder.receive(initiator.start())
        assert reply.message is not None, reply.outcome.reason
        return initiator.receive(reply.message).accepted

    assert benchmark(exchange)
