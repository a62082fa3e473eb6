"""Full PSK exchanges (RFC 3830 3.1, 4.5): both sides end with the same SRTP keys."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.csb import Csb
from mikey.modes.psk import PskSettings
from mikey.modes.psk_common import SALTED
from mikey.srtp import libsrtp_session
from mikey.wire import (
    DataType,
    EncrAlg,
    Id,
    Kemac,
    KeyType,
    MacAlg,
    Rand,
    SrtpIdEntry,
    Timestamp,
    Verification,
    decode_message,
)
from tests.modes.pairs import BOB, PSK, make_pair

ENCRYPTIONS = [EncrAlg.NULL, EncrAlg.AES_CM_128, EncrAlg.AES_KW_128]


def same_keys(a: Csb | None, b: Csb | None) -> None:
    assert a is not None and b is not None
    assert a.cs_ids() == b.cs_ids() and a.cs_ids()
    for cs_id in a.cs_ids():
        assert a.srtp_keys(cs_id) == b.srtp_keys(cs_id)


@pytest.mark.parametrize("encr", ENCRYPTIONS, ids=lambda e: e.name)
def test_exchange_with_verification(encr: EncrAlg) -> None:
    pair = make_pair(encr_alg=encr)
    i_message = pair.initiator.start()
    assert pair.initiator.csb is None  # V=1: established when the R_MESSAGE verifies
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    outcome = pair.initiator.receive(reply.message)
    assert outcome.accepted, outcome.reason
    same_keys(pair.initiator.csb, pair.responder.last_csb)


@pytest.mark.parametrize("encr", ENCRYPTIONS, ids=lambda e: e.name)
def test_exchange_without_verification(encr: EncrAlg) -> None:
    """V=0: no response expected (6.1); the initiator's CSB stands at once."""
    pair = make_pair(encr_alg=encr, v=False)
    i_message = pair.initiator.start()
    assert pair.initiator.csb is not None
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted and reply.message is None
    same_keys(pair.initiator.csb, pair.responder.last_csb)


def test_null_mac_with_null_encryption() -> None:
    """4.2.4: the NULL MAC can be used together with NULL encryption."""
    pair = make_pair(encr_alg=EncrAlg.NULL, mac_alg=MacAlg.NULL)
    i_message = pair.initiator.start()
    kemac = decode_message(i_message).payloads[-1]
    assert isinstance(kemac, Kemac) and kemac.mac_alg == MacAlg.NULL and kemac.mac == b""
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted and reply.message is not None
    v = decode_message(reply.message).payloads[-1]
    assert v == Verification(MacAlg.NULL, b"")
    assert pair.initiator.receive(reply.message).accepted
    same_keys(pair.initiator.csb, pair.responder.last_csb)


@pytest.mark.parametrize("encr", [EncrAlg.AES_CM_128, EncrAlg.AES_KW_128], ids=lambda e: e.name)
def test_settings_refuse_null_mac_with_encryption(encr: EncrAlg) -> None:
    with pytest.raises(ValueError, match=r"4\.2\.4"):
        PskSettings(psk=PSK, encr_alg=encr, mac_alg=MacAlg.NULL)


@pytest.mark.parametrize("key_type", list(KeyType), ids=lambda k: k.name)
def test_every_key_type(key_type: KeyType) -> None:
    pair = make_pair(key_type=key_type)
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    csb = pair.responder.last_csb
    same_keys(pair.initiator.csb, csb)
    assert csb is not None
    (key_data,) = csb.key_data
    assert key_data.key_type == key_type
    assert (key_data.salt is not None) == (key_type in SALTED)


def test_carried_salt_is_the_srtp_master_salt() -> None:
    """4.1.3: SRTP SHALL use the salt key carried in the Key data sub-payload."""
    pair = make_pair(key_type=KeyType.TGK_SALT)
    pair.responder.receive(pair.initiator.start())
    csb = pair.responder.last_csb
    assert csb is not None
    assert csb.srtp_keys(1).master_salt == csb.key_data[0].salt


@pytest.mark.parametrize("key_per_cs", [False, True], ids=["one-tgk", "tgk-per-cs"])
def test_several_crypto_sessions(key_per_cs: bool) -> None:
    cs_map = tuple(SrtpIdEntry(0, ssrc, 0) for ssrc in (0x1111, 0x2222, 0x3333))
    pair = make_pair(cs_map=cs_map, key_per_cs=key_per_cs)
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted and reply.message is not None
    assert pair.initiator.receive(reply.message).accepted
    csb = pair.responder.last_csb
    same_keys(pair.initiator.csb, csb)
    assert csb is not None and csb.cs_ids() == (1, 2, 3)
    assert len(csb.key_data) == (3 if key_per_cs else 1)
    keys = {csb.srtp_keys(cs_id) for cs_id in csb.cs_ids()}
    assert len(keys) == 3  # each crypto session has its own TEK (4.1.3: cs_id in the label)


def test_exchange_without_identities() -> None:
    """3.1: the ID payloads MAY be left out when the peers know each other's IDs."""
    pair = make_pair(id_i=None, id_r=None)
    i_message = pair.initiator.start()
    assert decode_message(i_message).first(Id) is None
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted and reply.message is not None
    assert decode_message(reply.message).first(Id) is None
    assert pair.initiator.receive(reply.message).accepted


def test_i_message_has_the_payloads_of_3_1_in_order() -> None:
    pair = make_pair()
    msg = decode_message(pair.initiator.start())
    assert msg.hdr.data_type == DataType.PSK_INIT and msg.hdr.v
    kinds = [type(p).__name__ for p in msg.payloads]
    assert kinds == ["Timestamp", "Rand", "Id", "Id", "SecurityPolicy", "Kemac"]
    rand = msg.first(Rand)
    assert rand is not None and len(rand.rand) == 16


def test_r_message_echoes_csb_id_and_timestamp() -> None:
    """6.1: same CSB ID; 5.2: the responder does not create a new timestamp."""
    pair = make_pair()
    i_message = decode_message(pair.initiator.start())
    pair.clock.now += 5
    reply = pair.responder.receive(pair.initiator.seal(i_message))
    assert reply.message is not None
    r_message = decode_message(reply.message)
    assert r_message.hdr.data_type == DataType.PSK_RESP
    assert r_message.hdr.csb_id == i_message.hdr.csb_id
    assert r_message.first(Timestamp) == i_message.first(Timestamp)
    assert [type(p).__name__ for p in r_message.payloads] == ["Timestamp", "Id", "Verification"]
    assert r_message.first(Id) == BOB


def test_csb_ids_and_timestamps_are_fresh_per_message() -> None:
    pair = make_pair(v=False)
    messages = [decode_message(pair.initiator.start()) for _ in range(5)]
    assert len({m.hdr.csb_id for m in messages}) == 5
    assert len({m.first(Timestamp) for m in messages}) == 5  # same clock reading (5.2)
    assert len({m.first(Rand) for m in messages}) == 5  # 6.11: RAND per CSB


def test_initiator_refuses_a_csb_id_in_use() -> None:
    """6.1: the initiator MUST check for collisions with its established CSBs."""
    pair = make_pair(v=False)
    first = decode_message(pair.initiator.start())
    with pytest.raises(ValueError, match=r"6\.1"):
        pair.initiator.start(csb_id=first.hdr.csb_id)


@pytest.mark.parametrize("v", [True, False], ids=["V=1", "V=0"])
def test_update_with_new_keys(v: bool) -> None:
    """4.5: same CSB ID, a new timestamp, no RAND; new TGKs replace the old."""
    pair = make_pair(v=v)
    first = pair.responder.receive(pair.initiator.start())
    if first.message is not None:
        assert pair.initiator.receive(first.message).accepted
    before = pair.responder.last_csb
    assert before is not None
    update = pair.initiator.start_update()
    msg = decode_message(update)
    assert msg.hdr.csb_id == before.csb_id and msg.first(Rand) is None
    reply = pair.responder.receive(update)
    assert reply.outcome.accepted, reply.outcome.reason
    if v:
        assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    after = pair.responder.last_csb
    assert after is not None and after.rand == before.rand
    assert after.srtp_keys(1) != before.srtp_keys(1)
    same_keys(pair.initiator.csb, after)


def test_update_of_a_csb_awaiting_its_verification() -> None:
    """The initiator chose every key of a CSB it sent: it can update it before V arrives."""
    pair = make_pair()
    first = pair.responder.receive(pair.initiator.start())
    assert first.outcome.accepted and pair.initiator.csb is None
    latest, taken = pair.initiator.latest_csb, pair.responder.last_csb
    assert latest is not None and taken is not None
    assert latest.srtp_keys(1) == taken.srtp_keys(1)
    reply = pair.responder.receive(pair.initiator.start_update())
    assert reply.outcome.accepted and reply.message is not None
    assert pair.initiator.receive(reply.message).accepted
    same_keys(pair.initiator.csb, pair.responder.last_csb)


@pytest.mark.parametrize("encr", ENCRYPTIONS, ids=lambda e: e.name)
def test_update_without_keys_keeps_the_keys(encr: EncrAlg) -> None:
    """4.5: an update need not carry keying material; the old keys stay in use.
    6.2: skipping the Key data gives "the Encr data len being equal to 0"."""
    pair = make_pair(encr_alg=encr)
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    before = pair.responder.last_csb
    assert before is not None
    update = pair.initiator.start_update(new_keys=False)
    kemac = decode_message(update).payloads[-1]
    assert isinstance(kemac, Kemac) and kemac.encr_data == b""
    reply = pair.responder.receive(update)
    assert reply.outcome.accepted and reply.message is not None
    assert pair.initiator.receive(reply.message).accepted
    after = pair.responder.last_csb
    assert after is not None and after.key_data == before.key_data
    same_keys(pair.initiator.csb, after)


def test_update_adds_crypto_sessions() -> None:
    """4.5: new crypto sessions are added in the update message."""
    pair = make_pair(v=False)
    pair.responder.receive(pair.initiator.start())
    two = (SrtpIdEntry(0, 0x1111, 0), SrtpIdEntry(0, 0x2222, 0))
    pair.initiator.settings = replace(pair.initiator.settings, cs_map=two)
    reply = pair.responder.receive(pair.initiator.start_update(new_keys=False))
    assert reply.outcome.accepted, reply.outcome.reason
    csb = pair.responder.last_csb
    assert csb is not None and csb.cs_ids() == (1, 2)
    same_keys(pair.initiator.csb, csb)


def test_the_keys_really_protect_srtp_between_the_two_sides() -> None:
    """RFC 3830 Appendix A: what the initiator protects, the responder's keys unprotect."""
    pylibsrtp = pytest.importorskip("pylibsrtp")
    pair = make_pair(key_type=KeyType.TGK_SALT, v=False)
    pair.responder.receive(pair.initiator.start())
    ours, theirs = pair.initiator.csb, pair.responder.last_csb
    assert ours is not None and theirs is not None
    sender = libsrtp_session(ours.srtp_keys(1), pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    receiver = libsrtp_session(theirs.srtp_keys(1), pylibsrtp.Policy.SSRC_ANY_INBOUND)
    rtp = bytes.fromhex("8000 0001 00000000 12345678") + b"payload"
    protected = sender.protect(rtp)
    assert protected != rtp
    assert receiver.unprotect(protected) == rtp


def test_one_wrong_master_key_bit_makes_unprotect_fail() -> None:
    """The same exchange, but the responder's master key has one bit flipped: libsrtp's
    authentication check refuses the packet the initiator protected."""
    pylibsrtp = pytest.importorskip("pylibsrtp")
    pair = make_pair(key_type=KeyType.TGK_SALT, v=False)
    pair.responder.receive(pair.initiator.start())
    ours, theirs = pair.initiator.csb, pair.responder.last_csb
    assert ours is not None and theirs is not None
    good = theirs.srtp_keys(1)
    bad_key = bytes([good.master_key[0] ^ 0x01]) + good.master_key[1:]
    sender = libsrtp_session(ours.srtp_keys(1), pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    receiver = libsrtp_session(replace(good, master_key=bad_key), pylibsrtp.Policy.SSRC_ANY_INBOUND)
    protected = sender.protect(bytes.fromhex("8000 0001 00000000 12345678") + b"payload")
    with pytest.raises(pylibsrtp.Error):
        receiver.unprotect(protected)
