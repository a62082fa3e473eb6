"""Built-in SUTs whose codec declares no ERR payload (RFC 3830 6.12), for the capability tests.

`--sut tests.conformance_codec.partial_suts:refuses_err`: refuses a message with
ERR and cannot write one, as it declares (a conformant partial codec);
`...:misbehaves_beside_its_gap`: declares the same gap, then misreads ERR,
accepts any message its strict decoder rejects, and writes T with a wrong TS
type (RFC 3830 6.6): none of that may hide behind the gap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from mikey.wire import DecodeError, PayloadType, Timestamp, decode_message, payload_offsets
from mikey.wire.payloads import Message
from suts.base import EVERY_PAYLOAD, Capabilities, DecodeResult, Profile, Sut, SutFailure
from suts.builtin import BuiltinSut
from tests.mutants.codec_mutants import WrongEncoderSut

WITHOUT_ERR = EVERY_PAYLOAD - {PayloadType.ERR}


def without_err(caps: Capabilities) -> Capabilities:
    return replace(
        caps,
        encoder=replace(caps.encoder, payloads=WITHOUT_ERR),
        decoder=replace(caps.decoder, payloads=WITHOUT_ERR),
    )


def has_err(structure: dict[str, Any]) -> bool:
    return any(p.get("type") == "ERR" for p in structure["payloads"])


@dataclass
class _RefusesErr(BuiltinSut):
    def capabilities(self) -> Capabilities:
        return without_err(super().capabilities())

    def decode(self, data: bytes) -> DecodeResult:
        result = super().decode(data)
        if result.structure is not None and has_err(result.structure):
            return DecodeResult(False, None, "ERR is not implemented (RFC 3830 5.3: aborted)")
        return result

    def encode(self, structure: dict[str, Any]) -> bytes:
        if has_err(structure):
            raise SutFailure("this encoder cannot write ERR")
        return super().encode(structure)


def _wrong_ts_type(data: bytes) -> bytes:
    """The T payload's TS type (after its Next payload byte) one higher."""
    msg: Message = decode_message(data)
    pairs = zip(payload_offsets(msg), msg.payloads, strict=True)
    starts = [at for at, payload in pairs if isinstance(payload, Timestamp)]
    if not starts:
        return data
    at = starts[0] + 1
    return data[:at] + bytes([data[at] + 1]) + data[at + 1 :]


@dataclass
class _MisbehavesBesideItsGap(WrongEncoderSut):
    def capabilities(self) -> Capabilities:
        return without_err(super().capabilities())

    def decode(self, data: bytes) -> DecodeResult:
        try:
            decode_message(data)
        except DecodeError as exc:
            return DecodeResult(True, None, f"skipped what it does not read: {exc}")
        result = super().decode(data)
        if result.structure is not None:
            result.structure["payloads"] = [
                p for p in result.structure["payloads"] if p.get("type") != "ERR"
            ]
        return result


def refuses_err(profile: Profile) -> Sut:
    return _RefusesErr(profile=profile)


def misbehaves_beside_its_gap(profile: Profile) -> Sut:
    return _MisbehavesBesideItsGap(profile=profile, corrupt=_wrong_ts_type)
