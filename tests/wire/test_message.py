"""Whole messages: a PSK I_MESSAGE built by hand, RFC 4567's real messages, encode rules."""

from __future__ import annotations

import pytest

from mikey.wire import (
    CommonHeader,
    DataType,
    Dh,
    DhGroup,
    EncodeError,
    EncrAlg,
    Error,
    ErrorNo,
    GeneralExtension,
    GeneralExtType,
    Id,
    IdType,
    Kemac,
    KeyData,
    KeyIdEntry,
    KeyType,
    MacAlg,
    Message,
    Payload,
    Pke,
    PkeCache,
    PolicyParam,
    ProtType,
    Rand,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpIdEntry,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    decode_key_data,
    decode_message,
    encode_key_data,
    encode_key_ids,
    encode_message,
    payload_offsets,
)
from tests.wire.hexdata import (
    PSK_I_MESSAGE_HEX,
    RFC4567_I_MESSAGE,
    RFC4567_R_MESSAGE,
    hx,
)

TGK = KeyData(KeyType.TGK, b"\xaa" * 16)
PSK_I_MESSAGE = Message(
    CommonHeader(DataType.PSK_INIT, 0x12345678, (SrtpIdEntry(0, 0xDEADBEEF, 1),), v=True),
    (
        Timestamp(TsType.NTP_UTC, 0x0102030405060708),
        Rand(bytes(range(16))),
        SecurityPolicy(
            0,
            ProtType.SRTP,
            (PolicyParam(SrtpParam.ENCR_ALG, b"\x01"), PolicyParam(SrtpParam.AUTH_ALG, b"\x01")),
        ),
        Kemac(EncrAlg.NULL, encode_key_data([TGK]), MacAlg.HMAC_SHA_1_160, b"\xbb" * 20),
    ),
)


def test_psk_i_message_matches_hand_bytes() -> None:
    data = hx(PSK_I_MESSAGE_HEX)
    assert encode_message(PSK_I_MESSAGE) == data
    assert decode_message(data) == PSK_I_MESSAGE
    kemac = decode_message(data).first(Kemac)
    assert kemac is not None
    assert decode_key_data(kemac.encr_data) == (TGK,)


def test_mac_coverage_is_all_but_the_mac_field() -> None:
    """RFC 3830 5.2: the MAC is the last field, so the covered bytes are a prefix."""
    data = encode_message(PSK_I_MESSAGE)
    assert data[:-20] == hx(PSK_I_MESSAGE_HEX)[:-20]
    assert data[-21] == MacAlg.HMAC_SHA_1_160


def test_payload_offsets() -> None:
    assert payload_offsets(PSK_I_MESSAGE) == [19, 29, 47, 58]


def test_rfc4567_example_messages_round_trip() -> None:
    """RFC 4567 5.1 carries a real PSK I_MESSAGE and its verification message."""
    i_data = RFC4567_I_MESSAGE
    i_msg = decode_message(i_data)
    assert i_msg.hdr.data_type == DataType.PSK_INIT and i_msg.hdr.v
    assert [type(p) for p in i_msg.payloads] == [Timestamp, Rand, Id, SecurityPolicy, Kemac]
    assert i_msg.first(Id) == Id(IdType.NAI, b"donald@duck.com")
    assert encode_message(i_msg) == i_data
    r_data = RFC4567_R_MESSAGE
    r_msg = decode_message(r_data)
    assert r_msg.hdr.data_type == DataType.PSK_RESP
    assert r_msg.hdr.csb_id == i_msg.hdr.csb_id
    assert [type(p) for p in r_msg.payloads] == [Timestamp, Id, Verification]
    assert encode_message(r_msg) == r_data


def test_every_payload_in_one_message() -> None:
    msg = Message(
        CommonHeader(DataType.PK_INIT, 9),
        (
            Timestamp(TsType.COUNTER, 5),
            Rand(b"r" * 16),
            Id(IdType.URI, b"sip:x"),
            Pke(PkeCache.NO_CACHE, b"env"),
            Dh(DhGroup.OAKLEY_1, bytes(96)),
            Verification(MacAlg.NULL, b""),
            Error(ErrorNo.UNSPECIFIED),
            GeneralExtension(GeneralExtType.KEY_ID, encode_key_ids([KeyIdEntry(0, b"d")])),
            Kemac(EncrAlg.AES_KW_128, b"x" * 24, MacAlg.NULL, b""),
            Sign(SignType.RSA_PKCS1_1_5, b"s" * 128),
        ),
    )
    assert decode_message(encode_message(msg)) == msg


HDR = CommonHeader(DataType.PSK_INIT, 1)


@pytest.mark.parametrize(
    "payloads",
    [
        (Sign(SignType.RSA_PSS, b""), Rand(b"")),  # SIGN must be last (6.5)
        (Rand(bytes(256)),),
        (Kemac(EncrAlg.NULL, bytes(65536), MacAlg.NULL, b""),),
        (Kemac(EncrAlg.NULL, b"", MacAlg.HMAC_SHA_1_160, b""),),  # MAC length implicit
        (Kemac(EncrAlg.NULL, b"", 7, b""),),  # type: ignore[arg-type]
        (Kemac(256, b"", MacAlg.NULL, b""),),  # type: ignore[arg-type]
        (Kemac(EncrAlg.NULL, "text", MacAlg.NULL, b""),),  # type: ignore[arg-type]
        (Sign(SignType.RSA_PSS, bytes(4096)),),
        (Sign(16, b""),),  # type: ignore[arg-type]
        (Pke(PkeCache.CACHE, bytes(1 << 14)),),
        (Pke(4, b""),),  # type: ignore[arg-type]
        (Dh(DhGroup.OAKLEY_5, bytes(96)),),
        (Timestamp(TsType.COUNTER, 1 << 32),),
        (Timestamp(TsType.NTP, -1),),
        (Id(IdType.NAI, bytes(65536)),),
        (SecurityPolicy(256, ProtType.SRTP),),
        (SecurityPolicy(0, ProtType.SRTP, (PolicyParam(0, bytes(256)),)),),
        (SecurityPolicy(0, ProtType.SRTP, (PolicyParam(256, b""),)),),
        (SecurityPolicy(0, ProtType.SRTP, tuple(PolicyParam(0, bytes(255)) for _ in range(258))),),
        (GeneralExtension(GeneralExtType.VENDOR_ID, bytes(65536)),),
        (KeyData(KeyType.TGK, b""),),  # Key data is not a top-level payload
        (Kemac("AES", b"", MacAlg.NULL, b""),),  # type: ignore[arg-type]
        (Dh(DhGroup.OAKLEY_1, bytes(96), None),),  # type: ignore[arg-type]
        (Verification([1], b""),),  # type: ignore[arg-type]
    ],
)
def test_encode_errors(payloads: tuple[Payload, ...]) -> None:
    with pytest.raises(EncodeError):
        encode_message(Message(HDR, payloads))


def test_key_id_encode_errors() -> None:
    with pytest.raises(EncodeError):
        encode_key_ids([KeyIdEntry(0, bytes(256))])
    with pytest.raises(EncodeError):
        encode_key_ids([KeyIdEntry(256, b"")])


def test_decode_rejects_non_bytes() -> None:
    with pytest.raises(TypeError):
        decode_message("0100")  # type: ignore[arg-type]
    assert decode_message(bytearray(encode_message(PSK_I_MESSAGE))) == PSK_I_MESSAGE  # type: ignore[arg-type]
