"""Key data sub-payloads (RFC 3830 6.13) and key validity (6.14): the KEMAC plaintext."""

from __future__ import annotations

import pytest

from mikey.wire import (
    DecodeError,
    EncodeError,
    Id,
    IdType,
    KeyData,
    KeyType,
    KvInterval,
    KvNull,
    KvSpi,
    decode_key_data,
    decode_key_data_with_id,
    encode_key_data,
    encode_key_data_with_id,
)
from tests.wire.hexdata import hx

TGK_SALT_SPI = KeyData(KeyType.TGK_SALT, b"\xaa" * 16, b"\x5a" * 14, KvSpi(b"\x00\x00\x00\x01"))
TEK_INTERVAL = KeyData(KeyType.TEK, b"\xbb" * 16, None, KvInterval(bytes(6), b"\xff" * 6))
TWO_KEYS_HEX = hx(
    # Next payload 20 (Key data), Type 1 (TGK+SALT) | KV 1 (SPI), Key data len 16, key,
    # Salt len 14, salt, SPI Length 4, SPI.
    "14 11 0010 " + "aa" * 16 + " 000e " + "5a" * 14 + " 04 00000001",
    # Next payload 0 (last), Type 2 (TEK) | KV 2 (interval), Key data len 16, key,
    # VF Length 6, Valid From, VT Length 6, Valid To.
    "00 22 0010 " + "bb" * 16 + " 06 000000000000 06 ffffffffffff",
)


def test_chain_matches_hand_bytes() -> None:
    assert encode_key_data([TGK_SALT_SPI, TEK_INTERVAL]) == TWO_KEYS_HEX
    assert decode_key_data(TWO_KEYS_HEX) == (TGK_SALT_SPI, TEK_INTERVAL)


def test_single_tgk_and_empty_chain() -> None:
    tgk = KeyData(KeyType.TGK, b"\x01\x02")
    assert encode_key_data([tgk]) == hx("00 00 0002 0102")
    assert decode_key_data(hx("00 00 0002 0102")) == (tgk,)
    assert encode_key_data([]) == b""
    assert decode_key_data(b"") == ()  # an update message may carry no keys (6.2)


def test_public_key_form_with_id() -> None:
    """RFC 3830 6.2: in the public-key method the ID payload comes first."""
    ident = Id(IdType.NAI, b"a@b")
    tgk = KeyData(KeyType.TGK, b"\x01")
    data = hx("14 00 0003 614062", "00 00 0001 01")
    assert encode_key_data_with_id(ident, [tgk]) == data
    assert decode_key_data_with_id(data) == (ident, (tgk,))
    assert decode_key_data_with_id(hx("00 00 0003 614062")) == (ident, ())


@pytest.mark.parametrize(
    ("data", "offset", "field", "value"),
    [
        ("00 40 0000", 1, "Type", 4),
        ("00 03 0000", 1, "KV", 3),
        ("05 00 0000", 0, "next payload", 5),  # only Key data (20) or last (0) chain here
        ("01 00 0000", 0, "next payload", 1),
        ("00 00 0005 0102", 2, "Key data len", 5),
        ("00 10 0001 01 0003 0102", 5, "Salt len", 3),
        ("00 10 0001 01", 5, "Salt len", 2),  # TGK+SALT without a Salt len field
        ("00 01 0001 01 02 01", 5, "SPI Length", 2),
        ("00 02 0001 01 00", 6, "VT Length", 1),
        ("14 00 0001 01", 5, "next payload", 1),  # says another Key data follows; none does
    ],
)
def test_key_data_rejections(data: str, offset: int, field: str, value: int) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_key_data(hx(data))
    err = caught.value
    assert (err.offset, err.field, err.value) == (offset, field, value)
    assert err.payload == "Key data"
    assert err.section in ("RFC 3830 6.13", "RFC 3830 6.14")


def test_trailing_bytes_after_last_key_data() -> None:
    with pytest.raises(DecodeError, match="follow the last Key data") as caught:
        decode_key_data(hx("00 00 0001 01 00"))
    assert caught.value.offset == 5


@pytest.mark.parametrize(
    "kd",
    [
        KeyData(KeyType.TGK, b"k", b"salt"),  # salt present for a type without salt
        KeyData(KeyType.TEK_SALT, b"k"),  # salt missing
        KeyData(KeyType.TGK, bytes(65536)),
        KeyData(KeyType.TEK_SALT, b"k", bytes(65536)),
        KeyData(KeyType.TGK, b"k", None, KvSpi(bytes(256))),
        KeyData(KeyType.TGK, b"k", None, KvInterval(b"", bytes(256))),
        KeyData(16, b"k", None, KvNull()),  # type: ignore[arg-type]
    ],
)
def test_key_data_encode_errors(kd: KeyData) -> None:
    with pytest.raises(EncodeError):
        encode_key_data([kd])
