"""Codec mutants: the built-in SUT with a decoder or encoder wrong in exactly one rule.

Each lax decoder is the reference decoder plus one tolerance: when the strict
decoder rejects the input for that one fault, the mutant repairs exactly that
fault the way a lax implementation would (ignore the extra bytes, take the
field as it is, read what is there) and decodes the rest with the reference
codec; any other fault is still rejected. Each wrong encoder is the reference
encoder plus one corruption of its output. The codec conformance tests
(conformance/rfc3830/test_codec_*.py) must fail each one on the requirement named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mikey.wire import (
    DecodeError,
    Kemac,
    PayloadType,
    decode_message,
    message_to_dict,
    payload_offsets,
)
from suts.base import DecodeResult, Profile, Sut
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant

Fixup = Callable[[dict[str, Any]], None]
Repair = Callable[[bytes, DecodeError], tuple[bytes, Fixup] | None]
"""Given input the reference rejects and its error: repaired input and how to report it,
or None when the fault is not the one tolerated."""

MAX_REPAIRS = 8


def _no_fixup(_: dict[str, Any]) -> None:
    return None


@dataclass
class LaxDecoderSut(BuiltinSut):
    """The reference SUT whose decoder tolerates one fault (`repair`)."""

    repair: Repair | None = None

    def decode(self, data: bytes) -> DecodeResult:
        fixups: list[Fixup] = []
        for _ in range(MAX_REPAIRS):
            try:
                structure = message_to_dict(decode_message(data))
            except DecodeError as err:
                repaired = self.repair(data, err) if self.repair else None
                if repaired is None:
                    return DecodeResult(False, None, str(err))
                data, fixup = repaired
                fixups.append(fixup)
                continue
            for fixup in fixups:
                fixup(structure)
            return DecodeResult(True, structure)
        return DecodeResult(False, None, "too many repairs")


@dataclass
class WrongEncoderSut(BuiltinSut):
    """The reference SUT whose encoder corrupts its output (`corrupt`)."""

    corrupt: Callable[[bytes], bytes] | None = None

    def encode(self, structure: dict[str, Any]) -> bytes:
        data = super().encode(structure)
        return self.corrupt(data) if self.corrupt else data


def _put(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value) :]


def _cut_trailing(data: bytes, err: DecodeError) -> tuple[bytes, Fixup] | None:
    """RFC 3830 6.1 tolerated: bytes after the last payload are ignored."""
    if "follow the last payload" not in err.reason:
        return None
    return data[: err.offset], _no_fixup


def _cut_after_sign(data: bytes, err: DecodeError) -> tuple[bytes, Fixup] | None:
    """RFC 3830 6.5 tolerated: bytes after SIGN are ignored."""
    if "follow SIGN" not in err.reason:
        return None
    return data[: err.offset], _no_fixup


def _unknown_next_is_last(data: bytes, err: DecodeError) -> tuple[bytes, Fixup] | None:
    """RFC 3830 6.1 tolerated: an unassigned Next payload ends the message (rest ignored)."""
    if err.field != "next payload" or err.value in PayloadType._value2member_map_:
        return None
    patched = _put(data, err.offset, bytes([PayloadType.LAST]))
    try:
        decode_message(patched)
    except DecodeError as after:
        cut = _cut_trailing(patched, after)  # the bytes the unknown payload would have been
        return cut if cut is not None else (patched, _no_fixup)
    return patched, _no_fixup


def _take_code(field: str, key: str, stand_in: int, keep: int = 0) -> Repair:
    """Tolerate an unassigned HDR `field`: decode with `stand_in`, report the raw value.

    `keep` masks the bits of the field's byte that belong to another field (the V flag).
    """

    def repair(data: bytes, err: DecodeError) -> tuple[bytes, Fixup] | None:
        if err.field != field or err.payload != "HDR" or err.value is None:
            return None
        raw, byte = err.value, data[err.offset]

        def fixup(structure: dict[str, Any]) -> None:
            structure["hdr"][key] = raw

        return _put(data, err.offset, bytes([byte & keep | stand_in])), fixup

    return repair


def _clamp_signature_len(data: bytes, err: DecodeError) -> tuple[bytes, Fixup] | None:
    """RFC 3830 6.5 tolerated: a Signature len past the end reads the rest as the signature."""
    if err.field != "Signature len" or err.payload != "SIGN":
        return None
    word = int.from_bytes(data[err.offset : err.offset + 2], "big")
    rest = len(data) - err.offset - 2
    return _put(data, err.offset, (word & 0xF000 | rest).to_bytes(2, "big")), _no_fixup


def _encr_data_len_plus_one(data: bytes) -> bytes:
    """Every KEMAC's Encr data len written one too high (RFC 3830 6.2)."""
    msg = decode_message(data)
    for at, p in zip(payload_offsets(msg), msg.payloads, strict=True):
        if isinstance(p, Kemac):
            data = _put(data, at + 2, (len(p.encr_data) + 1).to_bytes(2, "big"))
    return data


def _csb_id_little_endian(data: bytes) -> bytes:
    """The HDR's CSB ID written in little-endian byte order (RFC 3830 6: network order)."""
    return _put(data, 4, data[4:8][::-1])


def _lax(repair: Repair, profile: Profile) -> Sut:
    return LaxDecoderSut(profile=profile, repair=repair)


@mutant("RFC3830-6.1-last-payload-zero", "decoder ignores bytes after the last payload")
def accepts_trailing_bytes(profile: Profile) -> Sut:
    return _lax(_cut_trailing, profile)


@mutant("RFC3830-6.5-sign-last", "decoder ignores bytes after the SIGN payload")
def accepts_payload_after_sign(profile: Profile) -> Sut:
    return _lax(_cut_after_sign, profile)


@mutant("RFC3830-6.1-next-payload", "decoder takes an unassigned Next payload as Last payload")
def stops_at_unknown_next_payload(profile: Profile) -> Sut:
    return _lax(_unknown_next_is_last, profile)


@mutant("RFC3830-6.1-version", "decoder accepts any version, not only 1")
def accepts_any_version(profile: Profile) -> Sut:
    return _lax(_take_code("version", "version", 1), profile)


@mutant("RFC3830-6.1-data-type", "decoder accepts an unassigned data type")
def accepts_unknown_data_type(profile: Profile) -> Sut:
    return _lax(_take_code("data type", "data_type", 0), profile)


@mutant("RFC3830-6.1-prf-func", "decoder accepts an unassigned PRF func")
def accepts_unknown_prf_func(profile: Profile) -> Sut:
    return _lax(_take_code("PRF func", "prf_func", 0, keep=0x80), profile)


@mutant("RFC3830-6.5-signature-len", "decoder reads a too long Signature len up to the end")
def clamps_signature_len(profile: Profile) -> Sut:
    return _lax(_clamp_signature_len, profile)


@mutant("RFC3830-6.2-encr-data-len", "encoder writes Encr data len one too high")
def encodes_encr_data_len_off_by_one(profile: Profile) -> Sut:
    return WrongEncoderSut(profile=profile, corrupt=_encr_data_len_plus_one)


@mutant("RFC3830-6-network-byte-order", "encoder writes the CSB ID little-endian")
def encodes_csb_id_little_endian(profile: Profile) -> Sut:
    return WrongEncoderSut(profile=profile, corrupt=_csb_id_little_endian)


class _RandMinusOne(BuiltinSut):
    """Reads a valid message but reports each RAND one byte short (it counts the
    RAND len byte into the RAND: the classic off-by-one of a length-prefixed field)."""

    def decode(self, data: bytes) -> DecodeResult:
        result = super().decode(data)
        if result.structure is not None:
            for payload in result.structure["payloads"]:
                if payload["type"] == "RAND":
                    payload["rand"] = payload["rand"][2:]
        return result


@mutant("RFC3830-6.11-rand-length", "decoder reports every RAND one byte short")
def rand_off_by_one(profile: Profile) -> Sut:
    return _RandMinusOne(profile=profile)
