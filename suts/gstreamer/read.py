"""What GStreamer read: a parsed GstMIKEYMessage in the codec's JSON form (mikey.wire.jsonform).

Every value comes from GStreamer's own accessors and structs, never from our
decoder, so the suite's decoder checks compare what GStreamer really read.
Where GStreamer keeps less than RFC 3830 section 6 carries, the JSON form
says so instead of filling the gap:

- KEMAC (6.2): GstMIKEYPayloadKEMAC keeps the Encr alg, the Mac alg and the
  Key data sub-payloads it parsed out of Encr data (without decrypting:
  "FIXME, decrypt data"), but neither the Encr data bytes nor the MAC
  ("FIXME, check MAC"). "encr_data" is therefore the wire form of the Key data
  sub-payloads GStreamer holds (what it would write back), and "mac" is the
  empty string for Mac alg NULL and null otherwise (GStreamer discarded it).
- Key data (6.13): GStreamer keeps the TGK/TEK bit of the Type (key_type & 2)
  and a salt; the Type is rebuilt as that bit plus 1 when a salt is present.
- HDR (6.1): "cs_count" is the number of CS ID map entries GStreamer kept.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from mikey.wire import (
    CsIdMapType,
    DataType,
    EncrAlg,
    KeyData,
    KeyType,
    MacAlg,
    PayloadType,
    PkeCache,
    PrfFunc,
    ProtType,
    TsType,
)
from mikey.wire.errors import EncodeError
from mikey.wire.keydata import encode_key_data
from mikey.wire.payloads import KeyValidity, KvInterval, KvNull, KvSpi
from mikey.wire.registry import KvType
from suts.gstreamer.binding import (
    Gst,
    GstMIKEYPayloadKEMAC,
    GstMIKEYPayloadKeyData,
    GstMIKEYPayloadPKE,
    GstMIKEYPayloadRAND,
    GstMIKEYPayloadSP,
    GstMIKEYPayloadT,
    MessagePtr,
    PayloadPtr,
    payload_as,
    read,
)

TS_LENGTH = {TsType.NTP_UTC: 8, TsType.NTP: 8, TsType.COUNTER: 4}  # RFC 3830 6.6


def named(enum: type[IntEnum], value: int) -> str | int:
    """A registry code as the JSON form writes it: the member name, or the raw int."""
    member = enum._value2member_map_.get(value)
    return value if member is None else str(member.name)


def message_dict(gst: Gst, msg: MessagePtr) -> dict[str, Any]:
    """The JSON form of a GstMIKEYMessage that GStreamer parsed."""
    m = msg.contents
    sdp = gst.sdp
    n_cs = sdp.gst_mikey_message_get_n_cs(msg)
    cs_map = []
    for i in range(n_cs):
        entry = sdp.gst_mikey_message_get_cs_srtp(msg, i).contents
        cs_map.append({"policy_no": entry.policy, "ssrc": entry.ssrc, "roc": entry.roc})
    hdr = {
        "version": m.version,
        "data_type": named(DataType, m.type),
        "v": bool(m.V),
        "prf_func": named(PrfFunc, m.prf_func),
        "csb_id": m.CSB_id,
        "cs_count": n_cs,
        "cs_id_map_type": named(CsIdMapType, m.map_type),
        "cs_map": cs_map,
    }
    count = sdp.gst_mikey_message_get_n_payloads(msg)
    payloads = [payload_dict(gst, sdp.gst_mikey_message_get_payload(msg, i)) for i in range(count)]
    return {"hdr": hdr, "payloads": payloads}


def payload_dict(gst: Gst, payload: PayloadPtr) -> dict[str, Any]:
    """One top-level payload GStreamer holds, in the JSON form."""
    kind = payload.contents.type
    if kind == PayloadType.T:
        t = payload_as(payload, GstMIKEYPayloadT)
        value = read(t.ts_value, TS_LENGTH.get(t.type, 0))
        return {"type": "T", "ts_type": named(TsType, t.type), "value": int.from_bytes(value)}
    if kind == PayloadType.RAND:
        r = payload_as(payload, GstMIKEYPayloadRAND)
        return {"type": "RAND", "rand": read(r.rand, r.len).hex()}
    if kind == PayloadType.SP:
        return sp_dict(gst, payload)
    if kind == PayloadType.PKE:
        p = payload_as(payload, GstMIKEYPayloadPKE)
        return {
            "type": "PKE",
            "cache": named(PkeCache, p.C),
            "data": read(p.data, p.data_len).hex(),
        }
    if kind == PayloadType.KEMAC:
        return kemac_dict(gst, payload)
    # gstmikey.c's parser builds no other payload type; say so if it ever does.
    return {"type": named(PayloadType, kind)}


def sp_dict(gst: Gst, payload: PayloadPtr) -> dict[str, Any]:
    sp = payload_as(payload, GstMIKEYPayloadSP)
    params = []
    for i in range(gst.sdp.gst_mikey_payload_sp_get_n_params(payload)):
        param = gst.sdp.gst_mikey_payload_sp_get_param(payload, i).contents
        params.append({"type": param.type, "value": read(param.val, param.len).hex()})
    return {
        "type": "SP",
        "policy_no": sp.policy,
        "prot_type": named(ProtType, sp.proto),
        "params": params,
    }


def kemac_dict(gst: Gst, payload: PayloadPtr) -> dict[str, Any]:
    kemac = payload_as(payload, GstMIKEYPayloadKEMAC)
    subs = [
        gst.sdp.gst_mikey_payload_kemac_get_sub(payload, i)
        for i in range(gst.sdp.gst_mikey_payload_kemac_get_n_sub(payload))
    ]
    return {
        "type": "KEMAC",
        "encr_alg": named(EncrAlg, kemac.enc_alg),
        "encr_data": encr_data(subs),
        "mac_alg": named(MacAlg, kemac.mac_alg),
        "mac": "" if kemac.mac_alg == MacAlg.NULL else None,
    }


def encr_data(subs: list[PayloadPtr]) -> str | None:
    """The wire form (hex) of GStreamer's KEMAC sub-payloads; None if not all are Key data."""
    items = []
    for sub in subs:
        if sub.contents.type != PayloadType.KEY_DATA:
            return None
        items.append(key_data(payload_as(sub, GstMIKEYPayloadKeyData)))
    try:
        return encode_key_data(items).hex()
    except EncodeError:
        return None


def key_data(kd: GstMIKEYPayloadKeyData) -> KeyData:
    salt = read(kd.salt_data, kd.salt_len) if kd.salt_len else None
    code = kd.key_type | (1 if salt is not None else 0)
    key_type: Any = KeyType(code) if code in KeyType._value2member_map_ else code
    return KeyData(key_type, read(kd.key_data, kd.key_len), salt, validity(kd))


def validity(kd: GstMIKEYPayloadKeyData) -> KeyValidity:
    first = read(kd.kv_data[0], kd.kv_len[0])
    if kd.kv_type == KvType.SPI:
        return KvSpi(first)
    if kd.kv_type == KvType.INTERVAL:
        return KvInterval(first, read(kd.kv_data[1], kd.kv_len[1]))
    return KvNull()
