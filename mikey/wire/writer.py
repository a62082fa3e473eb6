"""Field packing for encoding: every value is checked against its field width.

A value that does not fit (a negative number, a 256-byte RAND, a 4096-byte
signature...) raises EncodeError naming the payload and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mikey.wire.errors import EncodeError


def check_uint(value: object, bits: int, field: str, payload: str) -> int:
    """`value` as an int that fits `bits` bits, or EncodeError."""
    if not isinstance(value, int) or not 0 <= value < (1 << bits):
        raise EncodeError(f"{payload}: {field} {value!r} does not fit {bits} bits")
    return value


def uint(value: object, nbytes: int, field: str, payload: str) -> bytes:
    """`value` as an unsigned big-endian integer of `nbytes` bytes."""
    return check_uint(value, 8 * nbytes, field, payload).to_bytes(nbytes, "big")


def check_bytes(data: object, field: str, payload: str) -> bytes:
    """`data` if it is bytes, else EncodeError."""
    if not isinstance(data, bytes):
        raise EncodeError(f"{payload}: {field} must be bytes, not {type(data).__name__}")
    return data


def prefixed(data: object, nbytes: int, field: str, payload: str) -> bytes:
    """`data` preceded by its length in `nbytes` bytes."""
    raw = check_bytes(data, field, payload)
    return uint(len(raw), nbytes, f"{field} length", payload) + raw


def exact(data: object, length: int, field: str, payload: str) -> bytes:
    """`data`, which must be exactly `length` bytes (a length implicit from a code)."""
    raw = check_bytes(data, field, payload)
    if len(raw) != length:
        raise EncodeError(f"{payload}: {field} must be {length} bytes, got {len(raw)}")
    return raw


def implicit_length(table: Mapping[Any, int], code: object, field: str, payload: str) -> int:
    """The length that registry `table` gives for `code` (e.g. MAC_LENGTH), or EncodeError."""
    if not isinstance(code, int) or code not in table:
        raise EncodeError(f"{payload}: {field} {code!r} has no known length")
    return table[code]


def code_and_length(
    code: object, code_bits: int, data: object, names: tuple[str, str, str]
) -> bytes:
    """A 16-bit word holding a `code_bits` code and the length of `data`, then `data`:
    the layout of SIGN (S type, Signature len; RFC 3830 6.5) and PKE (C, Data len; 6.3).
    `names` are the code field, the length field and the payload."""
    code_name, len_name, payload = names
    value = check_uint(code, code_bits, code_name, payload)
    body = check_bytes(data, "Data", payload)
    length = check_uint(len(body), 16 - code_bits, len_name, payload)
    return (value << (16 - code_bits) | length).to_bytes(2, "big") + body
