"""The PSK initiator's checks of the R_MESSAGE (RFC 3830 3.1, 5.2, 6.1) and Error messages."""

from __future__ import annotations

import hmac
from dataclasses import replace
from hashlib import sha1

from mikey.modes.error_message import error_header, error_message
from mikey.modes.psk_common import verification_trailer
from mikey.wire import (
    DataType,
    ErrorNo,
    Id,
    IdType,
    MacAlg,
    Message,
    Timestamp,
    Verification,
    decode_message,
    encode_message,
)
from tests.modes.pairs import ALICE, BOB, Pair, make_pair


def answered(**changes: object) -> tuple[Pair, Message]:
    """A pair after the I_MESSAGE was taken, and the responder's unsealed R_MESSAGE."""
    pair = make_pair(**changes)
    i_message = pair.initiator.start()
    reply = pair.responder.receive(i_message)
    assert reply.outcome.accepted and reply.message is not None
    return pair, decode_message(reply.message)


def test_v_is_the_mac_over_r_message_ids_and_t() -> None:
    """5.2: V = MAC(R_MESSAGE except the MAC || ID data of IDi || ID data of IDr || TS value)."""
    pair, r_message = answered()
    data = pair.responder.reseal_verification(r_message)
    t = r_message.first(Timestamp)
    keys = pair.initiator.keys
    assert t is not None and keys is not None
    covered = data[:-20] + ALICE.data + BOB.data + t.value.to_bytes(8, "big")
    assert data[-20:] == hmac.new(keys.auth_key, covered, sha1).digest()
    assert verification_trailer(ALICE, BOB, t.value) == covered[len(data) - 20 :]


def test_v_without_identities_covers_the_timestamp_only() -> None:
    pair, r_message = answered(id_i=None, id_r=None)
    data = pair.responder.reseal_verification(r_message)
    t = r_message.first(Timestamp)
    keys = pair.initiator.keys
    assert t is not None and keys is not None
    covered = data[:-20] + t.value.to_bytes(8, "big")
    assert data[-20:] == hmac.new(keys.auth_key, covered, sha1).digest()
    assert pair.initiator.receive(data).accepted


def test_a_bit_flipped_v_is_an_auth_failure() -> None:
    pair, r_message = answered()
    data = pair.responder.reseal_verification(r_message)
    outcome = pair.initiator.receive(data[:-1] + bytes([data[-1] ^ 0x80]))
    assert not outcome.accepted and outcome.error == ErrorNo.AUTH_FAILURE
    assert pair.initiator.csb is None


def test_a_null_v_is_a_downgrade() -> None:
    pair, r_message = answered()
    null_v = replace(r_message, payloads=(*r_message.payloads[:-1], Verification(MacAlg.NULL, b"")))
    outcome = pair.initiator.receive(encode_message(null_v))
    assert not outcome.accepted and outcome.error == ErrorNo.AUTH_FAILURE


def test_another_csb_id_is_rejected_even_correctly_maced() -> None:
    pair, r_message = answered()
    other = replace(r_message, hdr=replace(r_message.hdr, csb_id=r_message.hdr.csb_id ^ 1))
    outcome = pair.initiator.receive(pair.responder.reseal_verification(other))
    assert not outcome.accepted and "6.1" in outcome.reason


def test_another_timestamp_is_rejected_even_with_the_mac_over_it() -> None:
    """5.2: the responder uses the initiator's timestamp."""
    pair, r_message = answered()
    t = r_message.first(Timestamp)
    assert t is not None
    moved = replace(r_message, payloads=(replace(t, value=t.value + 1), *r_message.payloads[1:]))
    outcome = pair.initiator.receive(pair.responder.reseal_verification(moved))
    assert not outcome.accepted and outcome.error == ErrorNo.INVALID_TS


def test_another_responder_identity_is_invalid_id() -> None:
    pair, r_message = answered()
    carol = Id(IdType.URI, b"sip:carol@mikey.test")
    forged = replace(r_message, payloads=(r_message.payloads[0], carol, r_message.payloads[-1]))
    outcome = pair.initiator.receive(pair.responder.reseal_verification(forged))
    assert not outcome.accepted and outcome.error == ErrorNo.INVALID_ID


def test_wrong_data_type_is_invalid_dt() -> None:
    pair, r_message = answered()
    forged = replace(r_message, hdr=replace(r_message.hdr, data_type=DataType.DH_RESP))
    outcome = pair.initiator.receive(pair.responder.reseal_verification(forged))
    assert not outcome.accepted and outcome.error == ErrorNo.INVALID_DT


def test_r_message_without_t_is_rejected() -> None:
    pair, r_message = answered()
    forged = replace(r_message, payloads=r_message.payloads[1:])
    outcome = pair.initiator.receive(encode_message(forged))
    assert not outcome.accepted and outcome.error == ErrorNo.UNSPECIFIED


def test_garbage_is_rejected() -> None:
    pair, _ = answered()
    outcome = pair.initiator.receive(b"\x01\x01")
    assert not outcome.accepted and outcome.error == ErrorNo.UNSPECIFIED


def test_a_second_r_message_is_not_taken() -> None:
    pair, r_message = answered()
    data = pair.responder.reseal_verification(r_message)
    assert pair.initiator.receive(data).accepted
    again = pair.initiator.receive(data)
    assert not again.accepted and "awaits" in again.reason


def test_no_response_is_awaited_with_v_clear() -> None:
    pair = make_pair(v=False)
    pair.initiator.start()
    outcome = pair.initiator.receive(b"\x01\x01")
    assert not outcome.accepted and "awaits" in outcome.reason


def test_an_unauthenticated_error_message_is_only_a_recommendation() -> None:
    """5.1.2: it rejects, but the exchange stays open for a genuine R_MESSAGE."""
    pair, r_message = answered()
    t = r_message.first(Timestamp)
    assert t is not None
    error = error_message(error_header(r_message.hdr, None), t, (ErrorNo.INVALID_TS,))
    outcome = pair.initiator.receive(error)
    assert not outcome.accepted and outcome.error == ErrorNo.INVALID_TS
    assert "unauthenticated" in outcome.reason
    assert pair.initiator.receive(pair.responder.reseal_verification(r_message)).accepted


def test_an_authenticated_error_message_ends_the_exchange() -> None:
    pair, r_message = answered()
    t = r_message.first(Timestamp)
    keys = pair.initiator.keys
    assert t is not None and keys is not None
    auth = (MacAlg.HMAC_SHA_1_160, keys.auth_key)
    error = error_message(error_header(r_message.hdr, None), t, (ErrorNo.INVALID_SPPAR,), (), auth)
    outcome = pair.initiator.receive(error)
    assert outcome.error == ErrorNo.INVALID_SPPAR and "(authenticated" in outcome.reason
    assert not pair.initiator.receive(pair.responder.reseal_verification(r_message)).accepted


def test_an_error_message_for_another_csb_is_rejected() -> None:
    pair, r_message = answered()
    t = r_message.first(Timestamp)
    assert t is not None
    error = error_message(error_header(None, r_message.hdr.csb_id ^ 1), t, (ErrorNo.AUTH_FAILURE,))
    outcome = pair.initiator.receive(error)
    assert not outcome.accepted and "another CSB" in outcome.reason
    assert pair.initiator.receive(pair.responder.reseal_verification(r_message)).accepted
