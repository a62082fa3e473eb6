"""tshark's view of a message as named fields (the same names and forms as `ourview`).

Numbers come from tshark's displayed values; bytes from the exact bytes each
field covers (`-x` positions), so string fields (ID, SDP-IDs) and time stamps
compare byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from conformance.oracle.ourview import ABSENT, Flat, Value
from conformance.oracle.tshark import Field, TsharkFrame

TSHARK_PAYLOAD = {  # tshark's item for each payload of Table 6.1.b ("" = unknown type)
    "mikey.kemac": "KEMAC",
    "mikey.pke": "PKE",
    "mikey.dh": "DH",
    "mikey.sign": "SIGN",
    "mikey.t": "T",
    "mikey.id": "ID",
    "mikey.cert": "CERT",
    "mikey.chash": "CHASH",
    "mikey.v": "V",
    "mikey.sp": "SP",
    "mikey.rand": "RAND",
    "mikey.err": "ERR",
    "mikey.ext": "GENERAL_EXT",
    "mikey.idr": "IDR",
    "mikey.sakke": "SAKKE",
}


def _num(item: Field, name: str) -> Value:
    found = item.first(name)
    return ABSENT if found is None else found.number


def _raw(item: Field, name: str) -> Value:
    found = item.first(name)
    return ABSENT if found is None else found.data.hex()


def _ntp(item: Field) -> Value:
    found = item.first("mikey.t.ntp")
    return ABSENT if found is None else int.from_bytes(found.data, "big")


def _ext_data(item: Field) -> Value:
    """General Extension data: SDP-IDs (type 1) are shown as a string field, the rest as bytes."""
    found = item.first("mikey.ext.data") or item.first("mikey.ext.value")
    return ABSENT if found is None else found.data.hex()


def _encr_data(item: Field) -> Value:
    found = item.first("mikey.kemac.key_data") or item.first("mikey.key")
    return ABSENT if found is None else found.data.hex()


TheirsRule = Callable[[Field], Value]
THEIRS: dict[str, dict[str, TheirsRule]] = {
    "KEMAC": {
        "encr_alg": lambda f: _num(f, "mikey.kemac.encr_alg"),
        "encr_data_len": lambda f: _num(f, "mikey.kemac.key_data_len"),
        "encr_data": _encr_data,
        "mac_alg": lambda f: _num(f, "mikey.kemac.mac_alg"),
        "mac": lambda f: _raw(f, "mikey.kemac.mac"),
    },
    "PKE": {
        "cache": lambda f: _num(f, "mikey.pke.c"),
        "data_len": lambda f: _num(f, "mikey.pke.len"),
        "data": lambda f: _raw(f, "mikey.pke.data"),
    },
    "DH": {
        "group": lambda f: _num(f, "mikey.dh.group"),
        "value": lambda f: _raw(f, "mikey.dh.value"),
        "kv_type": lambda f: _num(f, "mikey.dh.kv"),
    },
    "SIGN": {
        "s_type": lambda f: _num(f, "mikey.sign.type"),
        "signature_len": lambda f: _num(f, "mikey.sign.len"),
        "signature": lambda f: _raw(f, "mikey.sign.data"),
    },
    "T": {"ts_type": lambda f: _num(f, "mikey.t.ts_type"), "value": _ntp},
    "ID": {
        "id_type": lambda f: _num(f, "mikey.id.type"),
        "data_len": lambda f: _num(f, "mikey.id.len"),
        "data": lambda f: _raw(f, "mikey.id.data"),
    },
    "CERT": {
        "cert_type": lambda f: _num(f, "mikey.cert.type"),
        "data_len": lambda f: _num(f, "mikey.cert.len"),
        "data": lambda f: _raw(f, "mikey.cert.data"),
    },
    "CHASH": {"hash_func": lambda f: ABSENT, "hash": lambda f: ABSENT},
    "V": {
        "auth_alg": lambda f: _num(f, "mikey.v.auth_alg"),
        "ver_data": lambda f: _raw(f, "mikey.v.ver_data"),
    },
    "SP": {
        "policy_no": lambda f: _num(f, "mikey.sp.no"),
        "prot_type": lambda f: _num(f, "mikey.sp.proto_type"),
        "params_len": lambda f: _num(f, "mikey.sp.param_len"),
        "params.count": lambda f: len(_sp_params(f)),
    },
    "RAND": {
        "rand_len": lambda f: _num(f, "mikey.rand.len"),
        "rand": lambda f: _raw(f, "mikey.rand.data"),
    },
    "ERR": {"error_no": lambda f: _num(f, "mikey.err.no")},
    "GENERAL_EXT": {
        "ext_type": lambda f: _num(f, "mikey.ext.type"),
        "data_len": lambda f: _num(f, "mikey.ext.len"),
        "data": lambda f: _ext_data(f),
    },
    "IDR": {
        "id_role": lambda f: _num(f, "mikey.id.role"),
        "id_type": lambda f: _num(f, "mikey.id.type"),
        "data_len": lambda f: _num(f, "mikey.id.len"),
        "data": lambda f: _raw(f, "mikey.id.data"),
    },
    "SAKKE": {
        "sakke_params": lambda f: _num(f, "mikey.sakke.params"),
        "id_scheme": lambda f: _num(f, "mikey.sakke.idscheme"),
        "data_len": lambda f: _num(f, "mikey.sakke.len"),
        "data": lambda f: _raw(f, "mikey.sakke.data"),
    },
}


def _sp_params(item: Field) -> list[Field]:
    """The SP policy parameters: the direct children that hold a param type."""
    return [c for c in item.children if c.first("mikey.sp.param.type") is not None]


def _theirs_hdr(hdr: Field) -> Iterator[tuple[str, Value]]:
    yield "hdr.version", _num(hdr, "mikey.version")
    yield "hdr.data_type", _num(hdr, "mikey.type")
    yield "hdr.next_payload", _num(hdr, "mikey.next_payload")
    v = hdr.first("mikey.v.set")
    yield "hdr.v", ABSENT if v is None else bool(v.number)
    yield "hdr.prf_func", _num(hdr, "mikey.prf_func")
    yield "hdr.csb_id", _num(hdr, "mikey.csb_id")
    yield "hdr.cs_count", _num(hdr, "mikey.cs_count")
    yield "hdr.cs_id_map_type", _num(hdr, "mikey.cs_id_map_type")
    entries = hdr.all("mikey.srtp_id")
    yield "hdr.cs_map.count", len(entries)
    for i, entry in enumerate(entries):
        yield f"hdr.cs_map[{i}].policy_no", _num(entry, "mikey.srtp_id.policy_no")
        yield f"hdr.cs_map[{i}].ssrc", _num(entry, "mikey.srtp_id.ssrc")
        yield f"hdr.cs_map[{i}].roc", _num(entry, "mikey.srtp_id.roc")


def _theirs_key_data(kemac: Field) -> Iterator[tuple[str, Value]]:
    subs = kemac.all("mikey.key")
    yield "key_data.count", len(subs)
    for j, kd in enumerate(subs):
        yield f"key_data[{j}].key_type", _num(kd, "mikey.key.type")
        yield f"key_data[{j}].kv_type", _num(kd, "mikey.key.kv")
        yield f"key_data[{j}].key", _raw(kd, "mikey.key.data")
        for name, field in (
            ("salt", "mikey.key.salt"),
            ("spi", "mikey.key.kv.spi"),
            ("valid_from", "mikey.key.kv.from"),
            ("valid_to", "mikey.key.kv.to"),
        ):
            yield f"key_data[{j}].{name}", _optional(kd, field)


def _optional(item: Field, name: str) -> Value:
    """An optional length-prefixed value: tshark shows only its length when it is empty."""
    value = item.first(name)
    if value is not None:
        return value.data.hex()
    return "" if item.first(f"{name}.len") is not None else None


def theirs_fields(frame: TsharkFrame) -> Flat:
    """tshark's view of one message as named fields (see `ours_fields`)."""
    flat: Flat = {}
    if not frame.payloads or frame.payloads[0].name != "mikey.hdr":
        flat["hdr"] = ABSENT
        return flat
    flat.update(_theirs_hdr(frame.payloads[0]))
    payloads = frame.payloads[1:]
    flat["payloads.count"] = len(payloads)
    for i, item in enumerate(payloads):
        at = f"payloads[{i}]"
        kind = TSHARK_PAYLOAD.get(item.name, f"unknown {item.name!r}")
        flat[f"{at}.type"] = kind
        flat[f"{at}.offset"] = ABSENT if item.offset is None else item.offset
        if kind != "SIGN":
            flat[f"{at}.next_payload"] = _num(item, "mikey.next_payload")
        for name, rule in THEIRS.get(kind, {}).items():
            flat[f"{at}.{name}"] = rule(item)
        for j, param in enumerate(_sp_params(item) if kind == "SP" else ()):
            flat[f"{at}.params[{j}].type"] = _num(param, "mikey.sp.param.type")
            flat[f"{at}.params[{j}].value"] = _raw(param, "mikey.sp.patam.value")
        if item.first("mikey.key") is not None:
            flat.update((f"{at}.{k}", v) for k, v in _theirs_key_data(item))
    flat["message.unparsed_bytes"] = frame.unparsed
    return flat
