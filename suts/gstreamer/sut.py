"""GStreamer's MIKEY implementation (libgstsdp-1.0) as a system under test.

Roles its API allows (gst/sdp/gstmikey.h, GStreamer 1.22):
- decoder: gst_mikey_message_new_from_data (NULL: rejected), read back through
  its accessors (suts.gstreamer.read); encoder: the gst_mikey_message_add_* /
  gst_mikey_payload_*_set API and gst_mikey_message_to_bytes (suts.gstreamer.build).
- PSK initiator, as far as GStreamer goes: the I_MESSAGE is the one
  gst_mikey_message_new_from_caps makes from SRTP caps (what rtspsrc sends in
  its RTSP KeyMgmt header): V=0, T, RAND, SP, and a KEMAC with Encr alg NULL
  and Mac alg NULL carrying the SRTP master key and salt as one TEK. GStreamer
  computes no MAC and encrypts nothing ("FIXME, encrypt data here", "FIXME, do
  mac here"), so NULL is its only Encr alg and Mac alg, and TEK its only key
  type. It has no API that takes a verification message.
- The SRTP parameters are what gst_mikey_message_to_caps derives from the
  I_MESSAGE (srtp-key, srtp-cipher, srtp-auth), i.e. what a GStreamer receiver
  (gst-rtsp-server) hands to srtpdec.
GStreamer has no responder: it verifies nothing and answers nothing.
Its codec, both ways, implements only what CODEC declares.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from mikey.srtp import AES_CM_128_HMAC_SHA1_32, AES_CM_128_HMAC_SHA1_80, SrtpKeys
from mikey.wire import CsIdMapType, EncrAlg, KeyType, MacAlg, PayloadType
from suts.base import (
    Capabilities,
    CodecCapabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Reply,
    Role,
    Sut,
    SutFailure,
    UpdateParams,
)
from suts.gstreamer.process import Worker, WorkerFailure

SRTP_CAPS = (
    "application/x-srtp, srtp-key=(buffer){key}, srtp-cipher=(string)aes-128-icm, "
    "srtp-auth=(string)hmac-sha1-80, srtcp-cipher=(string)aes-128-icm, "
    "srtcp-auth=(string)hmac-sha1-80"
)
"""The caps an SRTP sender gives new_from_caps: srtpenc's defaults (AES-CM-128, HMAC-SHA1-80)."""
MASTER_LENGTHS = {"aes-128-icm": (16, 14)}
"""SRTP master key and salt lengths (bytes) of the ciphers libsrtp's profiles take (RFC 3711)."""
PROFILES = {"hmac-sha1-80": AES_CM_128_HMAC_SHA1_80, "hmac-sha1-32": AES_CM_128_HMAC_SHA1_32}
CAPS_FIELD = re.compile(r"([\w-]+)=\(\w+\)([^,;]+)")
CODEC = CodecCapabilities(
    payloads=frozenset(
        {
            PayloadType.KEMAC,
            PayloadType.PKE,
            PayloadType.T,
            PayloadType.SP,
            PayloadType.RAND,
            PayloadType.KEY_DATA,
        }
    ),
    cs_id_map_types=frozenset({CsIdMapType.SRTP_ID}),
    encrypted_kemac=False,
)
"""What libgstsdp's codec implements, to write (suts.gstreamer.build) and to read
(suts.gstreamer.read). Payloads: gstmikey.h has structs and setters only for these;
gst_mikey_payload_new gives nothing to set for DH, SIGN, ID, CERT, CHASH and V
(payloads_to_bytes writes nothing for them) and NULL for ERR and General Extension,
and payloads_from_bytes does not read any of those (it loops on them: a finding the
decoder tests keep). CS ID map: GstMIKEYMapType has SRTP only, #CS is its number of
SRTP-ID entries (no RFC 4563 Empty map). KEMAC: GStreamer holds Key data
sub-payloads, never Encr data bytes ("FIXME, encrypt data here", "FIXME, decrypt data")."""


def caps_fields(caps: str) -> dict[str, str]:
    """The fields of a serialised caps string: name -> value text."""
    return {name: value.strip() for name, value in CAPS_FIELD.findall(caps)}


@dataclass
class GStreamerSut(Sut):
    """libgstsdp-1.0's MIKEY codec and message maker, driven in a worker process."""

    worker: Worker = field(default_factory=Worker)
    _i_message: bytes | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.worker.start()

    def capabilities(self) -> Capabilities:
        return Capabilities(
            name=f"{self.worker.version or 'GStreamer'} libgstsdp (ctypes)",
            modes=frozenset({"PSK"}),
            roles=frozenset({Role.INITIATOR, Role.DECODER}),
            encr_algs=frozenset({EncrAlg.NULL}),
            mac_algs=frozenset({MacAlg.NULL}),
            key_types=frozenset({KeyType.TEK}),
            exports_keys=True,
            updates=False,
            encoder=CODEC,
            decoder=CODEC,
        )

    def _call(self, op: str, **args: Any) -> tuple[dict[str, Any], str]:
        try:
            return self.worker.call({"op": op, **args})
        except WorkerFailure as exc:
            raise SutFailure(str(exc)) from None

    def decode(self, data: bytes) -> DecodeResult:
        reply, stderr = self._call("decode", data=data.hex())
        structure = reply["structure"]
        if structure is None:
            why = "gst_mikey_message_new_from_data returned NULL"
            return DecodeResult(False, None, f"{why}; stderr: {stderr}" if stderr else why)
        return DecodeResult(True, structure, stderr)

    def encode(self, structure: dict[str, Any]) -> bytes:
        reply, _ = self._call("encode", structure=structure)
        if "inexpressible" in reply:
            raise SutFailure(
                f"GStreamer's API cannot express this message: {reply['inexpressible']}"
            )
        return bytes.fromhex(reply["data"])

    def initiate(self, params: ExchangeParams) -> bytes:
        if params.mode != "PSK":
            raise SutFailure(f"interface misuse: GStreamer implements no mode {params.mode}")
        caps = SRTP_CAPS.format(key=os.urandom(30).hex())
        reply, stderr = self._call("from_caps", caps=caps)
        if reply["data"] is None:
            raise SutFailure(f"gst_mikey_message_new_from_caps returned NULL: {stderr}")
        self._i_message = bytes.fromhex(reply["data"])
        return self._i_message

    def complete(self, response: bytes | None) -> Outcome:
        if self._i_message is None:
            raise SutFailure("interface misuse: complete() before initiate()")
        if response is None:
            return Outcome(accepted=True, detail="no verification message (GStreamer sends V=0)")
        raise SutFailure(
            "GStreamer has no API that takes a verification message (RFC 3830 3.1): "
            "it sends V=0 and verifies no MAC"
        )

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        raise SutFailure("interface misuse: GStreamer plays no responder")

    def update(self, params: UpdateParams | None = None) -> bytes:
        raise SutFailure("interface misuse: GStreamer makes no CSB updates")

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        """What gst_mikey_message_to_caps derives from the last I_MESSAGE (any crypto session:
        GStreamer's caps carry one key for the whole stream)."""
        if role is not Role.INITIATOR or self._i_message is None:
            return None
        reply, stderr = self._call("to_caps", data=self._i_message.hex())
        if reply["caps"] is None:
            raise SutFailure(f"gst_mikey_message_to_caps fails on its own I_MESSAGE: {stderr}")
        found = caps_fields(reply["caps"])
        cipher, auth = found.get("srtp-cipher", ""), found.get("srtp-auth", "")
        if cipher not in MASTER_LENGTHS or auth not in PROFILES:
            raise SutFailure(f"GStreamer derives SRTP {cipher}/{auth}, which libsrtp cannot take")
        key = bytes.fromhex(found.get("srtp-key", ""))
        key_len, _ = MASTER_LENGTHS[cipher]
        return SrtpKeys(key[:key_len], key[key_len:], PROFILES[auth])

    def reset(self) -> None:
        self._i_message = None

    def close(self) -> None:
        self.worker.close()
