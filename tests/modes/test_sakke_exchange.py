"""MIKEY-SAKKE (RFC 6509) between the reference initiator and responder: Identifiers, the
KMS, the exchange, the SRTP hand-off through libsrtp, and the responder's rejections."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from mikey.crypto import eccsi, sakke
from mikey.modes.sakke_common import SakkeSettings, sign_message, signed_part
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_kms import (
    Kms,
    SakkeCommunity,
    check_tel_uri,
    identifier,
    key_period,
    key_period_of_ntp,
)
from mikey.modes.sakke_responder import SakkeResponder
from mikey.ntp import ntp_from_unix
from mikey.wire import (
    DataType,
    ErrorNo,
    Idr,
    IdRole,
    IdType,
    Message,
    Rand,
    Sakke,
    Sign,
    SignType,
    decode_message,
    encode_message,
)
from tests.modes.pairs import Clock, environment
from tests.srtp.helpers import round_trip

NOW = 1_795_000_000.0  # 2026-11-18 UTC
COMMUNITY = SakkeCommunity()


def settings(**changes: object) -> SakkeSettings:
    base = SakkeSettings(COMMUNITY.kms, COMMUNITY.uri_initiator, COMMUNITY.uri_responder)
    return replace(base, **changes)  # type: ignore[arg-type]


def pair(clock: Clock | None = None, **changes: object) -> tuple[SakkeInitiator, SakkeResponder]:
    clock = clock or Clock(NOW)
    s = settings(**changes)
    return SakkeInitiator(s, environment(clock, 1)), SakkeResponder(s, environment(clock, 2))


# ---- Identifiers and the KMS (RFC 6509 3.2, 2.1.2) ----


def test_identifier_is_the_rfc_example() -> None:
    """RFC 6509 3.2's example, which is also RFC 6507/6508 Appendix A's ID and b."""
    assert identifier(b"tel:+447700900123", "2011-02") == b"2011-02\x00tel:+447700900123\x00"


@pytest.mark.parametrize(
    "uri", [b"tel:447700900123", b"tel:+44-7700-900123", b"tel:+4477;phone-context=x", b"sip:a"]
)
def test_tel_uri_constraints(uri: bytes) -> None:
    """Global notation, no visual separators, no parameters (RFC 6509 3.2)."""
    with pytest.raises(ValueError, match=r"3\.2"):
        check_tel_uri(uri)


def test_key_period_is_the_utc_month_of_t() -> None:
    last_second = datetime.datetime(2026, 11, 30, 23, 59, 59, tzinfo=datetime.UTC).timestamp()
    assert key_period(last_second) == "2026-11"
    assert key_period(last_second + 1) == "2026-12"
    assert key_period_of_ntp(ntp_from_unix(last_second), NOW) == "2026-11"
    with pytest.raises(ValueError, match="YYYY-MM"):
        identifier(b"tel:+1", "2026-1")


def test_kms_keys_validate_and_match_the_primitives() -> None:
    kms = COMMUNITY.kms
    ident = identifier(COMMUNITY.uri_initiator, "2026-11")
    keys = kms.user_keys(ident)
    assert kms.kpak == eccsi.kms_public_key(kms.ksak)
    assert sakke.validate_rsk(ident, kms.z_point, keys.rsk)
    assert eccsi.validate_signing_key(ident, kms.kpak, keys.signing.ssk, keys.signing.pvt)
    assert kms.user_keys(ident) == keys  # deterministic: both sides derive the same keys


def test_community_from_json_and_its_errors() -> None:
    made = SakkeCommunity.from_json({"ksak": "abc", "uri_initiator": "tel:+15550100"})
    assert made.kms.ksak == 0xABC and made.uri_initiator == b"tel:+15550100"
    assert made.kms.z == COMMUNITY.kms.z
    with pytest.raises(ValueError, match="unknown sakke key"):
        SakkeCommunity.from_json({"zz": "1"})
    with pytest.raises(ValueError, match=r"3\.2"):
        SakkeCommunity.from_json({"uri_responder": "tel:555"})
    with pytest.raises(ValueError, match=r"6508 6\.1"):
        SakkeCommunity(Kms(ksak=1, z=1))


# ---- the exchange and the SRTP hand-off (RFC 6509 2.1, 3.1) ----


def test_exchange_keys_srtp_through_libsrtp() -> None:
    initiator, responder = pair()
    data = initiator.start()
    reply = responder.receive(data)
    assert reply.outcome.accepted and reply.message is None, reply.outcome.reason
    assert initiator.csb is not None and responder.last_csb is not None
    ours, theirs = initiator.csb.srtp_keys(1), responder.last_csb.srtp_keys(1)
    assert ours == theirs
    assert round_trip(ours, theirs).ok and round_trip(theirs, ours).ok
    assert initiator.ssv == responder.last_csb.key_data[0].key  # the SSV is the TGK (3.1)


def test_one_wrong_ssv_bit_fails_unprotect() -> None:
    initiator, responder = pair()
    responder.receive(initiator.start())
    assert initiator.csb is not None and responder.last_csb is not None
    tgk = responder.last_csb.key_data[0]
    wrong = replace(tgk, key=bytes([tgk.key[0] ^ 1]) + tgk.key[1:])
    other = replace(responder.last_csb, key_data=(wrong,))
    assert not round_trip(initiator.csb.srtp_keys(1), other.srtp_keys(1)).ok


def test_i_message_shape() -> None:
    initiator, _ = pair(include_kms_idr=True)
    msg = decode_message(initiator.start())
    assert msg.hdr.data_type == DataType.SAKKE_MSG and not msg.hdr.v
    kinds = [type(p).__name__ for p in msg.payloads]
    assert kinds == [
        "Timestamp",
        "Rand",
        "Idr",
        "Idr",
        "Idr",
        "Idr",
        "SecurityPolicy",
        "Sakke",
        "Sign",
    ]
    roles = [p.id_role for p in msg.all(Idr)]
    assert roles == [IdRole.IDRI, IdRole.IDRR, IdRole.IDRKMSI, IdRole.IDRKMSR]
    sign = msg.payloads[-1]
    assert isinstance(sign, Sign) and sign.s_type == SignType.ECCSI and len(sign.signature) == 129
    payload = msg.first(Sakke)
    assert payload is not None and len(payload.data) == 273


def test_signature_covers_all_but_the_signature_field() -> None:
    initiator, _ = pair()
    data = initiator.start()
    msg = decode_message(data)
    t = msg.payloads[0]
    key = COMMUNITY.kms.user_keys(initiator.initiator_identifier(t))  # type: ignore[arg-type]
    kpak = COMMUNITY.kms.kpak
    assert eccsi.verify(signed_part(data), data[-129:], key.identifier, kpak)
    assert signed_part(data)[-2:] == (2 << 12 | 129).to_bytes(2, "big")  # S type, Signature len
    resigned = sign_message(msg, key.signing, 0x1234)
    assert resigned[:-129] == data[:-129]


def test_the_initiator_takes_an_error_message_and_nothing_else() -> None:
    initiator, responder = pair()
    data = bytearray(initiator.start())
    data[-1] ^= 1
    reply = responder.receive(bytes(data))
    assert reply.message is not None
    outcome = initiator.receive(reply.message)
    assert (outcome.accepted, outcome.error) == (False, ErrorNo.AUTH_FAILURE)
    assert initiator.receive(b"\x01").error == ErrorNo.UNSPECIFIED
    assert not initiator.receive(bytes(data)).accepted
    with pytest.raises(ValueError, match="no update"):
        initiator.start_update()


# ---- the responder's rejections (RFC 6509 2.2.2), one per check ----


def resigned(initiator: SakkeInitiator, change: object) -> bytes:
    msg = initiator.compose()
    return initiator.sign(change(msg))  # type: ignore[operator]


def _drop(kind: type) -> object:
    return lambda m: replace(m, payloads=tuple(p for p in m.payloads if not isinstance(p, kind)))


def _set_idr(role: IdRole, data: bytes) -> object:
    def change(m: Message) -> Message:
        def one(p: object) -> object:
            return replace(p, data=data) if isinstance(p, Idr) and p.id_role == role else p

        return replace(m, payloads=tuple(one(p) for p in m.payloads))  # type: ignore[misc]

    return change


def _second_idrr(m: Message) -> Message:
    extra = Idr(IdRole.IDRR, IdType.URI, b"tel:+9")
    return replace(m, payloads=(*m.payloads[:2], extra, *m.payloads[2:]))


def _short_sakke(m: Message) -> Message:
    cut = [replace(p, data=p.data[:-1]) if isinstance(p, Sakke) else p for p in m.payloads]
    return replace(m, payloads=tuple(cut))


@pytest.mark.parametrize(
    ("change", "error", "reason"),
    [
        (_drop(Rand), ErrorNo.UNSPECIFIED, "0 RAND"),
        (_drop(Sakke), ErrorNo.UNSPECIFIED, "0 SAKKE"),
        (_second_idrr, ErrorNo.INVALID_ID, "two IDR"),
        (_set_idr(IdRole.IDRR, b"tel:+9"), ErrorNo.INVALID_ID, "is not us"),
        (_set_idr(IdRole.IDRI, b"sip:x"), ErrorNo.INVALID_ID, "3.2"),
        (_short_sakke, ErrorNo.AUTH_FAILURE, "273 octets"),
    ],
    ids=["no-rand", "no-sakke", "two-idrr", "idrr-not-us", "idri-not-tel", "short-sakke"],
)
def test_responder_rejections(change: object, error: ErrorNo, reason: str) -> None:
    initiator, responder = pair()
    reply = responder.receive(resigned(initiator, change))
    assert (reply.outcome.accepted, reply.outcome.error) == (False, error)
    assert reason in reply.outcome.reason
    assert reply.message is not None
    assert decode_message(reply.message).hdr.data_type == DataType.ERROR


def test_responder_rejects_another_data_type_and_a_pk_signature() -> None:
    initiator, responder = pair()
    msg: Message = initiator.compose()
    psk = replace(msg, hdr=replace(msg.hdr, data_type=DataType.PSK_INIT))
    assert responder.receive(initiator.sign(psk)).outcome.error == ErrorNo.INVALID_DT
    data = encode_message(replace(msg, payloads=(*msg.payloads, Sign(SignType.RSA_PSS, b"x"))))
    assert "not an ECCSI SIGN" in responder.receive(data).outcome.reason
