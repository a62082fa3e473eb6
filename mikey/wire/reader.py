"""A bounded byte reader for strict decoding (RFC 3830 section 6: network byte order).

Every read is checked against the end of the data; a read that would run past it
raises DecodeError naming the absolute byte offset, the payload being read and
the RFC section, never IndexError or struct.error. A sub-reader (`sub`) bounds a
nested region (e.g. SP policy params, Key ID information) while keeping absolute
offsets in its errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import NoReturn, TypeVar

from mikey.wire.errors import DecodeError
from mikey.wire.registry import PayloadType

E = TypeVar("E", bound=IntEnum)


class Reader:
    """Reads `data` front to back; `offset` is the absolute offset of the cursor."""

    def __init__(self, data: bytes, payload: str, section: str, *, base: int = 0) -> None:
        self._data = data
        self._pos = 0
        self._base = base
        self.payload = payload
        self.section = section

    @property
    def offset(self) -> int:
        """Absolute offset of the next byte to read (relative to the outermost input)."""
        return self._base + self._pos

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos

    @property
    def at_end(self) -> bool:
        return self._pos >= len(self._data)

    def fail(
        self,
        reason: str,
        *,
        at: int | None = None,
        field: str | None = None,
        value: int | None = None,
    ) -> NoReturn:
        """Raise DecodeError at absolute offset `at` (default: the cursor)."""
        raise DecodeError(
            reason,
            offset=self.offset if at is None else at,
            payload=self.payload,
            section=self.section,
            field=field,
            value=value,
        )

    @contextmanager
    def scope(self, payload: str, section: str) -> Iterator[None]:
        """Attribute errors raised inside the block to `payload` / `section`."""
        saved = (self.payload, self.section)
        self.payload, self.section = payload, section
        try:
            yield
        finally:
            self.payload, self.section = saved

    def take(self, n: int, field: str, *, at: int | None = None) -> bytes:
        """The next `n` bytes of `field`; `at` is where its length came from, if elsewhere."""
        if n > self.remaining:
            self.fail(
                f"{field} needs {n} bytes but only {self.remaining} remain",
                at=at,
                field=field,
                value=n,
            )
        chunk = self._data[self._pos : self._pos + n]
        self._pos += n
        return chunk

    def uint(self, nbytes: int, field: str) -> int:
        """An unsigned big-endian integer of `nbytes` bytes."""
        return int.from_bytes(self.take(nbytes, field), "big")

    def u8(self, field: str) -> int:
        return self.uint(1, field)

    def u16(self, field: str) -> int:
        return self.uint(2, field)

    def u32(self, field: str) -> int:
        return self.uint(4, field)

    def counted(self, n: int, length_field: str, at: int) -> bytes:
        """`n` bytes whose count came from `length_field` at offset `at` (a lying length fails)."""
        if n > self.remaining:
            self.fail(
                f"{length_field} {n} runs past the end ({self.remaining} bytes remain)",
                at=at,
                field=length_field,
                value=n,
            )
        return self.take(n, length_field)

    def prefixed(self, nbytes: int, length_field: str) -> bytes:
        """A `length_field` of `nbytes` bytes followed by that many bytes."""
        at = self.offset
        return self.counted(self.uint(nbytes, length_field), length_field, at)

    def code(self, cls: type[E], value: int, field: str, at: int) -> E:
        """`value` as a member of registry `cls`, or DecodeError(field=field, value=value)."""
        member = cls._value2member_map_.get(value)
        if member is None:
            self.fail(f"unknown {field} {value}", at=at, field=field, value=value)
        assert isinstance(member, cls)
        return member

    def code_and_length(
        self, cls: type[E], code_bits: int, code_field: str, len_field: str
    ) -> tuple[E, bytes]:
        """The 16-bit code-and-length word of SIGN (6.5) and PKE (6.3), and the data it counts."""
        at = self.offset
        word = self.u16(len_field)
        length_bits = 16 - code_bits
        code = self.code(cls, word >> length_bits, code_field, at)
        return code, self.counted(word & ((1 << length_bits) - 1), len_field, at)

    def read_code(self, cls: type[E], field: str) -> E:
        """An 8-bit registry code."""
        at = self.offset
        return self.code(cls, self.u8(field), field, at)

    def next_payload(self, allowed: frozenset[PayloadType]) -> PayloadType:
        """A Next payload field (RFC 3830 6.1 Table 6.1.b) restricted to `allowed`."""
        at = self.offset
        kind = self.read_code(PayloadType, "next payload")
        if kind not in allowed:
            self.fail(
                f"next payload {kind.name} ({kind.value}) not allowed here",
                at=at,
                field="next payload",
                value=int(kind),
            )
        return kind

    def sub(self, n: int, length_field: str, at: int) -> Reader:
        """A reader over the next `n` bytes (a nested region), advancing past them."""
        start = self.offset
        return Reader(self.counted(n, length_field, at), self.payload, self.section, base=start)
