"""PK mode (RFC 3830 3.2) end to end: both parties agree on the CSB and its keys."""

from __future__ import annotations

import pytest

from mikey.crypto.envelope import EnvelopeScheme
from mikey.crypto.signature import RSA_SIGN_TYPES
from mikey.wire import (
    Cert,
    DataType,
    EncrAlg,
    Id,
    Kemac,
    KeyType,
    MacAlg,
    Pke,
    PkeCache,
    Rand,
    Sign,
    SignType,
    decode_message,
)
from tests.modes.pairs import ALICE, BOB
from tests.modes.pk_pairs import make_pk_pair


@pytest.mark.parametrize("s_type", list(RSA_SIGN_TYPES), ids=lambda s: s.name)
@pytest.mark.parametrize("envelope", list(EnvelopeScheme))
@pytest.mark.parametrize("encr", [EncrAlg.AES_CM_128, EncrAlg.NULL], ids=lambda e: e.name)
def test_exchange_establishes_the_same_keys(
    s_type: SignType, envelope: EnvelopeScheme, encr: EncrAlg
) -> None:
    mac = MacAlg.HMAC_SHA_1_160
    pair = make_pk_pair(s_type=s_type, envelope=envelope, transport={"encr_alg": encr})
    i_message = pair.initiator.start()
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    assert decode_message(reply.message).hdr.data_type == DataType.PK_RESP
    outcome = pair.initiator.receive(reply.message)
    assert outcome.accepted, outcome.reason
    csb_i, csb_r = pair.initiator.csb, pair.responder.last_csb
    assert csb_i is not None and csb_r is not None
    assert csb_i.key_data == csb_r.key_data
    assert csb_i.srtp_keys(1) == csb_r.srtp_keys(1)
    kemac = decode_message(i_message).first(Kemac)
    assert kemac is not None and (kemac.encr_alg, kemac.mac_alg) == (encr, mac)


def test_i_message_layout() -> None:
    """HDR, T, RAND, IDi, CERTi (chain), IDr, {SP}, KEMAC, CHASH, PKE, SIGNi (3.2, 6.7)."""
    msg = decode_message(make_pk_pair().initiator.start())
    kinds = [type(p).__name__ for p in msg.payloads]
    assert kinds == [
        "Timestamp", "Rand", "Id", "Cert", "Cert", "Id",
        "SecurityPolicy", "Kemac", "Chash", "Pke", "Sign",
    ]  # fmt: skip
    assert msg.hdr.data_type == DataType.PK_INIT
    assert msg.all(Id) == [ALICE, BOB]
    sign = msg.payloads[-1]
    assert isinstance(sign, Sign) and len(sign.signature) == 256


def test_certificate_may_stand_in_for_the_clear_idi() -> None:
    """[IDi|CERTi]: CERTi alone, then IDr; the responder reads IDr after the chain."""
    pair = make_pk_pair(transport={"id_i": None})
    msg = decode_message(data := pair.initiator.start())
    assert msg.all(Id) == [BOB] and len(msg.all(Cert)) == 2
    assert pair.responder.receive(data).outcome.accepted


def test_responder_uses_the_known_certificate_when_none_is_sent() -> None:
    pair = make_pk_pair(send_cert=False, send_chash=False)
    data = pair.initiator.start()
    assert not decode_message(data).all(Cert)
    assert pair.responder.receive(data).outcome.accepted


def test_v_clear_establishes_without_a_response() -> None:
    pair = make_pk_pair(transport={"v": False})
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted and reply.message is None
    assert pair.initiator.csb is not None


def test_salted_tgk_travels_with_its_salt() -> None:
    pair = make_pk_pair(transport={"key_type": KeyType.TGK_SALT})
    pair.responder.receive(pair.initiator.start())
    csb = pair.responder.last_csb
    assert csb is not None and csb.key_data[0].salt is not None


def test_update_carries_a_new_envelope_key_and_no_rand() -> None:
    """4.5: same CSB ID, new T, no RAND, a new encrypted envelope key; IDi still in KEMAC."""
    pair = make_pk_pair()
    first = pair.initiator.start()
    first_key = pair.initiator.env_key
    reply = pair.responder.receive(first)
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    update = pair.initiator.start_update(new_keys=False)
    assert pair.initiator.env_key != first_key
    msg = decode_message(update)
    assert msg.first(Rand) is None and msg.first(Pke) is not None
    assert msg.hdr.csb_id == decode_message(first).hdr.csb_id
    reply = pair.responder.receive(update)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    assert pair.responder.last_initiator_id == ALICE


@pytest.mark.parametrize("cache", list(PkeCache), ids=lambda c: c.name)
def test_responder_caches_the_envelope_key_as_the_pke_asks(cache: PkeCache) -> None:
    pair = make_pk_pair(cache=cache)
    data = pair.initiator.start()
    pair.responder.receive(data)
    csb_id = decode_message(data).hdr.csb_id
    cached = pair.responder.envelope_keys.for_update(csb_id)
    kept = cached.env_key if cached is not None else None
    assert kept == (None if cache == PkeCache.NO_CACHE else pair.initiator.env_key)
