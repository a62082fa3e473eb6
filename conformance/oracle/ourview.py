"""Our decoder's view of a message as named fields, for comparison with tshark's.

The field names and value forms are shared with `tsharkview`: "hdr.csb_id",
"payloads[2].type", "payloads[2].encr_data", ...; codes are integers (the
JSON form's enum names mapped back through the registry), bytes lowercase
hex, lengths integers, and `ABSENT` marks a field a side does not show.
Input is `mikey.wire.message_to_dict(decode_message(data))`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from enum import IntEnum
from typing import Any

from mikey.wire import (
    CertType,
    CsIdMapType,
    DataType,
    DecodeError,
    DhGroup,
    EncrAlg,
    ErrorNo,
    GeneralExtType,
    HashFunc,
    IdRole,
    IdType,
    KeyType,
    KvType,
    MacAlg,
    PayloadType,
    PkeCache,
    PrfFunc,
    ProtType,
    SakkeIdScheme,
    SakkeParamSet,
    SignType,
    TsType,
    decode_key_data,
    key_data_to_dict,
    message_from_dict,
    payload_offsets,
)

ABSENT = "<absent>"
"""The value of a field one side does not show at all."""

Value = int | str | bool | None
Flat = dict[str, Value]


def _code(enum: type[IntEnum], value: Any) -> int:
    """A registry code from the JSON form (member name, or a raw int)."""
    return enum[value].value if isinstance(value, str) else int(value)


def _hexlen(value: str) -> int:
    return len(value) // 2


OursRule = Callable[[dict[str, Any]], Value]
OURS: dict[str, dict[str, OursRule]] = {
    "KEMAC": {
        "encr_alg": lambda p: _code(EncrAlg, p["encr_alg"]),
        "encr_data_len": lambda p: _hexlen(p["encr_data"]),
        "encr_data": lambda p: p["encr_data"],
        "mac_alg": lambda p: _code(MacAlg, p["mac_alg"]),
        "mac": lambda p: p["mac"],
    },
    "PKE": {
        "cache": lambda p: _code(PkeCache, p["cache"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
    "DH": {
        "group": lambda p: _code(DhGroup, p["group"]),
        "value": lambda p: p["value"],
        "kv_type": lambda p: _code(KvType, p["kv"]["kv_type"]),
    },
    "SIGN": {
        "s_type": lambda p: _code(SignType, p["s_type"]),
        "signature_len": lambda p: _hexlen(p["signature"]),
        "signature": lambda p: p["signature"],
    },
    "T": {
        "ts_type": lambda p: _code(TsType, p["ts_type"]),
        "value": lambda p: int(p["value"]),
    },
    "ID": {
        "id_type": lambda p: _code(IdType, p["id_type"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
    "CERT": {
        "cert_type": lambda p: _code(CertType, p["cert_type"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
    "CHASH": {
        "hash_func": lambda p: _code(HashFunc, p["hash_func"]),
        "hash": lambda p: p["hash"],
    },
    "V": {
        "auth_alg": lambda p: _code(MacAlg, p["auth_alg"]),
        "ver_data": lambda p: p["ver_data"],
    },
    "SP": {
        "policy_no": lambda p: int(p["policy_no"]),
        "prot_type": lambda p: _code(ProtType, p["prot_type"]),
        "params_len": lambda p: sum(2 + _hexlen(q["value"]) for q in p["params"]),
        "params.count": lambda p: len(p["params"]),
    },
    "RAND": {
        "rand_len": lambda p: _hexlen(p["rand"]),
        "rand": lambda p: p["rand"],
    },
    "ERR": {"error_no": lambda p: _code(ErrorNo, p["error_no"])},
    "GENERAL_EXT": {
        "ext_type": lambda p: _code(GeneralExtType, p["ext_type"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
    "IDR": {
        "id_role": lambda p: _code(IdRole, p["id_role"]),
        "id_type": lambda p: _code(IdType, p["id_type"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
    "SAKKE": {
        "sakke_params": lambda p: _code(SakkeParamSet, p["sakke_params"]),
        "id_scheme": lambda p: _code(SakkeIdScheme, p["id_scheme"]),
        "data_len": lambda p: _hexlen(p["data"]),
        "data": lambda p: p["data"],
    },
}


def _ours_hdr(hdr: dict[str, Any]) -> Iterator[tuple[str, Value]]:
    yield "hdr.version", int(hdr["version"])
    yield "hdr.data_type", _code(DataType, hdr["data_type"])
    yield "hdr.v", bool(hdr["v"])
    yield "hdr.prf_func", _code(PrfFunc, hdr["prf_func"])
    yield "hdr.csb_id", int(hdr["csb_id"])
    yield "hdr.cs_count", int(hdr["cs_count"])
    yield "hdr.cs_id_map_type", _code(CsIdMapType, hdr["cs_id_map_type"])
    yield "hdr.cs_map.count", len(hdr["cs_map"])
    for i, entry in enumerate(hdr["cs_map"]):
        for key in ("policy_no", "ssrc", "roc"):
            yield f"hdr.cs_map[{i}].{key}", int(entry[key])


def _ours_key_data(encr_data: str) -> Iterator[tuple[str, Value]]:
    try:
        items = [key_data_to_dict(kd) for kd in decode_key_data(bytes.fromhex(encr_data))]
    except DecodeError as exc:
        yield "key_data", f"undecodable: {exc}"
        return
    yield "key_data.count", len(items)
    for j, kd in enumerate(items):
        kv = kd["kv"]
        yield f"key_data[{j}].key_type", _code(KeyType, kd["key_type"])
        yield f"key_data[{j}].kv_type", _code(KvType, kv["kv_type"])
        yield f"key_data[{j}].key", kd["key"]
        yield f"key_data[{j}].salt", kd["salt"]
        for name in ("spi", "valid_from", "valid_to"):
            yield f"key_data[{j}].{name}", kv.get(name)


def ours_fields(ours: dict[str, Any], key_data: Sequence[int] = ()) -> Flat:
    """Our decoded message (JSON form) as named fields.

    `key_data` lists the payload indexes of KEMACs whose Encr data is to be
    read as Key data sub-payloads (where tshark dissected them).
    """
    flat: Flat = dict(_ours_hdr(ours["hdr"]))
    payloads = ours["payloads"]
    offsets = payload_offsets(message_from_dict(ours))
    types = [p["type"] for p in payloads]
    flat["hdr.next_payload"] = PayloadType[types[0]].value if types else 0
    flat["payloads.count"] = len(payloads)
    for i, p in enumerate(payloads):
        at = f"payloads[{i}]"
        flat[f"{at}.type"] = p["type"]
        flat[f"{at}.offset"] = offsets[i]
        if p["type"] != "SIGN":  # SIGN has no Next payload (RFC 3830 6.5)
            following = types[i + 1] if i + 1 < len(types) else "LAST"
            flat[f"{at}.next_payload"] = PayloadType[following].value
        for name, rule in OURS[p["type"]].items():
            flat[f"{at}.{name}"] = rule(p)
        for j, q in enumerate(p.get("params", ())):
            flat[f"{at}.params[{j}].type"] = int(q["type"])
            flat[f"{at}.params[{j}].value"] = q["value"]
        if i in key_data:
            flat.update((f"{at}.{k}", v) for k, v in _ours_key_data(p["encr_data"]))
    flat["message.unparsed_bytes"] = 0
    return flat
