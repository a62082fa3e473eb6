"""Each payload of RFC 3830 section 6 against bytes written by hand from its figure."""

from __future__ import annotations

import pytest

from mikey.wire import (
    PAYLOAD_TYPE,
    Cert,
    CertType,
    Chash,
    CommonHeader,
    DataType,
    Dh,
    DhGroup,
    EncrAlg,
    Error,
    ErrorNo,
    GeneralExtension,
    GeneralExtType,
    HashFunc,
    Id,
    IdType,
    Kemac,
    KeyIdEntry,
    KvInterval,
    KvSpi,
    MacAlg,
    Message,
    Payload,
    PayloadType,
    Pke,
    PkeCache,
    PolicyParam,
    ProtType,
    Rand,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    decode_key_ids,
    decode_message,
    encode_key_ids,
    encode_message,
)
from tests.wire.hexdata import hdr_hex, hx

HDR = CommonHeader(DataType.PSK_INIT, csb_id=1)

CASES: list[tuple[str, Payload, str]] = [
    # KEMAC (6.2): Next payload, Encr alg, Encr data len (16), Encr data, MAC alg, MAC.
    (
        "kemac-aes-cm-hmac",
        Kemac(EncrAlg.AES_CM_128, b"\x01\x02", MacAlg.HMAC_SHA_1_160, b"\x11" * 20),
        "00 01 0002 0102 01 " + "11" * 20,
    ),
    ("kemac-null-empty", Kemac(EncrAlg.NULL, b"", MacAlg.NULL, b""), "00 00 0000 00"),
    ("kemac-aes-kw", Kemac(EncrAlg.AES_KW_128, b"\xff", MacAlg.NULL, b""), "00 02 0001 ff 00"),
    # PKE (6.3): C (2 bits) | Data len (14 bits).
    ("pke-cache-for-csb", Pke(PkeCache.CACHE_FOR_CSB, b"\xab\xcd\xef"), "00 8003 abcdef"),
    ("pke-cache-291", Pke(PkeCache.CACHE, bytes(291)), "00 4123 " + "00" * 291),
    ("pke-no-cache", Pke(PkeCache.NO_CACHE, b""), "00 0000"),
    # DH (6.4): DH-Group, DH-value (implicit length), Reserv | KV, KV data (6.14).
    (
        "dh-oakley1-spi",
        Dh(DhGroup.OAKLEY_1, b"\x5a" * 96, KvSpi(b"\x01\x02")),
        "00 01 " + "5a" * 96 + " 01 02 0102",
    ),
    (
        "dh-oakley2-interval",
        Dh(DhGroup.OAKLEY_2, b"\x5a" * 128, KvInterval(bytes(5) + b"\x01", b"\xff" * 4)),
        "00 02 " + "5a" * 128 + " 02 06 000000000001 04 ffffffff",
    ),
    ("dh-oakley5-null", Dh(DhGroup.OAKLEY_5, b"\x01" * 192), "00 00 " + "01" * 192 + " 00"),
    # T (6.6): TS type, TS value (64 or 32 bits).
    ("t-ntp", Timestamp(TsType.NTP, 0x0102030405060708), "00 01 0102030405060708"),
    ("t-counter", Timestamp(TsType.COUNTER, 0x01020304), "00 02 01020304"),
    # ID / CERT (6.7): type, len (16), data.
    ("id-uri", Id(IdType.URI, b"sip:a@b"), "00 01 0007 7369703a614062"),
    ("cert-sign", Cert(CertType.X509V3_SIGN, b"\x30\x03"), "00 02 0002 3003"),
    # CHASH (6.8): Hash func, Hash (implicit length).
    ("chash-md5", Chash(HashFunc.MD5, b"\x77" * 16), "00 01 " + "77" * 16),
    ("chash-sha1", Chash(HashFunc.SHA_1, b"\x77" * 20), "00 00 " + "77" * 20),
    # V (6.9): Auth alg, Ver data (implicit length).
    ("v-hmac", Verification(MacAlg.HMAC_SHA_1_160, b"\x99" * 20), "00 01 " + "99" * 20),
    ("v-null", Verification(MacAlg.NULL, b""), "00 00"),
    # SP (6.10): Policy no, Prot type, Policy param length (16), Type/Length/Value.
    (
        "sp-srtp-tag-len",
        SecurityPolicy(7, ProtType.SRTP, (PolicyParam(SrtpParam.AUTH_TAG_LEN, b"\x0a"),)),
        "00 07 00 0003 0b 01 0a",
    ),
    ("sp-empty", SecurityPolicy(1, ProtType.SRTP), "00 01 00 0000"),
    # RAND (6.11): RAND len (8), RAND.
    ("rand-16", Rand(bytes(range(16))), "00 10 000102030405060708090a0b0c0d0e0f"),
    # ERR (6.12): Error no, Reserved (16).
    ("err-invalid-ts", Error(ErrorNo.INVALID_TS), "00 01 0000"),
    # General Extension (6.15): Type, Length (16), Data.
    ("ext-vendor", GeneralExtension(GeneralExtType.VENDOR_ID, b"abc"), "00 00 0003 616263"),
    # RFC 4563 4: Key ID Type sub-payloads (Key ID Type, Key ID Length, Key ID).
    (
        "ext-key-id",
        GeneralExtension(GeneralExtType.KEY_ID, bytes.fromhex("01 02 0102 02 00")),
        "00 03 0006 01 02 0102 02 00",
    ),
]


@pytest.mark.parametrize(("payload", "body"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_payload_matches_hand_bytes(payload: Payload, body: str) -> None:
    msg = Message(HDR, (payload,))
    data = hx(hdr_hex(PAYLOAD_TYPE[type(payload)]), body)
    assert encode_message(msg) == data
    assert decode_message(data) == msg


@pytest.mark.parametrize(
    ("sign", "body"),
    [
        # SIGN (6.5): S type (4 bits) | Signature len (12 bits); no Next payload field.
        (Sign(SignType.RSA_PSS, b"\x01\x02\x03"), "1003 010203"),
        (Sign(SignType.RSA_PKCS1_1_5, bytes(0xABC)), "0abc " + "00" * 0xABC),
    ],
)
def test_sign_matches_hand_bytes(sign: Sign, body: str) -> None:
    msg = Message(HDR, (Rand(b"\x42"), sign))
    data = hx(hdr_hex(PayloadType.RAND), "04 01 42", body)
    assert encode_message(msg) == data
    assert decode_message(data) == msg


def test_key_ids_match_hand_bytes() -> None:
    entries = (KeyIdEntry(1, b"\x01\x02"), KeyIdEntry(2, b""))
    assert encode_key_ids(entries) == hx("01 02 0102 02 00")
    assert decode_key_ids(hx("01 02 0102 02 00")) == entries
    assert decode_key_ids(b"") == ()
