"""Forgeries of the KEMAC plaintext, Security Policies and IDs, on top of conformance.reference.

A forged I_MESSAGE is broken in exactly one way and otherwise what the
reference initiator sends: the Key data chain (RFC 3830 6.13, 6.14) is
corrupted and then encrypted with the exchange's own KEMAC keys (4.1.4, IV
per 4.2.3) and the whole message is MACed (5.2), so a responder that rejects
it can only be rejecting the key data. Each corruption names the fault our
strict decoder must find in it: a forgery that is not malformed in the way it
claims is a harness error, never a verdict on the SUT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from conformance.reference import HarnessError, ReferenceInitiator
from mikey.crypto import kemac_encrypt
from mikey.ntp import ts_value_64
from mikey.wire import (
    DecodeError,
    ErrorNo,
    Id,
    IdType,
    Kemac,
    KeyData,
    KeyType,
    KvType,
    Message,
    PayloadType,
    PolicyParam,
    ProtType,
    SecurityPolicy,
    SrtpParam,
    Timestamp,
    decode_key_data,
    encode_key_data,
)

PlainMutation = Callable[[tuple[KeyData, ...]], bytes]


def with_settings(ref: ReferenceInitiator, **changes: object) -> ReferenceInitiator:
    """The reference initiator with its PSK settings changed (e.g. ts_type), for what
    ExchangeParams does not carry; returns `ref`."""
    ref.settings = replace(ref.settings, **changes)  # type: ignore[arg-type]
    ref.peer.settings = ref.settings
    return ref


# -- the Key data chain (RFC 3830 6.13, 6.14) --------------------------------------------


def _last_offset(items: tuple[KeyData, ...]) -> int:
    """Where the last Key data sub-payload starts in encode_key_data(items)."""
    return len(encode_key_data(items[:-1]))


def _patch(plain: bytes, at: int, value: bytes) -> bytes:
    return plain[:at] + value + plain[at + len(value) :]


def _last_next_payload(value: PayloadType) -> PlainMutation:
    """The last sub-payload's Next payload set to `value` (6.2 wants Last payload, 0)."""

    def mutate(items: tuple[KeyData, ...]) -> bytes:
        return _patch(encode_key_data(items), _last_offset(items), bytes([value]))

    return mutate


def _last_type_kv(key_type: int | None = None, kv: int | None = None) -> PlainMutation:
    """The last sub-payload's Type and/or KV nibble set, the fields after it unchanged."""

    def mutate(items: tuple[KeyData, ...]) -> bytes:
        plain, at = encode_key_data(items), _last_offset(items) + 1
        byte = plain[at]
        byte = (key_type << 4 | byte & 0x0F) if key_type is not None else byte
        byte = (byte & 0xF0 | kv) if kv is not None else byte
        return _patch(plain, at, bytes([byte]))

    return mutate


def _last_length(field: str, delta: int) -> PlainMutation:
    """The last sub-payload's Key data len or Salt len increased by `delta`."""

    def mutate(items: tuple[KeyData, ...]) -> bytes:
        last = items[-1]
        at = _last_offset(items) + 2  # Next payload, Type|KV
        length = len(last.key)
        if field == "Salt len":
            at, length = at + 2 + len(last.key), len(last.salt or b"")
        return _patch(encode_key_data(items), at, (length + delta).to_bytes(2, "big"))

    return mutate


@dataclass(frozen=True)
class KeyDataFault:
    """A corruption of the genuine Key data chain and what the strict decoder must say."""

    key_type: KeyType
    """The key type the exchange must carry for the corruption to apply."""
    mutate: PlainMutation
    expect: str
    """A phrase of the DecodeError the corrupted plaintext must give (the fault)."""
    what: str
    """What the forgery does, for the evidence."""


KEY_DATA_FAULTS: dict[str, KeyDataFault] = {
    "next-key-data": KeyDataFault(
        KeyType.TGK,
        _last_next_payload(PayloadType.KEY_DATA),
        "next payload needs 1 bytes",
        "the last Key data's Next payload says Key data (20), but no sub-payload follows",
    ),
    "next-rand": KeyDataFault(
        KeyType.TGK,
        _last_next_payload(PayloadType.RAND),
        "next payload RAND (11) not allowed",
        "the last Key data's Next payload says RAND (11) instead of Last payload (0)",
    ),
    "key-type": KeyDataFault(
        KeyType.TGK,
        _last_type_kv(key_type=7),
        "unknown Type 7",
        "the Key data Type is 7, which Table 6.13.a does not assign",
    ),
    "key-data-len": KeyDataFault(
        KeyType.TGK,
        _last_length("Key data len", 1),
        "Key data len 17 runs past the end",
        "Key data len is one more than the key: it runs past the end of the plaintext",
    ),
    "salt-missing": KeyDataFault(
        KeyType.TGK,
        _last_type_kv(key_type=KeyType.TGK_SALT),
        "Salt len needs 2 bytes",
        "Type TGK+SALT (1), but no Salt len and Salt data follow the key",
    ),
    "salt-unannounced": KeyDataFault(
        KeyType.TGK_SALT,
        _last_type_kv(key_type=KeyType.TGK),
        "follow the last Key data",
        "Type TGK (0), but Salt len and Salt data follow the key",
    ),
    "salt-len": KeyDataFault(
        KeyType.TGK_SALT,
        _last_length("Salt len", 1),
        "Salt len 15 runs past the end",
        "Salt len is one more than the salt: it runs past the end of the plaintext",
    ),
    "kv-spi-without-data": KeyDataFault(
        KeyType.TGK,
        _last_type_kv(kv=KvType.SPI),
        "SPI Length needs 1 bytes",
        "KV is SPI (1), but no SPI length and SPI follow",
    ),
}
"""The Key data faults, by name. Lengths assume the reference's 16-byte TGK and 14-byte
salt (PskSettings defaults); `forge_key_data` checks the fault is what `expect` says."""


def forge_key_data(ref: ReferenceInitiator, fault: KeyDataFault) -> tuple[bytes, str]:
    """A new I_MESSAGE whose KEMAC plaintext is the genuine Key data chain corrupted by
    `fault`, encrypted with the exchange's KEMAC keys and MACed (4.2.3, 5.2).

    Returns the message and our strict decoder's reading of the corrupted plaintext.
    """
    if ref.settings.key_type != fault.key_type:
        raise HarnessError(f"the fault needs key type {fault.key_type.name}")
    found: list[str] = []

    def mutate(msg: Message) -> Message:
        csb, keys = ref.peer.latest_csb, ref.peer.keys
        t = msg.first(Timestamp)
        if csb is None or keys is None or t is None:
            raise HarnessError("the reference I_MESSAGE has no exchange or no T")
        plain = fault.mutate(csb.key_data)
        found.append(_decoder_fault(plain, fault.expect))
        at = max(i for i, p in enumerate(msg.payloads) if isinstance(p, Kemac))
        kemac = cast(Kemac, msg.payloads[at])
        encr = kemac_encrypt(kemac.encr_alg, keys, msg.hdr.csb_id, ts_value_64(t), plain)
        payloads = (*msg.payloads[:at], replace(kemac, encr_data=encr), *msg.payloads[at + 1 :])
        return replace(msg, payloads=payloads)

    message = ref.forge(mutate)
    return message, found[0]


def _decoder_fault(plain: bytes, expect: str) -> str:
    """Our strict decoder's error for `plain`, which must name the intended fault."""
    try:
        decode_key_data(plain)
    except DecodeError as err:
        if expect not in str(err):
            raise HarnessError(f"forged Key data fails for another reason: {err}") from None
        return str(err)
    raise HarnessError("the forged Key data decodes: the forgery breaks nothing")


# -- Security Policies (RFC 3830 6.10, 6.10.1) --------------------------------------------


def policy_with(policy: SecurityPolicy, kind: int, value: int) -> SecurityPolicy:
    """`policy` with parameter `kind` set to `value` (one byte), added if absent."""
    params = tuple(p for p in policy.params if p.type != kind)
    return replace(policy, params=(*params, PolicyParam(kind, bytes([value]))))


def policy_of_prot_type(policy: SecurityPolicy, prot_type: int) -> SecurityPolicy:
    """`policy` with a Prot type that may be unassigned in Table 6.10 (for forgeries)."""
    return replace(policy, prot_type=cast(ProtType, prot_type))


@dataclass(frozen=True)
class PolicyFault:
    """An SP parameter a responder cannot support, and the Table 6.12 number it gets."""

    change: Callable[[SecurityPolicy], SecurityPolicy]
    error: ErrorNo
    what: str


POLICY_FAULTS: dict[str, PolicyFault] = {
    "srtp-encr-alg-9": PolicyFault(
        lambda p: policy_with(p, SrtpParam.ENCR_ALG, 9),
        ErrorNo.INVALID_SPPAR,
        "SRTP encryption algorithm 9 (Table 6.10.1.b assigns 0-2)",
    ),
    "srtp-param-type-13": PolicyFault(
        lambda p: policy_with(p, 13, 1),
        ErrorNo.INVALID_SPPAR,
        "SRTP parameter Type 13 (Table 6.10.1.a assigns 0-12)",
    ),
    "prot-type-7": PolicyFault(
        lambda p: policy_of_prot_type(p, 7),
        ErrorNo.INVALID_SP,
        "Prot type 7 (Table 6.10 assigns SRTP, 0)",
    ),
}
"""Unsupported security policies, by name (5.1.2, 6.10, 6.10.1, Table 6.12)."""


def replace_policies(
    change: Callable[[SecurityPolicy], SecurityPolicy],
) -> Callable[[Message], Message]:
    """A message mutation applying `change` to every SP payload."""

    def mutate(msg: Message) -> Message:
        payloads = tuple(change(p) if isinstance(p, SecurityPolicy) else p for p in msg.payloads)
        return replace(msg, payloads=payloads)

    return mutate


# -- identities (RFC 3830 6.7) ------------------------------------------------------------


def in_form(ident: Id, id_type: IdType) -> Id:
    """The identity as an ID of `id_type`: the URI 'scheme:user@realm' names the NAI
    'user@realm' (RFC 4282), and the NAI 'user@realm' the URI 'sip:user@realm'."""
    if ident.id_type == id_type:
        return ident
    if id_type == IdType.NAI:
        return Id(IdType.NAI, ident.data.partition(b":")[2] or ident.data)
    return Id(IdType.URI, b"sip:" + ident.data)
