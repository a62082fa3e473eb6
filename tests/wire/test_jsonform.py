"""The JSON form: message_to_dict's documented shape and message_from_dict as its inverse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mikey.wire import (
    CommonHeader,
    CsIdMapType,
    DataType,
    Dh,
    DhGroup,
    EncrAlg,
    Kemac,
    KeyData,
    KeyType,
    KvInterval,
    KvSpi,
    MacAlg,
    Message,
    SrtpIdEntry,
    Timestamp,
    TsType,
    key_data_from_dict,
    key_data_to_dict,
    message_from_dict,
    message_to_dict,
)

MSG = Message(
    CommonHeader(DataType.PSK_INIT, 0x12345678, (SrtpIdEntry(0, 0xDEADBEEF, 0),), v=True),
    (
        Timestamp(TsType.NTP_UTC, 1234),
        Dh(DhGroup.OAKLEY_1, b"\xab" * 96, KvSpi(b"\x01")),
        Kemac(EncrAlg.AES_CM_128, b"\xca\xfe", MacAlg.NULL, b""),
    ),
)


def test_documented_shape() -> None:
    d = message_to_dict(MSG)
    assert d["hdr"] == {
        "version": 1,
        "data_type": "PSK_INIT",
        "v": True,
        "prf_func": "MIKEY_1",
        "csb_id": 0x12345678,
        "cs_count": 1,
        "cs_id_map_type": "SRTP_ID",
        "cs_map": [{"policy_no": 0, "ssrc": 0xDEADBEEF, "roc": 0}],
    }
    assert d["payloads"] == [
        {"type": "T", "ts_type": "NTP_UTC", "value": 1234},
        {
            "type": "DH",
            "group": "OAKLEY_1",
            "value": "ab" * 96,
            "kv": {"kv_type": "SPI", "spi": "01"},
        },
        {
            "type": "KEMAC",
            "encr_alg": "AES_CM_128",
            "encr_data": "cafe",
            "mac_alg": "NULL",
            "mac": "",
        },
    ]
    assert message_from_dict(json.loads(json.dumps(d))) == MSG


def test_empty_map_keeps_cs_count() -> None:
    hdr = CommonHeader(DataType.PSK_INIT, 1, cs_id_map_type=CsIdMapType.EMPTY, cs_count=4)
    d = message_to_dict(Message(hdr))
    assert d["hdr"]["cs_count"] == 4 and d["hdr"]["cs_map"] == []
    assert message_from_dict(d).hdr == hdr


def test_key_data_dict() -> None:
    kd = KeyData(KeyType.TEK_SALT, b"\x01", b"\x02", KvInterval(b"\x03", b"\x04"))
    d = key_data_to_dict(kd)
    assert d == {
        "key_type": "TEK_SALT",
        "key": "01",
        "salt": "02",
        "kv": {"kv_type": "INTERVAL", "valid_from": "03", "valid_to": "04"},
    }
    assert key_data_from_dict(d) == kd
    assert key_data_to_dict(KeyData(KeyType.TGK, b""))["salt"] is None


def test_raw_ints_and_defaults() -> None:
    """A value outside a registry round-trips as an int; missing keys take defaults."""
    d: dict[str, Any] = {
        "hdr": {"data_type": 200, "csb_id": 1},
        "payloads": [{"type": "T", "ts_type": 2, "value": 5}],
    }
    msg = message_from_dict(d)
    assert msg.hdr.data_type == 200 and msg.payloads == (Timestamp(TsType.COUNTER, 5),)
    assert message_to_dict(msg)["hdr"]["data_type"] == 200


@pytest.mark.parametrize(
    "d",
    [
        {"hdr": {"data_type": "NOPE", "csb_id": 1}, "payloads": []},
        {"hdr": {"data_type": "PSK_INIT"}, "payloads": []},
        {"hdr": {"data_type": "PSK_INIT", "csb_id": 1, "extra": 1}, "payloads": []},
        {"hdr": {"data_type": "PSK_INIT", "csb_id": True}, "payloads": []},
        {"hdr": {"data_type": "PSK_INIT", "csb_id": 1}, "payloads": [{"type": "X"}]},
        {
            "hdr": {"data_type": "PSK_INIT", "csb_id": 1},
            "payloads": [{"type": "RAND", "rand": "zz"}],
        },
        {"hdr": {"data_type": "PSK_INIT", "csb_id": 1}, "payloads": {}},
        {"hdr": {"data_type": "PSK_INIT", "csb_id": 1}},
        {
            "hdr": {"data_type": "PSK_INIT", "csb_id": 1},
            "payloads": [{"type": "DH", "group": 0, "value": "", "kv": {"kv_type": "?"}}],
        },
    ],
)
def test_malformed_dicts(d: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        message_from_dict(d)
