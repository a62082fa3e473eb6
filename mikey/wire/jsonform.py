"""The JSON form of messages: `message_to_dict` and its exact inverse `message_from_dict`.

Format (stable; used by evidence in reports, the Wireshark oracle comparison
and the subprocess shim)::

    {"hdr": {"version": 1, "data_type": "PSK_INIT", "v": true, "prf_func": "MIKEY_1",
             "csb_id": 305419896, "cs_count": 1, "cs_id_map_type": "SRTP_ID",
             "cs_map": [{"policy_no": 0, "ssrc": 3735928559, "roc": 0}]},
     "payloads": [{"type": "T", "ts_type": "NTP_UTC", "value": 1234},
                  {"type": "RAND", "rand": "00112233..."}, ...]}

Rules:
- every payload dict has "type", the payload's name in Table 6.1.b
  (registry.PayloadType: KEMAC, PKE, DH, SIGN, T, ID, CERT, CHASH, V, SP, RAND,
  ERR, GENERAL_EXT), and then one key per field of its class in payloads.py,
  with the same name (e.g. KEMAC: encr_alg, encr_data, mac_alg, mac; DH: group,
  value, kv; SP: policy_no, prot_type, params [{"type": 8-bit int, "value": hex}]);
- registry codes (IntEnum) are written by member name ("AES_CM_128"); a raw int
  that is not a member (a deliberately invalid value) is written as an int;
- bytes are lowercase hex strings; ints are ints; bools are bools; absent
  optional values (a Key data salt) are null;
- key validity (DH "kv", Key data "kv") is {"kv_type": "NULL"},
  {"kv_type": "SPI", "spi": hex} or
  {"kv_type": "INTERVAL", "valid_from": hex, "valid_to": hex};
- hdr "cs_count" is always the #CS value (for SRTP-ID, len(cs_map));
- Key data sub-payloads (`key_data_to_dict`): {"key_type": "TGK", "key": hex,
  "salt": hex or null, "kv": {...}}.

`message_from_dict` accepts exactly this form (enum names or ints, missing keys
take the dataclass default) and raises ValueError on anything else.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, fields, is_dataclass
from enum import IntEnum
from typing import Any, get_args, get_origin, get_type_hints

from mikey.wire.payloads import (
    PAYLOAD_TYPE,
    CommonHeader,
    KeyData,
    KeyValidity,
    KvInterval,
    KvNull,
    KvSpi,
    Message,
    Payload,
)
from mikey.wire.registry import KvType

_CLASS_OF_TYPE: dict[str, type] = {kind.name: cls for cls, kind in PAYLOAD_TYPE.items()}
_KV_CLASS: dict[str, type] = {
    KvType.NULL.name: KvNull,
    KvType.SPI.name: KvSpi,
    KvType.INTERVAL.name: KvInterval,
}
_KV_NAME: dict[type, str] = {cls: name for name, cls in _KV_CLASS.items()}
_HDR_ORDER = (
    "version",
    "data_type",
    "v",
    "prf_func",
    "csb_id",
    "cs_count",
    "cs_id_map_type",
    "cs_map",
)  # RFC 3830 6.1 field order


def _to(value: object) -> Any:
    """A JSON-able form of one field value."""
    if isinstance(value, IntEnum):
        return value.name
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, tuple | list):
        return [_to(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        if type(value) in _KV_NAME:
            out["kv_type"] = _KV_NAME[type(value)]
        hints = get_type_hints(type(value))
        for f in fields(value):
            item = getattr(value, f.name)
            # A plain-int field (e.g. PolicyParam.type) holding an IntEnum stays a number,
            # so message_from_dict reads back what message_to_dict wrote.
            out[f.name] = int(item) if hints[f.name] is int else _to(item)
        return out
    raise ValueError(f"cannot express {value!r} in JSON form")


def message_to_dict(msg: Message) -> dict[str, Any]:
    """The JSON-able dict of `msg` (format in the module docstring)."""
    fields_ = _to(msg.hdr)
    fields_["cs_count"] = msg.hdr.n_cs
    hdr = {key: fields_[key] for key in _HDR_ORDER}
    payloads = [{"type": PAYLOAD_TYPE[type(p)].name, **_to(p)} for p in msg.payloads]
    return {"hdr": hdr, "payloads": payloads}


def key_data_to_dict(kd: KeyData) -> dict[str, Any]:
    """The JSON-able dict of one Key data sub-payload."""
    out: dict[str, Any] = _to(kd)
    return out


def _expect(obj: object, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(obj, kind) or (kind is int and isinstance(obj, bool)):
        raise ValueError(f"{what}: expected {kind}, got {obj!r}")
    return obj


def _enum_from(cls: type[IntEnum], obj: object, what: str) -> IntEnum | int:
    if isinstance(obj, str):
        if obj not in cls.__members__:
            raise ValueError(f"{what}: {obj!r} is not a {cls.__name__} name")
        return cls[obj]
    value = _expect(obj, int, what)
    member: IntEnum | None = cls._value2member_map_.get(value)  # type: ignore[assignment]
    return value if member is None else member


def _from(hint: Any, obj: object, what: str) -> Any:
    """The field value of type `hint` that `obj` (JSON form) denotes."""
    if hint is bytes:
        text = _expect(obj, str, what)
        try:
            return bytes.fromhex(text)
        except ValueError as exc:
            raise ValueError(f"{what}: not hex: {text!r}") from exc
    if hint is bool or hint is int:
        return _expect(obj, hint, what)
    if isinstance(hint, type) and issubclass(hint, IntEnum):
        return _enum_from(hint, obj, what)
    if hint == KeyValidity:
        body = dict(_expect(obj, dict, what))
        kv_cls = _KV_CLASS.get(body.pop("kv_type", None))
        if kv_cls is None:
            raise ValueError(f"{what}: bad kv_type in {obj!r}")
        return _dataclass_from(kv_cls, body, what)
    if isinstance(hint, types.UnionType) and type(None) in get_args(hint):
        inner = [a for a in get_args(hint) if a is not type(None)]
        return None if obj is None else _from(inner[0], obj, what)
    if get_origin(hint) is tuple:
        item = get_args(hint)[0]
        items = _expect(obj, list, what)
        return tuple(_from(item, v, f"{what}[{i}]") for i, v in enumerate(items))
    if isinstance(hint, type) and is_dataclass(hint):
        return _dataclass_from(hint, _expect(obj, dict, what), what)
    raise ValueError(f"{what}: unsupported field type {hint!r}")


def _dataclass_from(cls: type, body: dict[str, Any], what: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    unknown = set(body) - names
    if unknown:
        raise ValueError(f"{what}: unknown keys {sorted(unknown)} for {cls.__name__}")
    args: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in body:
            args[f.name] = _from(hints[f.name], body[f.name], f"{what}.{f.name}")
        elif f.default is MISSING and f.default_factory is MISSING:
            raise ValueError(f"{what}: missing key {f.name!r} for {cls.__name__}")
    return cls(**args)


def _payload_from(obj: object, what: str) -> Payload:
    body = dict(_expect(obj, dict, what))
    name = body.pop("type", None)
    cls = _CLASS_OF_TYPE.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"{what}: unknown payload type {name!r}")
    payload: Payload = _dataclass_from(cls, body, what)
    return payload


def message_from_dict(d: dict[str, Any]) -> Message:
    """The Message that `message_to_dict` turned into `d`; ValueError if malformed."""
    body = _expect(d, dict, "message")
    if set(body) != {"hdr", "payloads"}:
        raise ValueError(f"message: expected keys hdr and payloads, got {sorted(body)}")
    hdr: CommonHeader = _dataclass_from(CommonHeader, _expect(body["hdr"], dict, "hdr"), "hdr")
    items = _expect(body["payloads"], list, "payloads")
    return Message(hdr, tuple(_payload_from(p, f"payloads[{i}]") for i, p in enumerate(items)))


def key_data_from_dict(d: dict[str, Any]) -> KeyData:
    """The KeyData that `key_data_to_dict` turned into `d`; ValueError if malformed."""
    kd: KeyData = _dataclass_from(KeyData, _expect(d, dict, "key data"), "key data")
    return kd
