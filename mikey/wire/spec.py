"""How one payload kind is encoded and decoded: the unit the message chain works with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mikey.wire.reader import Reader
from mikey.wire.registry import PayloadType


@dataclass(frozen=True)
class PayloadSpec:
    """One payload of RFC 3830 section 6.

    `encode` returns the payload's bytes after its Next payload field (SIGN has
    none, RFC 3830 6.5); `decode` reads the same bytes from a Reader positioned
    just after the Next payload field.
    """

    kind: PayloadType
    cls: type
    name: str  # payload name used in errors, e.g. "KEMAC"
    section: str  # e.g. "RFC 3830 6.2"
    encode: Callable[[Any], bytes]
    decode: Callable[[Reader], Any]
