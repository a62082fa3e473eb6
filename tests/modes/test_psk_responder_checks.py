"""The PSK responder's checks (RFC 3830 5.3, 5.4) with the exact Table 6.12 numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.psk import PskResponder
from mikey.modes.replay import ReplayCache
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    DataType,
    Error,
    ErrorNo,
    Id,
    IdType,
    Kemac,
    MacAlg,
    Message,
    PolicyParam,
    Rand,
    SecurityPolicy,
    SrtpEncrAlg,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    decode_message,
)
from tests.modes.pairs import Pair, environment, make_pair, offset_of, psk_settings, resealed


def rejected(pair: Pair, data: bytes, error: ErrorNo | None) -> Message | None:
    """Send `data`; it must be rejected with `error`; return the decoded Error message."""
    reply = pair.responder.receive(data)
    assert not reply.outcome.accepted
    assert reply.outcome.error == error, reply.outcome.reason
    if error is None:
        assert reply.message is None
        return None
    assert reply.message is not None
    answer = decode_message(reply.message)
    assert answer.hdr.data_type == DataType.ERROR and not answer.hdr.v
    assert [p.error_no for p in answer.all(Error)] == [error]
    return answer


def test_a_bit_flipped_mac_is_an_auth_failure() -> None:
    pair = make_pair()
    data = pair.initiator.start()
    answer = rejected(pair, data[:-1] + bytes([data[-1] ^ 1]), ErrorNo.AUTH_FAILURE)
    assert answer is not None
    sent = decode_message(data)
    assert answer.hdr.csb_id == sent.hdr.csb_id
    assert answer.first(Timestamp) == sent.first(Timestamp)  # the initiator's T
    assert answer.first(Verification) is None  # 5.1.2: not authenticated after a failure


@pytest.mark.parametrize("what", ["rand", "csb-id", "policy"])
def test_a_bit_flipped_anywhere_is_an_auth_failure(what: str) -> None:
    pair = make_pair()
    data = bytearray(pair.initiator.start())
    index = {
        "rand": offset_of(bytes(data), Rand) + 5,
        "csb-id": 6,
        "policy": offset_of(bytes(data), SecurityPolicy) + 7,
    }[what]
    data[index] ^= 0x10
    rejected(pair, bytes(data), ErrorNo.AUTH_FAILURE)


def test_another_psk_is_an_auth_failure() -> None:
    pair = make_pair(responder_changes={"psk": bytes(16)})
    rejected(pair, pair.initiator.start(), ErrorNo.AUTH_FAILURE)


def test_a_replay_is_discarded_silently() -> None:
    pair = make_pair()
    data = pair.initiator.start()
    assert pair.responder.receive(data).outcome.accepted
    rejected(pair, data, None)


def test_a_failed_message_is_not_cached() -> None:
    """5.3: only successfully authenticated messages enter the replay cache."""
    pair = make_pair()
    data = pair.initiator.start()
    rejected(pair, data[:-1] + bytes([data[-1] ^ 1]), ErrorNo.AUTH_FAILURE)
    reply = pair.responder.receive(data)
    assert reply.outcome.accepted, reply.outcome.reason
    assert len(pair.responder.replay) == 1


@pytest.mark.parametrize("offset", [-301.0, 301.0], ids=["stale", "future"])
def test_a_timestamp_outside_the_skew_is_invalid_ts(offset: float) -> None:
    pair = make_pair()
    data = pair.initiator.start()
    pair.clock.now -= offset  # the responder's view: the message is `offset` s off
    answer = rejected(pair, data, ErrorNo.INVALID_TS)
    assert answer is not None and answer.first(Timestamp) == decode_message(data).first(Timestamp)


@pytest.mark.parametrize("offset", [-299.0, 299.0], ids=["old", "early"])
def test_a_timestamp_inside_the_skew_is_taken(offset: float) -> None:
    pair = make_pair()
    data = pair.initiator.start()
    pair.clock.now -= offset
    assert pair.responder.receive(data).outcome.accepted


def test_a_counter_timestamp_is_invalid_ts() -> None:
    """COUNTER (optional, Table 6.6) carries no time for the skew check of 5.3."""
    pair = make_pair(ts_type=TsType.COUNTER)
    rejected(pair, pair.initiator.start(), ErrorNo.INVALID_TS)


@pytest.mark.parametrize(
    ("index", "value", "error"),
    [
        (1, 99, ErrorNo.INVALID_DT),  # data type not in Table 6.1.a
        (3, 0x80 | 5, ErrorNo.INVALID_PRF),  # PRF func not in Table 6.1.c (V bit kept)
    ],
    ids=["data-type", "prf-func"],
)
def test_unknown_header_values(index: int, value: int, error: ErrorNo) -> None:
    pair = make_pair()
    data = bytearray(pair.initiator.start())
    csb_id = int.from_bytes(data[4:8], "big")
    data[index] = value
    answer = rejected(pair, resealed(pair, bytes(data)), error)
    assert answer is not None and answer.hdr.csb_id == csb_id


def test_unknown_encryption_algorithm_is_invalid_ea() -> None:
    pair = make_pair()
    data = bytearray(pair.initiator.start())
    data[offset_of(bytes(data), Kemac) + 1] = 77  # Encr alg (after Next payload)
    rejected(pair, resealed(pair, bytes(data)), ErrorNo.INVALID_EA)


def test_unaccepted_encryption_algorithm_is_invalid_ea() -> None:
    pair = make_pair(responder_changes={"accepted_encr": frozenset()})
    rejected(pair, pair.initiator.start(), ErrorNo.INVALID_EA)


def test_null_mac_with_encryption_is_invalid_mac() -> None:
    """4.2.4: the NULL MAC only goes with NULL encryption."""
    pair = make_pair()
    msg = pair.initiator.compose()
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac)
    forged = replace(
        msg, payloads=(*msg.payloads[:-1], replace(kemac, mac_alg=MacAlg.NULL, mac=b""))
    )
    rejected(pair, pair.initiator.seal(forged), ErrorNo.INVALID_MAC)


@pytest.mark.parametrize("data_type", [DataType.PK_INIT, DataType.PSK_RESP])
def test_other_data_types_are_invalid_dt(data_type: DataType) -> None:
    pair = make_pair()
    msg = pair.initiator.compose()
    rejected(
        pair,
        pair.initiator.seal(replace(msg, hdr=replace(msg.hdr, data_type=data_type))),
        ErrorNo.INVALID_DT,
    )


def test_an_error_message_is_not_answered() -> None:
    pair = make_pair()
    msg = pair.initiator.compose()
    forged = replace(msg, hdr=replace(msg.hdr, data_type=DataType.ERROR))
    rejected(pair, pair.initiator.seal(forged), None)


@pytest.mark.parametrize("missing", [Timestamp, Rand, Kemac], ids=lambda k: k.__name__)
def test_a_missing_mandatory_payload_is_rejected(missing: type) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC (3.1)."""
    pair = make_pair()
    msg = pair.initiator.compose()
    forged = replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, missing)))
    answer = rejected(pair, pair.initiator.seal(forged), ErrorNo.UNSPECIFIED)
    assert answer is not None and answer.hdr.csb_id == msg.hdr.csb_id


def test_kemac_not_last_is_rejected() -> None:
    """6.2: in the pre-shared key method KEMAC is the last payload."""
    pair = make_pair()
    msg = pair.initiator.compose()
    kemac, t, *rest = (msg.payloads[-1], *msg.payloads[:-1])
    moved = replace(msg, payloads=(t, kemac, *rest))
    rejected(pair, pair.initiator.seal(moved), ErrorNo.UNSPECIFIED)


def test_a_foreign_payload_is_rejected() -> None:
    pair = make_pair()
    msg = pair.initiator.compose()
    extra = replace(msg, payloads=(Error(ErrorNo.UNSPECIFIED), *msg.payloads))
    rejected(pair, pair.initiator.seal(extra), ErrorNo.UNSPECIFIED)


def test_an_unknown_identity_is_invalid_id() -> None:
    other = Id(IdType.URI, b"sip:mallory@mikey.test")
    pair = make_pair(responder_changes={"id_i": other})
    rejected(pair, pair.initiator.start(), ErrorNo.INVALID_ID)


def test_a_message_for_another_responder_is_invalid_id() -> None:
    other = Id(IdType.URI, b"sip:carol@mikey.test")
    pair = make_pair(responder_changes={"id_r": other})
    rejected(pair, pair.initiator.start(), ErrorNo.INVALID_ID)


def test_an_unsupported_sp_parameter_is_invalid_sppar_with_our_policies() -> None:
    """5.1.1, 5.1.2: the Error message SHOULD include the supported parameters."""
    f8 = PolicyParam(SrtpParam.ENCR_ALG, bytes([SrtpEncrAlg.AES_F8]))
    pair = make_pair(policies=(SecurityPolicy(0, DEFAULT_SRTP_POLICY.prot_type, (f8,)),))
    pair.responder.settings = replace(pair.responder.settings, policies=(DEFAULT_SRTP_POLICY,))
    answer = rejected(pair, pair.initiator.start(), ErrorNo.INVALID_SPPAR)
    assert answer is not None
    assert answer.all(SecurityPolicy) == [DEFAULT_SRTP_POLICY]
    assert isinstance(answer.payloads[-1], Verification)  # authenticated: the MAC had verified


def test_an_unknown_sp_parameter_type_is_invalid_sppar() -> None:
    odd = PolicyParam(200, b"\x01")
    pair = make_pair(policies=(SecurityPolicy(0, DEFAULT_SRTP_POLICY.prot_type, (odd,)),))
    rejected(pair, pair.initiator.start(), ErrorNo.INVALID_SPPAR)


def test_an_update_of_an_unknown_csb_is_rejected() -> None:
    """4.5: an update (no RAND) needs an established CSB; 4.1.4 has no RAND to key it."""
    pair = make_pair(v=False)
    pair.initiator.start()
    rejected(pair, pair.initiator.start_update(), ErrorNo.UNSPECIFIED)


def test_a_new_csb_under_an_id_in_use_is_rejected() -> None:
    pair = make_pair(v=False)
    first = decode_message(pair.initiator.start())
    assert pair.responder.receive(pair.initiator.seal(first)).outcome.accepted
    pair.initiator.csbs.clear()  # an initiator that forgot its CSBs
    rejected(pair, pair.initiator.start(csb_id=first.hdr.csb_id), ErrorNo.UNSPECIFIED)


def test_garbage_is_discarded_silently() -> None:
    pair = make_pair()
    rejected(pair, b"\x01\x00\x05", None)
    rejected(pair, b"\x02" + bytes(20), None)  # not MIKEY version 1


def test_undecodable_message_with_a_csb_id_gets_unspecified() -> None:
    pair = make_pair()
    data = pair.initiator.start()
    answer = rejected(pair, data[:-3], ErrorNo.UNSPECIFIED)
    assert answer is not None and answer.hdr.csb_id == decode_message(data).hdr.csb_id


def test_a_full_replay_cache_refuses_everything() -> None:
    """5.4: a host that lost track rejects all requests until the skew interval passed."""
    pair = make_pair(v=False)
    pair.responder = PskResponder(
        psk_settings(v=False), environment(pair.clock, 2), ReplayCache(capacity=1)
    )
    assert pair.responder.receive(pair.initiator.start()).outcome.accepted
    rejected(pair, pair.initiator.start(), None)
    pair.clock.now += 2 * 300 + 1
    late = pair.initiator.start()
    assert pair.responder.receive(late).outcome.accepted
