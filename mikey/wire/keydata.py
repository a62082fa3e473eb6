"""Key data sub-payloads, RFC 3830 section 6.13: the plaintext of KEMAC Encr data.

The sub-payloads are chained by their own Next payload field: every one but the
last says Key data (20), the last says Last payload (0). An empty chain is
allowed ("it is allowed to skip the Key data sub-payloads", 6.2). In the
public-key method the chain is preceded by the Initiator's ID payload (6.2);
`encode_key_data_with_id` / `decode_key_data_with_id` handle that form.

`decode_key_data` is applied after decryption and is as strict as
`decode_message`: it returns the sub-payloads or raises DecodeError, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from mikey.wire.errors import EncodeError
from mikey.wire.identity import ID_SPEC
from mikey.wire.kv import decode_kv_data, encode_kv_data, kv_type
from mikey.wire.payloads import Id, KeyData
from mikey.wire.reader import Reader
from mikey.wire.registry import KeyType, KvType, PayloadType
from mikey.wire.writer import check_uint, prefixed

NAME = "Key data"
SECTION = "RFC 3830 6.13"
SALTED = frozenset({KeyType.TGK_SALT, KeyType.TEK_SALT})
_CHAIN_NEXT = frozenset({PayloadType.LAST, PayloadType.KEY_DATA})


def encode_one(kd: KeyData, next_payload: int) -> bytes:
    """One Key data sub-payload with its Next payload field."""
    key_type = check_uint(kd.key_type, 4, "Type", NAME)
    kv = kv_type(kd.kv)
    salted = key_type in SALTED
    if salted != (kd.salt is not None):
        need = "needs" if salted else "must not have"
        raise EncodeError(f"{NAME}: key type {kd.key_type!r} {need} a salt")
    salt = b"" if kd.salt is None else prefixed(kd.salt, 2, "Salt data", NAME)
    return b"".join(
        (
            bytes([next_payload, key_type << 4 | kv]),
            prefixed(kd.key, 2, "Key data", NAME),
            salt,
            encode_kv_data(kd.kv, NAME),
        )
    )


def encode_key_data(items: Sequence[KeyData]) -> bytes:
    """The Key data chain: KEMAC plaintext in the pre-shared key method (6.2, 6.13)."""
    last = len(items) - 1
    return b"".join(
        encode_one(kd, PayloadType.LAST if i == last else PayloadType.KEY_DATA)
        for i, kd in enumerate(items)
    )


def encode_key_data_with_id(ident: Id, items: Sequence[KeyData]) -> bytes:
    """KEMAC plaintext in the public-key method: the ID payload, then Key data (6.2)."""
    next_payload = PayloadType.KEY_DATA if items else PayloadType.LAST
    return bytes([next_payload]) + ID_SPEC.encode(ident) + encode_key_data(items)


def decode_one(r: Reader) -> KeyData:
    """One Key data sub-payload body (after its Next payload field)."""
    at = r.offset
    type_kv = r.u8("Type")
    key_type = r.code(KeyType, type_kv >> 4, "Type", at)
    kind = r.code(KvType, type_kv & 0x0F, "KV", at)
    key = r.prefixed(2, "Key data len")
    salt = r.prefixed(2, "Salt len") if key_type in SALTED else None
    return KeyData(key_type, key, salt, decode_kv_data(r, kind))


def _decode_chain(r: Reader, first_next: PayloadType) -> tuple[KeyData, ...]:
    """Key data sub-payloads while the previous Next payload says Key data (a loop)."""
    items: list[KeyData] = []
    following = first_next
    while following == PayloadType.KEY_DATA:
        following = r.next_payload(_CHAIN_NEXT)
        items.append(decode_one(r))
    if not r.at_end:
        r.fail(f"{r.remaining} bytes follow the last Key data sub-payload")
    return tuple(items)


def decode_key_data(data: bytes) -> tuple[KeyData, ...]:
    """The Key data chain of a decrypted KEMAC (pre-shared key method); strict."""
    r = Reader(bytes(data), NAME, SECTION)
    return _decode_chain(r, PayloadType.LAST if r.at_end else PayloadType.KEY_DATA)


def decode_key_data_with_id(data: bytes) -> tuple[Id, tuple[KeyData, ...]]:
    """The ID payload and Key data chain of a decrypted KEMAC (public-key method); strict."""
    r = Reader(bytes(data), ID_SPEC.name, ID_SPEC.section)
    following = r.next_payload(_CHAIN_NEXT)
    ident = ID_SPEC.decode(r)
    with r.scope(NAME, SECTION):
        return ident, _decode_chain(r, following)
