"""HDR (RFC 3830 6.1, 6.1.1; RFC 4563 5) against hand-written bytes, and its rejections."""

from __future__ import annotations

import pytest

from mikey.wire import (
    CommonHeader,
    CsIdMapType,
    DataType,
    DecodeError,
    EncodeError,
    Message,
    Rand,
    SrtpIdEntry,
    decode_message,
    encode_message,
)
from tests.wire.hexdata import hx

TWO_CS = CommonHeader(
    DataType.DH_INIT,
    csb_id=0xCAFEBABE,
    cs_map=(SrtpIdEntry(1, 0x11223344, 0), SrtpIdEntry(2, 0x55667788, 0x01020304)),
)
TWO_CS_HEX = hx(
    "01 04 00 00 cafebabe 02 00",  # version 1, D-H init, last payload, V=0 PRF 0, #CS 2, SRTP-ID
    "01 11223344 00000000",
    "02 55667788 01020304",
)


def test_srtp_id_map_bytes() -> None:
    assert encode_message(Message(TWO_CS)) == TWO_CS_HEX
    assert decode_message(TWO_CS_HEX) == Message(TWO_CS)


def test_empty_map_carries_cs_count_only() -> None:
    """RFC 4563 5: the Empty map type has #CS but no CS ID map info."""
    hdr = CommonHeader(DataType.PSK_INIT, 7, v=True, cs_id_map_type=CsIdMapType.EMPTY, cs_count=3)
    data = hx("01 00 00 80 00000007 03 01")
    assert encode_message(Message(hdr)) == data
    decoded = decode_message(data)
    assert decoded.hdr == hdr
    assert decoded.hdr.n_cs == 3 and decoded.hdr.cs_map == ()


def test_cs_count_equal_to_map_length_is_canonical() -> None:
    entry = SrtpIdEntry(0, 1, 0)
    with_count = CommonHeader(DataType.PSK_INIT, 1, [entry], cs_count=1)  # type: ignore[arg-type]
    assert with_count == CommonHeader(DataType.PSK_INIT, 1, (entry,))


@pytest.mark.parametrize(
    ("data", "offset", "field", "value"),
    [
        ("02 00 00 00 00000001 00 00", 0, "version", 2),
        ("00 00 00 00 00000001 00 00", 0, "version", 0),
        ("01 f0 00 00 00000001 00 00", 1, "data type", 240),
        ("01 00 0d 00 00000001 00 00", 2, "next payload", 13),
        ("01 00 14 00 00000001 00 00", 2, "next payload", 20),  # Key data only inside KEMAC
        ("01 00 00 01 00000001 00 00", 3, "PRF func", 1),
        ("01 00 00 ff 00000001 00 00", 3, "PRF func", 0x7F),
        ("01 00 00 00 00000001 00 02", 9, "CS ID map type", 2),
        ("01 00 00 00 00000001 01 00", 8, "#CS", 1),  # #CS 1 but no map info
        ("01 00 00 00 00000001 02 00 00 00000001 00000000", 8, "#CS", 2),
    ],
)
def test_header_rejections(data: str, offset: int, field: str, value: int) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_message(hx(data))
    err = caught.value
    assert (err.offset, err.field, err.value, err.payload) == (offset, field, value, "HDR")
    assert err.section.startswith("RFC 3830 6.1")


@pytest.mark.parametrize("length", range(10))
def test_short_header_is_rejected(length: int) -> None:
    data = hx("01 00 00 00 00000001 00 00")[:length]
    with pytest.raises(DecodeError) as caught:
        decode_message(data)
    assert caught.value.payload == "HDR"
    assert 0 <= caught.value.offset <= length


def test_map_info_shorter_than_cs_count_mentions_both() -> None:
    data = TWO_CS_HEX[:-1]
    with pytest.raises(DecodeError, match="#CS 2 needs 18 bytes") as caught:
        decode_message(data)
    assert caught.value.section == "RFC 3830 6.1.1"


@pytest.mark.parametrize(
    "hdr",
    [
        CommonHeader(DataType.PSK_INIT, 1 << 32),
        CommonHeader(DataType.PSK_INIT, -1),
        CommonHeader(DataType.PSK_INIT, 1, tuple(SrtpIdEntry(0, 0, 0) for _ in range(256))),
        CommonHeader(DataType.PSK_INIT, 1, (SrtpIdEntry(0, 0, 0),), cs_count=2),
        CommonHeader(DataType.PSK_INIT, 1, (SrtpIdEntry(256, 0, 0),)),
        CommonHeader(DataType.PSK_INIT, 1, (SrtpIdEntry(0, 1 << 32, 0),)),
        CommonHeader(
            DataType.PSK_INIT, 1, (SrtpIdEntry(0, 0, 0),), cs_id_map_type=CsIdMapType.EMPTY
        ),
        CommonHeader(DataType.PSK_INIT, 1, cs_id_map_type=CsIdMapType.EMPTY, cs_count=256),
        CommonHeader(DataType.PSK_INIT, 1, version=256),
    ],
)
def test_header_encode_errors(hdr: CommonHeader) -> None:
    with pytest.raises(EncodeError):
        encode_message(Message(hdr, (Rand(b"x"),)))
