"""General Extension payload (RFC 3830 6.15) and RFC 4563's Key ID information.

For Type 3 (Key ID, RFC 4563 section 4) the Data field is a run of Key ID Type
sub-payloads (Key ID Type 8 bits, Key ID Length 8 bits, Key ID) that must fill
it exactly; `decode_message` checks that, `GeneralExtension.data` keeps the raw
bytes, and `encode_key_ids` / `decode_key_ids` convert. Key ID Type values
outside Table 2 are accepted: applications may define new ones (RFC 4563 4).
"""

from __future__ import annotations

from collections.abc import Iterable

from mikey.wire.payloads import GeneralExtension, KeyIdEntry
from mikey.wire.reader import Reader
from mikey.wire.registry import GeneralExtType, PayloadType
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import prefixed, uint

NAME = "General Ext"
SECTION = "RFC 3830 6.15"
KEY_ID_NAME = "Key ID"
KEY_ID_SECTION = "RFC 4563 4"


def encode_key_ids(entries: Iterable[KeyIdEntry]) -> bytes:
    """Key ID information: the Data of a Key ID General Extension (RFC 4563 4)."""
    return b"".join(
        uint(e.key_id_type, 1, "Key ID Type", KEY_ID_NAME)
        + prefixed(e.key_id, 1, "Key ID", KEY_ID_NAME)
        for e in entries
    )


def _read_key_ids(r: Reader) -> tuple[KeyIdEntry, ...]:
    entries: list[KeyIdEntry] = []
    with r.scope(KEY_ID_NAME, KEY_ID_SECTION):
        while not r.at_end:
            key_id_type = r.u8("Key ID Type")
            entries.append(KeyIdEntry(key_id_type, r.prefixed(1, "Key ID Length")))
    return tuple(entries)


def decode_key_ids(data: bytes) -> tuple[KeyIdEntry, ...]:
    """The Key ID Type sub-payloads of Key ID information; strict (DecodeError only)."""
    return _read_key_ids(Reader(bytes(data), KEY_ID_NAME, KEY_ID_SECTION))


def encode_ext(p: GeneralExtension) -> bytes:
    return uint(p.ext_type, 1, "Type", NAME) + prefixed(p.data, 2, "Data", NAME)


def decode_ext(r: Reader) -> GeneralExtension:
    ext_type = r.read_code(GeneralExtType, "Type")
    at = r.offset
    length = r.u16("Length")
    start = r.offset
    data = r.counted(length, "Length", at)
    if ext_type == GeneralExtType.KEY_ID:
        _read_key_ids(Reader(data, KEY_ID_NAME, KEY_ID_SECTION, base=start))
    return GeneralExtension(ext_type, data)


EXT_SPEC = PayloadSpec(
    PayloadType.GENERAL_EXT, GeneralExtension, NAME, SECTION, encode_ext, decode_ext
)
