"""Key validity data, RFC 3830 section 6.14 (inside Key data 6.13 and DH 6.4).

The KV type (Table 6.13.b) is a 4-bit field of the enclosing payload; this module
encodes and decodes the KV data that follows it.
"""

from __future__ import annotations

from mikey.wire.errors import EncodeError
from mikey.wire.payloads import KeyValidity, KvInterval, KvNull, KvSpi
from mikey.wire.reader import Reader
from mikey.wire.registry import KvType
from mikey.wire.writer import prefixed

SECTION = "RFC 3830 6.14"


def kv_type(kv: KeyValidity) -> KvType:
    """The KV field value announcing `kv`."""
    if isinstance(kv, KvSpi):
        return KvType.SPI
    if isinstance(kv, KvInterval):
        return KvType.INTERVAL
    if isinstance(kv, KvNull):
        return KvType.NULL
    raise EncodeError(f"{kv!r} is not a key validity (KvNull, KvSpi or KvInterval)")


def encode_kv_data(kv: KeyValidity, payload: str) -> bytes:
    """KV data; empty for KV NULL ("this field is not included", 6.13)."""
    if isinstance(kv, KvSpi):
        return prefixed(kv.spi, 1, "SPI", payload)
    if isinstance(kv, KvInterval):
        return prefixed(kv.valid_from, 1, "Valid From", payload) + prefixed(
            kv.valid_to, 1, "Valid To", payload
        )
    return b""


def decode_kv_data(r: Reader, kind: KvType) -> KeyValidity:
    """The KV data of type `kind` (already checked against Table 6.13.b)."""
    if kind == KvType.NULL:
        return KvNull()
    with r.scope(r.payload, SECTION):
        if kind == KvType.SPI:
            return KvSpi(r.prefixed(1, "SPI Length"))
        valid_from = r.prefixed(1, "VF Length")
        valid_to = r.prefixed(1, "VT Length")
        return KvInterval(valid_from, valid_to)
