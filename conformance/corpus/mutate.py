"""Byte surgery on valid messages: change one field, found through our decoder's reading.

Every position is computed from `decode_message` and `payload_offsets` of the
valid input, never counted by hand, so a malformation keeps pointing at the
field it means when a sample changes. Offsets inside a payload (`rel`) count
from its first byte, the Next payload field (SIGN has none: its first byte is
S type, RFC 3830 6.5); `None` as the payload kind means the Common Header.
"""

from __future__ import annotations

from collections.abc import Callable

from mikey.wire import (
    DH_VALUE_LENGTH,
    PAYLOAD_TYPE,
    DhGroup,
    Kemac,
    PayloadType,
    decode_message,
    payload_offsets,
)

Mutate = Callable[[bytes], bytes]


def payload_start(data: bytes, kind: PayloadType | None) -> int:
    """Offset of the first payload of type `kind` (None: the HDR, offset 0) in `data`."""
    if kind is None:
        return 0
    msg = decode_message(data)
    for at, p in zip(payload_offsets(msg), msg.payloads, strict=True):
        if PAYLOAD_TYPE[type(p)] == kind:
            return at
    raise ValueError(f"no {kind.name} payload in the message")


def first_difference(a: bytes, b: bytes) -> int:
    """The first byte offset where `a` and `b` differ (the shorter length if one is a prefix)."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def with_uint(data: bytes, at: int, width: int, change: Callable[[int], int]) -> bytes:
    """`data` with the `width`-byte big-endian field at `at` replaced by change(old)."""
    old = int.from_bytes(data[at : at + width], "big")
    return data[:at] + change(old).to_bytes(width, "big") + data[at + width :]


def set_bits(
    kind: PayloadType | None, rel: int, value: int, width: int = 1, shift: int = 0, bits: int = 8
) -> Mutate:
    """Set the `bits`-bit field at bit `shift` of the `width`-byte word `rel` into `kind`."""
    mask = ((1 << bits) - 1) << shift

    def mutate(data: bytes) -> bytes:
        at = payload_start(data, kind) + rel
        return with_uint(data, at, width, lambda old: old & ~mask | value << shift)

    return mutate


def add_to(kind: PayloadType | None, rel: int, delta: int, width: int = 1) -> Mutate:
    """Add `delta` to the `width`-byte field `rel` bytes into the first `kind` payload."""

    def mutate(data: bytes) -> bytes:
        at = payload_start(data, kind) + rel
        return with_uint(data, at, width, lambda old: old + delta)

    return mutate


def last_entry_length(kind: PayloadType, first: int, delta: int) -> Mutate:
    """Add `delta` to the Length byte of the last Type/Length/Value entry of a `kind` payload.

    The entries (SP policy params, RFC 3830 6.10; Key ID Type sub-payloads, RFC
    4563 4) start `first` bytes into the payload, after the 16-bit length of them all.
    """

    def mutate(data: bytes) -> bytes:
        at = payload_start(data, kind) + first
        end = at + int.from_bytes(data[at - 2 : at], "big")
        while at + 2 + data[at + 1] < end:
            at += 2 + data[at + 1]
        return with_uint(data, at + 1, 1, lambda old: old + delta)

    return mutate


def kemac_mac_alg(value: int) -> Mutate:
    """Set the MAC alg of the first KEMAC: the byte after Encr data (RFC 3830 6.2)."""

    def mutate(data: bytes) -> bytes:
        kemac = decode_message(data).first(Kemac)
        assert kemac is not None, "no KEMAC payload in the message"
        at = payload_start(data, PayloadType.KEMAC) + 4 + len(kemac.encr_data)
        return with_uint(data, at, 1, lambda _: value)

    return mutate


def dh_kv(value: int) -> Mutate:
    """Set the KV (low 4 bits of the byte after DH-value) of the first DH (RFC 3830 6.4)."""

    def mutate(data: bytes) -> bytes:
        start = payload_start(data, PayloadType.DH)
        at = start + 2 + DH_VALUE_LENGTH[DhGroup(data[start + 1])]
        return with_uint(data, at, 1, lambda old: old & 0xF0 | value)

    return mutate


def last_next_payload(value: int) -> Mutate:
    """Set the Next payload field of the last payload (which must not be SIGN) to `value`."""

    def mutate(data: bytes) -> bytes:
        at = payload_offsets(decode_message(data))[-1]
        return with_uint(data, at, 1, lambda _: value)

    return mutate
