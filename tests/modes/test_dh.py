"""The DH method (RFC 3830 3.3) between the reference initiator and responder, and its checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.testpki import test_pki
from mikey.crypto.dh import prime
from mikey.modes.dh import DhInitiator, DhResponder, DhSettings
from mikey.wire import DataType, Dh, DhGroup, ErrorNo, Message, Sign, SignType, decode_message
from suts.base import ExchangeParams, Profile, Role
from suts.builtin import dh_settings_for

PROFILE = Profile()


def settings(role: Role, **changes: object) -> DhSettings:
    params = ExchangeParams(mode="DH", **changes)  # type: ignore[arg-type]
    return dh_settings_for(PROFILE, params, role)


def parties(**changes: object) -> tuple[DhInitiator, DhResponder]:
    return DhInitiator(settings(Role.INITIATOR, **changes)), DhResponder(
        settings(Role.RESPONDER, **changes)
    )


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_an_exchange_agrees_on_the_tgk_in_every_group(group: DhGroup) -> None:
    initiator, responder = parties(dh_group=group)
    reply = responder.receive(initiator.start())
    assert reply.outcome.accepted and reply.message is not None, reply.outcome.reason
    assert initiator.receive(reply.message).accepted
    assert initiator.csb is not None and responder.last_csb is not None
    assert initiator.csb.key_data == responder.last_csb.key_data
    assert initiator.csb.srtp_keys(1) == responder.last_csb.srtp_keys(1)


def test_the_messages_have_the_shapes_of_3_3() -> None:
    initiator, responder = parties()
    data = initiator.start()
    i_msg = decode_message(data)
    assert i_msg.hdr.data_type == DataType.DH_INIT
    assert [type(p).__name__ for p in i_msg.payloads] == [
        "Timestamp", "Rand", "Id", "Cert", "Cert", "Id", "SecurityPolicy", "Dh", "Sign",
    ]  # fmt: skip
    r_msg = decode_message(responder.receive(data).message or b"")
    assert r_msg.hdr.data_type == DataType.DH_RESP
    assert [type(p).__name__ for p in r_msg.payloads] == [
        "Timestamp", "Id", "Cert", "Cert", "Id", "Dh", "Dh", "Sign",
    ]  # fmt: skip
    assert r_msg.payloads[0] == i_msg.payloads[0]  # the initiator's T (3.3)
    assert r_msg.all(Dh)[1] == i_msg.first(Dh)


def test_v_zero_is_answered_all_the_same() -> None:
    initiator, responder = parties(v=False)
    reply = responder.receive(initiator.start())
    assert reply.message is not None and initiator.receive(reply.message).accepted


def test_pss_signatures_are_taken() -> None:
    initiator = DhInitiator(replace(settings(Role.INITIATOR), s_type=SignType.RSA_PSS))
    responder = DhResponder(replace(settings(Role.RESPONDER), s_type=SignType.RSA_PSS))
    reply = responder.receive(initiator.start())
    assert reply.message is not None and initiator.receive(reply.message).accepted
    sign = decode_message(reply.message).payloads[-1]
    assert isinstance(sign, Sign) and sign.s_type == SignType.RSA_PSS


def test_a_bad_signature_is_auth_failure() -> None:
    initiator, responder = parties()
    data = bytearray(initiator.start())
    data[-1] ^= 1
    assert responder.receive(bytes(data)).outcome.error == ErrorNo.AUTH_FAILURE


@pytest.mark.parametrize(("bad", "error"), [("expired", ErrorNo.INVALID_CERT),
                                            ("unknown_ca", ErrorNo.INVALID_CERT),
                                            ("identity_mismatch", ErrorNo.INVALID_ID)])  # fmt: skip
def test_an_untrusted_certificate_is_refused_with_its_number(bad: str, error: ErrorNo) -> None:
    pki = test_pki(PROFILE.id_initiator, PROFILE.id_responder)
    credential = getattr(pki.initiator, bad)
    initiator = DhInitiator(replace(settings(Role.INITIATOR), credential=credential))
    assert DhResponder(settings(Role.RESPONDER)).receive(initiator.start()).outcome.error == error


def _with_dh(msg: Message, index: int, dh: Dh) -> Message:
    at = [i for i, p in enumerate(msg.payloads) if isinstance(p, Dh)][index]
    return replace(msg, payloads=(*msg.payloads[:at], dh, *msg.payloads[at + 1 :]))


def test_the_responder_refuses_a_dhi_of_value_one() -> None:
    initiator, responder = parties(dh_group=DhGroup.OAKLEY_1)
    one = Dh(DhGroup.OAKLEY_1, (1).to_bytes(96, "big"))
    reply = responder.receive(initiator.seal(_with_dh(initiator.compose(), 0, one)))
    assert reply.outcome.error == ErrorNo.INVALID_DH


def test_the_initiator_refuses_a_dhr_of_p_minus_1_and_of_another_group() -> None:
    initiator, responder = parties()
    reply = responder.receive(initiator.start())
    r_msg = decode_message(reply.message or b"")
    p = prime(DhGroup.OAKLEY_5)
    for dh in (
        Dh(DhGroup.OAKLEY_5, (p - 1).to_bytes(192, "big")),
        Dh(DhGroup.OAKLEY_2, bytes(127) + b"\x05"),
    ):
        outcome = initiator.receive(responder.reseal(_with_dh(r_msg, 0, dh)))
        assert outcome.error == ErrorNo.INVALID_DH, outcome.reason
    assert initiator.receive(reply.message or b"").accepted
