"""Strict decoding: every unknown code, lying length and misplaced payload is a DecodeError.

Each case is a hand-written message (a 10-byte HDR, see hexdata.hdr_hex, then
one payload) and the exact offset, payload, field and value the error names.
"""

from __future__ import annotations

import pytest

from mikey.wire import DecodeError, PayloadType, decode_message, error_no_for
from mikey.wire.registry import ErrorNo
from tests.wire.hexdata import hdr_hex, hx

P = PayloadType
H = 10  # offset of the first payload (HDR with #CS 0)

# (id, next payload in HDR, payload hex, offset, payload name, field, value)
UNKNOWN_CODES = [
    ("encr-alg", P.KEMAC, "00 03 0000 00", H + 1, "KEMAC", "Encr alg", 3),
    ("mac-alg", P.KEMAC, "00 00 0000 02", H + 4, "KEMAC", "MAC alg", 2),
    ("pke-c-3", P.PKE, "00 c000", H + 1, "PKE", "C", 3),
    ("dh-group", P.DH, "00 03", H + 1, "DH", "DH-Group", 3),
    ("dh-kv", P.DH, "00 01 " + "00" * 96 + " 03", H + 98, "DH", "KV", 3),
    ("s-type", P.SIGN, "3000", H, "SIGN", "S type", 3),  # 2 is ECCSI (RFC 6509 4.3)
    ("ts-type", P.T, "00 03 00000000", H + 1, "T", "TS type", 3),
    ("id-type", P.ID, "00 02 0000", H + 1, "ID", "ID type", 2),
    ("cert-type", P.CERT, "00 04 0000", H + 1, "CERT", "Cert type", 4),
    ("hash-func", P.CHASH, "00 02", H + 1, "CHASH", "Hash func", 2),
    ("auth-alg", P.V, "00 05", H + 1, "V", "Auth alg", 5),
    ("prot-type", P.SP, "00 00 01 0000", H + 2, "SP", "Prot type", 1),
    ("error-no", P.ERR, "00 0d 0000", H + 1, "ERR", "Error no", 13),
    ("ext-type", P.GENERAL_EXT, "00 02 0000", H + 1, "General Ext", "Type", 2),
    ("next-payload", P.RAND, "0d 00", H, "RAND", "next payload", 13),
    ("next-key-data", P.RAND, "14 00", H, "RAND", "next payload", 20),
]

LYING_LENGTHS = [
    ("encr-data-len", P.KEMAC, "00 00 0005 0102 00", H + 2, "KEMAC", "Encr data len", 5),
    ("pke-data-len", P.PKE, "00 0004 010203", H + 1, "PKE", "Data len", 4),
    ("sign-len", P.SIGN, "0004 010203", H, "SIGN", "Signature len", 4),
    ("id-len", P.ID, "00 00 0002 61", H + 2, "ID", "ID len", 2),
    ("cert-len", P.CERT, "00 00 ffff 61", H + 2, "CERT", "Cert len", 0xFFFF),
    ("rand-len", P.RAND, "00 10 00", H + 1, "RAND", "RAND len", 16),
    ("sp-len", P.SP, "00 00 00 0004 000101", H + 3, "SP", "Policy param length", 4),
    ("sp-param-len", P.SP, "00 00 00 0003 00 02 01", H + 6, "SP", "Length", 2),
    ("ext-len", P.GENERAL_EXT, "00 00 0002 61", H + 2, "General Ext", "Length", 2),
    ("key-id-len", P.GENERAL_EXT, "00 03 0003 01 05 61", H + 5, "Key ID", "Key ID Length", 5),
    ("dh-spi-len", P.DH, "00 01 " + "00" * 96 + " 01 03 6162", H + 99, "DH", "SPI Length", 3),
    ("dh-vt-len", P.DH, "00 01 " + "00" * 96 + " 02 00 01", H + 100, "DH", "VT Length", 1),
]

IMPLICIT_LENGTHS = [
    ("mac", P.KEMAC, "00 00 0000 01 " + "00" * 19, H + 5, "KEMAC", "MAC"),
    ("dh-value", P.DH, "00 00 " + "00" * 191, H + 2, "DH", "DH-value"),
    ("ts-value", P.T, "00 00 01020304", H + 2, "T", "TS value"),
    ("counter", P.T, "00 02 010203", H + 2, "T", "TS value"),
    ("hash", P.CHASH, "00 00 " + "00" * 16, H + 2, "CHASH", "Hash"),
    ("ver-data", P.V, "00 01 " + "00" * 10, H + 2, "V", "Ver data"),
    ("err-reserved", P.ERR, "00 00 00", H + 2, "ERR", "Reserved"),
]


def _decode_error(next_payload: int, body: str) -> DecodeError:
    data = hx(hdr_hex(next_payload), body)
    with pytest.raises(DecodeError) as caught:
        decode_message(data)
    assert 0 <= caught.value.offset <= len(data)
    return caught.value


@pytest.mark.parametrize(
    ("first", "body", "offset", "payload", "field", "value"),
    [c[1:] for c in UNKNOWN_CODES + LYING_LENGTHS],
    ids=[c[0] for c in UNKNOWN_CODES + LYING_LENGTHS],
)
def test_rejected_field(
    first: int, body: str, offset: int, payload: str, field: str, value: int
) -> None:
    err = _decode_error(first, body)
    assert (err.offset, err.payload, err.field, err.value) == (offset, payload, field, value)
    assert err.section.startswith("RFC ")


@pytest.mark.parametrize(
    ("first", "body", "offset", "payload", "field"),
    [c[1:] for c in IMPLICIT_LENGTHS],
    ids=[c[0] for c in IMPLICIT_LENGTHS],
)
def test_implicit_length_that_does_not_fit(
    first: int, body: str, offset: int, payload: str, field: str
) -> None:
    err = _decode_error(first, body)
    assert (err.offset, err.payload, err.field) == (offset, payload, field)


def test_payload_after_sign() -> None:
    err = _decode_error(P.SIGN, "0001 ff 00")
    assert (err.offset, err.payload, err.section) == (H + 3, "SIGN", "RFC 3830 6.5")


def test_trailing_bytes_after_last_payload() -> None:
    err = _decode_error(P.RAND, "00 01 ff 00")
    assert (err.offset, err.payload) == (H + 3, "RAND")
    err = _decode_error(P.LAST, "00")
    assert (err.offset, err.payload) == (H, "HDR")


def test_chain_running_off_the_end() -> None:
    err = _decode_error(P.RAND, "0b 01 ff")  # says RAND follows, nothing does
    assert (err.offset, err.payload, err.field) == (H + 3, "RAND", "next payload")


def test_empty_input() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_message(b"")
    assert (caught.value.offset, caught.value.payload) == (0, "HDR")


def test_sections_are_named() -> None:
    assert _decode_error(P.DH, "00 01 " + "00" * 96 + " 01 03").section == "RFC 3830 6.14"
    assert _decode_error(P.GENERAL_EXT, "00 03 0001 01").section == "RFC 4563 4"
    assert _decode_error(P.SP, "00 00 00 0001 00").section == "RFC 3830 6.10"


@pytest.mark.parametrize(
    ("first", "body", "error_no"),
    [
        (P.KEMAC, "00 03 0000 00", ErrorNo.INVALID_EA),
        (P.KEMAC, "00 00 0000 02", ErrorNo.INVALID_MAC),
        (P.DH, "00 03", ErrorNo.INVALID_DH),
        (P.CHASH, "00 02", ErrorNo.INVALID_HA),
        (P.ID, "00 02 0000", ErrorNo.INVALID_ID),
        (P.CERT, "00 04 0000", ErrorNo.INVALID_CERT),
        (P.SP, "00 00 01 0000", ErrorNo.INVALID_SP),
        (P.T, "00 03 00000000", ErrorNo.INVALID_TS),
        (P.RAND, "00 10 00", ErrorNo.UNSPECIFIED),
    ],
)
def test_error_no_for_decode_error(first: int, body: str, error_no: ErrorNo) -> None:
    """Table 6.12: the Error no a responder answers a DecodeError with."""
    assert error_no_for(_decode_error(first, body)) == error_no


def test_error_no_for_header_fields() -> None:
    for data, error_no in [
        ("01 09 00 00 00000001 00 00", ErrorNo.INVALID_DT),
        ("01 00 00 05 00000001 00 00", ErrorNo.INVALID_PRF),
    ]:
        with pytest.raises(DecodeError) as caught:
            decode_message(hx(data))
        assert error_no_for(caught.value) == error_no
