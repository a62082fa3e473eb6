"""The IDR (RFC 6043 6.6, RFC 6509 4.4) and SAKKE (RFC 6509 4.2) payloads byte for byte,
round trips of any value, and the decoder's rejections."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.fuzz.strategies import headers, idrs, sakkes
from mikey.wire import (
    CommonHeader,
    DataType,
    DecodeError,
    ErrorNo,
    Idr,
    IdRole,
    IdType,
    Message,
    PayloadType,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    decode_message,
    encode_message,
    error_no_for,
)
from tests.wire.hexdata import hdr_hex, hx

H = 10  # the HDR of hdr_hex(): no CS ID map entries


def test_idr_bytes() -> None:
    """Next payload, ID Role, ID Type, ID len (16 bits), ID Data."""
    msg = decode_message(hx(hdr_hex(PayloadType.IDR, DataType.SAKKE_MSG), "00 07 01 0003 6b6d73"))
    assert msg.hdr.data_type == DataType.SAKKE_MSG
    assert msg.payloads == (Idr(IdRole.IDRKMSR, IdType.URI, b"kms"),)


def test_sakke_bytes() -> None:
    """Next payload, SAKKE params, ID scheme, SAKKE data length (16 bits), SAKKE data."""
    msg = decode_message(hx(hdr_hex(PayloadType.SAKKE), "00 01 01 0002 0405"))
    expected = Sakke(SakkeParamSet.PARAMETER_SET_1, SakkeIdScheme.TEL_URI_MONTHLY, b"\x04\x05")
    assert msg.payloads == (expected,)
    assert encode_message(msg) == hx(hdr_hex(PayloadType.SAKKE), "00 01 01 0002 0405")


@given(headers(), st.lists(st.one_of(idrs, sakkes), max_size=4))
def test_round_trip(hdr: CommonHeader, payloads: list[Idr | Sakke]) -> None:
    msg = Message(hdr, tuple(payloads))
    assert decode_message(encode_message(msg)) == msg


@pytest.mark.parametrize(
    ("first", "body", "field", "error"),
    [
        (PayloadType.IDR, "00 00 01 0000", "ID Role", ErrorNo.INVALID_ID),
        (PayloadType.IDR, "00 08 01 0000", "ID Role", ErrorNo.INVALID_ID),
        (PayloadType.IDR, "00 01 02 0000", "ID type", ErrorNo.INVALID_ID),
        (PayloadType.IDR, "00 01 01 0002 61", "ID len", ErrorNo.UNSPECIFIED),
        (PayloadType.SAKKE, "00 02 01 0000", "SAKKE params", ErrorNo.UNSPECIFIED),
        (PayloadType.SAKKE, "00 01 00 0000", "ID scheme", ErrorNo.UNSPECIFIED),
        (PayloadType.SAKKE, "00 01 01 0003 0405", "SAKKE data length", ErrorNo.UNSPECIFIED),
        (PayloadType.SAKKE, "00 01 01", "SAKKE data length", ErrorNo.UNSPECIFIED),
    ],
)
def test_rejections(first: int, body: str, field: str, error: ErrorNo) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_message(hx(hdr_hex(first), body))
    assert caught.value.field == field
    assert caught.value.section in ("RFC 6043 6.6", "RFC 6509 4.2")
    assert caught.value.offset >= H
    assert error_no_for(caught.value) == error
