"""DH-HMAC (RFC 4650) between the reference initiator and responder, and their checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.crypto.dh import prime
from mikey.modes.dhhmac import (
    DhHmacInitiator,
    DhHmacResponder,
    DhHmacSettings,
    i_message_identities,
    r_message_identities,
)
from mikey.modes.sealing import seal
from mikey.wire import (
    DH_VALUE_LENGTH,
    DataType,
    Dh,
    DhGroup,
    EncrAlg,
    ErrorNo,
    Id,
    Kemac,
    Message,
    Rand,
    decode_message,
)
from tests.modes.pairs import ALICE, BOB, PSK, Clock, environment


def settings(**changes: object) -> DhHmacSettings:
    return replace(DhHmacSettings(psk=PSK, id_i=ALICE, id_r=BOB), **changes)  # type: ignore[arg-type]


def parties(**changes: object) -> tuple[DhHmacInitiator, DhHmacResponder, Clock]:
    clock = Clock()
    s = settings(**changes)
    return (
        DhHmacInitiator(s, environment(clock, 1)),
        DhHmacResponder(s, environment(clock, 2)),
        clock,
    )


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_an_exchange_agrees_on_the_tgk_in_every_group(group: DhGroup) -> None:
    initiator, responder, _ = parties(group=group)
    i_message = initiator.start()
    reply = responder.receive(i_message)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    outcome = initiator.receive(reply.message)
    assert outcome.accepted, outcome.reason
    assert initiator.csb is not None and responder.last_csb is not None
    tgk = initiator.csb.key_data[0].key
    assert tgk == responder.last_csb.key_data[0].key
    assert len(tgk) == DH_VALUE_LENGTH[group]
    assert initiator.csb.srtp_keys(1) == responder.last_csb.srtp_keys(1)


def test_the_messages_have_the_shapes_of_figure_1() -> None:
    initiator, responder, _ = parties()
    i_msg = decode_message(initiator.start())
    assert i_msg.hdr.data_type == DataType.DHHMAC_INIT
    assert [type(p).__name__ for p in i_msg.payloads] == [
        "Timestamp", "Rand", "Id", "Id", "SecurityPolicy", "Dh", "Kemac",
    ]  # fmt: skip
    assert i_message_identities(i_msg) == (ALICE, BOB)
    kemac = i_msg.payloads[-1]
    assert isinstance(kemac, Kemac) and kemac.encr_alg == EncrAlg.NULL and not kemac.encr_data
    reply = responder.receive(encode(i_msg, initiator))
    r_msg = decode_message(reply.message or b"")
    assert r_msg.hdr.data_type == DataType.DHHMAC_RESP
    assert [type(p).__name__ for p in r_msg.payloads] == [
        "Timestamp", "Id", "Id", "Dh", "Dh", "Kemac",
    ]  # fmt: skip
    assert r_message_identities(r_msg) == (ALICE, BOB)
    assert r_msg.all(Dh)[1] == i_msg.first(Dh)
    assert r_msg.payloads[0] == i_msg.payloads[0]  # the initiator's T (RFC 3830 5.2)


def encode(msg: Message, initiator: DhHmacInitiator) -> bytes:
    assert initiator.keys is not None
    return seal(msg, initiator.keys.auth_key)


def test_without_idi_the_i_message_carries_idr_and_the_answer_idi() -> None:
    initiator, responder, _ = parties(send_id_i=False)
    i_msg = decode_message(initiator.start())
    assert i_msg.all(Id) == [BOB]
    assert i_message_identities(i_msg) == (None, BOB)
    reply = responder.receive(encode(i_msg, initiator))
    assert reply.message is not None
    assert r_message_identities(decode_message(reply.message))[0] == ALICE
    assert initiator.receive(reply.message).accepted


def test_updates_rekey_with_a_new_dh_or_keep_the_tgk() -> None:
    initiator, responder, _ = parties()
    initiator.receive(responder.receive(initiator.start()).message or b"")
    assert initiator.csb is not None
    first = initiator.csb.key_data
    update = decode_message(initiator.start_update(new_keys=True))
    assert update.first(Rand) is None and update.first(Dh) is not None
    reply = responder.receive(encode(update, initiator))
    assert initiator.receive(reply.message or b"").accepted
    rekeyed = initiator.csb.key_data
    assert rekeyed != first
    assert responder.last_csb is not None and responder.last_csb.key_data == rekeyed
    plain = initiator.start_update(new_keys=False)
    reply = responder.receive(plain)
    assert not decode_message(reply.message or b"").all(Dh)
    assert initiator.receive(reply.message or b"").accepted
    assert initiator.csb.key_data == rekeyed


def out_of_range(p: int, which: str) -> int:
    return {"0": 0, "1": 1, "p-1": p - 1, "p": p}[which]


@pytest.mark.parametrize("which", ["0", "1", "p-1", "p"])
def test_the_responder_refuses_a_dhi_outside_the_group(which: str) -> None:
    initiator, responder, _ = parties(group=DhGroup.OAKLEY_1)
    msg = initiator.compose()
    value = out_of_range(prime(DhGroup.OAKLEY_1), which).to_bytes(96, "big")
    bad = replace(msg, payloads=tuple(
        Dh(DhGroup.OAKLEY_1, value) if isinstance(p, Dh) else p for p in msg.payloads
    ))  # fmt: skip
    reply = responder.receive(initiator.seal(bad))
    assert not reply.outcome.accepted
    assert reply.outcome.error == ErrorNo.INVALID_DH
    assert decode_message(reply.message or b"").hdr.data_type == DataType.ERROR


def test_the_responder_refuses_a_group_it_does_not_take() -> None:
    initiator, _, clock = parties(group=DhGroup.OAKLEY_1)
    responder = DhHmacResponder(
        settings(accepted_groups=frozenset({DhGroup.OAKLEY_5})), environment(clock, 2)
    )
    reply = responder.receive(initiator.start())
    assert reply.outcome.error == ErrorNo.INVALID_DH


def test_the_responder_refuses_a_wrong_mac_with_an_error_message() -> None:
    initiator, responder, _ = parties()
    data = bytearray(initiator.start())
    data[-1] ^= 1
    reply = responder.receive(bytes(data))
    assert reply.outcome.error == ErrorNo.AUTH_FAILURE
    assert decode_message(reply.message or b"").hdr.data_type == DataType.ERROR


def test_the_responder_refuses_encrypted_kemac_data_and_a_missing_idr() -> None:
    initiator, responder, _ = parties()
    msg = initiator.compose()
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac)
    filled = replace(msg, payloads=(*msg.payloads[:-1], replace(kemac, encr_data=b"\x00" * 8)))
    assert responder.receive(initiator.seal(filled)).outcome.error == ErrorNo.UNSPECIFIED
    msg = initiator.compose()
    no_ids = replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Id)))
    assert responder.receive(initiator.seal(no_ids)).outcome.error == ErrorNo.UNSPECIFIED


def test_the_initiator_refuses_a_dhr_of_another_group_or_a_foreign_dhi() -> None:
    initiator, responder, _ = parties()
    reply = responder.receive(initiator.start())
    r_msg = decode_message(reply.message or b"")
    dhr, dhi = r_msg.all(Dh)
    for forged in (
        (Dh(DhGroup.OAKLEY_2, dhr.value[:128]), dhi),
        (dhr, dhr),
    ):
        payloads = (*r_msg.payloads[:3], *forged, r_msg.payloads[-1])
        outcome = initiator.receive(responder.reseal(replace(r_msg, payloads=payloads)))
        assert not outcome.accepted and outcome.error == ErrorNo.INVALID_DH, outcome.reason
    assert initiator.receive(reply.message or b"").accepted


def test_the_initiator_refuses_an_answer_without_its_idi() -> None:
    initiator, responder, _ = parties()
    reply = responder.receive(initiator.start())
    r_msg = decode_message(reply.message or b"")
    without = replace(r_msg, payloads=tuple(p for p in r_msg.payloads if p != ALICE))
    outcome = initiator.receive(responder.reseal(without))
    assert outcome.error == ErrorNo.INVALID_ID


def test_settings_refuse_encryption_and_a_missing_idr() -> None:
    with pytest.raises(ValueError, match=r"4650 4\.2"):
        settings(encr_alg=EncrAlg.AES_CM_128)
    with pytest.raises(ValueError, match="IDr"):
        settings(id_r=None)
