"""A message in the codec's JSON form, built with GStreamer's API and written by GStreamer.

gst_mikey_message_new / set_info / add_cs_srtp / add_t / add_rand / add_pke /
gst_mikey_payload_new + *_set / add_payload, then gst_mikey_message_to_bytes.
What the API has no parameter for cannot be given to GStreamer; such a message
raises Inexpressible naming what is missing, and nothing is made up:

- ID, CERT, CHASH, V, DH, SIGN (RFC 3830 6.4-6.9): gstmikey.h has no setter;
  gst_mikey_payload_new returns an empty payload that payloads_to_bytes skips.
  ERR (6.12) and General Extension (6.15): gst_mikey_payload_new returns NULL.
- KEMAC (6.2): GStreamer holds Key data sub-payloads and writes them as Encr
  data unencrypted ("FIXME, encrypt data here"), so only Encr alg NULL with Key
  data as Encr data can be expressed. It takes no MAC value: the MAC field is
  whatever gst_mikey_message_to_bytes writes ("FIXME, do mac here").
- HDR (6.1): #CS is the number of SRTP map entries (no Empty map count, RFC 4563).
"""

from __future__ import annotations

from typing import Any

from mikey.wire import (
    CsIdMapType,
    DecodeError,
    EncrAlg,
    Kemac,
    Message,
    PayloadType,
    Pke,
    Rand,
    SecurityPolicy,
    Timestamp,
    message_from_dict,
)
from mikey.wire.keydata import decode_key_data
from mikey.wire.payloads import KeyData, KvInterval, KvSpi
from suts.gstreamer.binding import Gst, MessagePtr
from suts.gstreamer.read import TS_LENGTH


class Inexpressible(ValueError):
    """The message has something GStreamer's API cannot be given."""


def to_bytes(gst: Gst, structure: dict[str, Any]) -> bytes:
    """GStreamer's encoding of a message given in the JSON form."""
    try:
        message = message_from_dict(structure)
    except ValueError as exc:
        raise Inexpressible(f"not a message in the JSON form: {exc}") from None
    return write(gst, message)


def write(gst: Gst, message: Message) -> bytes:
    """GStreamer's encoding of `message`, built with its API (the message is freed)."""
    msg = gst.sdp.gst_mikey_message_new()
    try:
        fill(gst, msg, message)
        return gst.take_bytes(gst.sdp.gst_mikey_message_to_bytes(msg, None, None))
    finally:
        gst.unref(msg)


def fill(gst: Gst, msg: MessagePtr, message: Message) -> None:
    sdp, hdr = gst.sdp, message.hdr
    if hdr.cs_id_map_type != CsIdMapType.SRTP_ID and hdr.n_cs:
        raise Inexpressible(
            f"#CS {hdr.n_cs} with CS ID map type {hdr.cs_id_map_type!r}: GStreamer's #CS is the "
            "number of SRTP-ID map entries (gst_mikey_message_add_cs_srtp)"
        )
    check(sdp.gst_mikey_message_set_info(
        msg, hdr.version, hdr.data_type, hdr.v, hdr.prf_func, hdr.csb_id, hdr.cs_id_map_type
    ), "gst_mikey_message_set_info")  # fmt: skip
    for entry in hdr.cs_map:
        check(
            sdp.gst_mikey_message_add_cs_srtp(msg, entry.policy_no, entry.ssrc, entry.roc),
            "gst_mikey_message_add_cs_srtp",
        )
    for payload in message.payloads:
        if isinstance(payload, Timestamp):
            length = TS_LENGTH.get(payload.ts_type)
            if length is None:
                raise Inexpressible(f"TS type {payload.ts_type!r}: gst_mikey_payload_t_set")
            value = payload.value.to_bytes(length)
            check(sdp.gst_mikey_message_add_t(msg, payload.ts_type, value), "add_t")
        elif isinstance(payload, Rand):
            if not payload.rand:
                raise Inexpressible("an empty RAND: gst_mikey_message_add_rand refuses len 0")
            rand = payload.rand
            check(sdp.gst_mikey_message_add_rand(msg, len(rand), rand), "add_rand")
        elif isinstance(payload, Pke):
            pke = payload
            check(sdp.gst_mikey_message_add_pke(msg, pke.cache, len(pke.data), pke.data), "add_pke")
        elif isinstance(payload, SecurityPolicy):
            add_sp(gst, msg, payload)
        elif isinstance(payload, Kemac):
            add_kemac(gst, msg, payload)
        else:
            name = type(payload).__name__
            raise Inexpressible(
                f"a {name} payload: gstmikey.h has no way to set its fields "
                "(gstmikey.c payloads_to_bytes writes nothing for it)"
            )


def check(ok: int, call: str) -> None:
    if not ok:
        raise Inexpressible(f"GStreamer's {call} refused the value")


def add_sp(gst: Gst, msg: MessagePtr, sp: SecurityPolicy) -> None:
    sdp = gst.sdp
    payload = sdp.gst_mikey_payload_new(PayloadType.SP)
    sdp.gst_mikey_payload_sp_set(payload, sp.policy_no, sp.prot_type)
    for param in sp.params:
        sdp.gst_mikey_payload_sp_add_param(payload, param.type, len(param.value), param.value)
    check(sdp.gst_mikey_message_add_payload(msg, payload), "add_payload")


def add_kemac(gst: Gst, msg: MessagePtr, kemac: Kemac) -> None:
    """KEMAC from its Encr alg, Mac alg and Key data; GStreamer writes the MAC field itself."""
    if kemac.encr_alg != EncrAlg.NULL:
        raise Inexpressible(
            f"KEMAC with Encr alg {kemac.encr_alg!r}: GStreamer takes no Encr data, it writes "
            "its Key data sub-payloads unencrypted (gstmikey.c: FIXME, encrypt data here)"
        )
    try:
        items = decode_key_data(kemac.encr_data) if kemac.encr_data else ()
    except DecodeError as exc:
        raise Inexpressible(f"KEMAC Encr data that is not Key data ({exc})") from None
    sdp = gst.sdp
    payload = sdp.gst_mikey_payload_new(PayloadType.KEMAC)
    sdp.gst_mikey_payload_kemac_set(payload, kemac.encr_alg, kemac.mac_alg)
    check(sdp.gst_mikey_message_add_payload(msg, payload), "add_payload")
    for kd in items:
        check(sdp.gst_mikey_payload_kemac_add_sub(payload, key_data(gst, kd)), "kemac_add_sub")


def key_data(gst: Gst, kd: KeyData) -> Any:
    """A GST_MIKEY_PT_KEY_DATA payload holding `kd` (owned by the caller)."""
    if kd.key_type not in range(4):
        raise Inexpressible(
            f"Key data Type {kd.key_type!r}: GStreamer keeps only TGK/TEK and a salt"
        )
    sdp = gst.sdp
    payload = sdp.gst_mikey_payload_new(PayloadType.KEY_DATA)
    try:
        # gstmikey.c stores the Type without its salt bit and sets it when a salt is given.
        ok = sdp.gst_mikey_payload_key_data_set_key(payload, kd.key_type & 2, len(kd.key), kd.key)
        check(ok, "key_data_set_key (a Key data with an empty key?)")
        if kd.salt is not None:
            if not kd.salt:
                raise Inexpressible("an empty salt: key_data_set_salt takes no salt of length 0")
            sdp.gst_mikey_payload_key_data_set_salt(payload, len(kd.salt), kd.salt)
        if isinstance(kd.kv, KvSpi):
            spi = kd.kv.spi
            check(sdp.gst_mikey_payload_key_data_set_spi(payload, len(spi), spi or None), "spi")
        elif isinstance(kd.kv, KvInterval):
            vf, vt = kd.kv.valid_from, kd.kv.valid_to
            check(sdp.gst_mikey_payload_key_data_set_interval(
                payload, len(vf), vf or None, len(vt), vt or None
            ), "key_data_set_interval")  # fmt: skip
    except Inexpressible:
        gst.unref(payload)
        raise
    return payload
