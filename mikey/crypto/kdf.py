"""Key derivations on the MIKEY-1 PRF: from a TGK (RFC 3830 4.1.3) and from an
envelope or pre-shared key (4.1.4), and the KEMAC key set built on the latter.

The label layouts, all fields big-endian:

    from a TGK (4.1.3):        constant (32 bits) || cs_id (8) || csb_id (32) || RAND
    from a PSK/envelope key:   constant (32 bits) || 0xFF (8)  || csb_id (32) || RAND

The constants are consecutive nine-digit chunks of the decimal digits of e
(4.1.3: "718281828 = 0x2AD01C64").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import TypeVar

from mikey.crypto.errors import CryptoError
from mikey.crypto.prf import prf
from mikey.wire.registry import EncrAlg, MacAlg


class TgkConstant(IntEnum):
    """Constants for keys derived from a TGK, RFC 3830 4.1.3 Table 4.1.3."""

    TEK = 0x2AD01C64
    AUTH = 0x1B5C7973
    ENCR = 0x15798CEF
    SALT = 0x39A2C14B


class MessageKeyConstant(IntEnum):
    """Constants for keys derived from an envelope/pre-shared key, RFC 3830 4.1.4 Table 4.1.4."""

    ENCR = 0x150533E1
    AUTH = 0x2D22AC75
    SALT = 0x29B88916


def _field(value: int, nbytes: int, name: str) -> bytes:
    if not 0 <= value < 1 << (8 * nbytes):
        raise CryptoError(f"{name} {value} does not fit {8 * nbytes} bits (RFC 3830 4.1.1)")
    return value.to_bytes(nbytes, "big")


def tgk_label(constant: int, cs_id: int, csb_id: int, rand: bytes) -> bytes:
    """constant || cs_id || csb_id || RAND (RFC 3830 4.1.3)."""
    return (
        _field(constant, 4, "constant")
        + _field(cs_id, 1, "cs_id")
        + _field(csb_id, 4, "csb_id")
        + rand
    )


def message_key_label(constant: int, csb_id: int, rand: bytes) -> bytes:
    """constant || 0xFF || csb_id || RAND (RFC 3830 4.1.4)."""
    return _field(constant, 4, "constant") + b"\xff" + _field(csb_id, 4, "csb_id") + rand


def tgk_derive(
    tgk: bytes, constant: int, cs_id: int, csb_id: int, rand: bytes, length: int
) -> bytes:
    """A `length`-byte key of crypto session `cs_id` from the TGK (RFC 3830 4.1.3)."""
    return prf(tgk, tgk_label(constant, cs_id, csb_id, rand), length)


def message_key_derive(inkey: bytes, constant: int, csb_id: int, rand: bytes, length: int) -> bytes:
    """A `length`-byte MIKEY message key from an envelope/pre-shared key (RFC 3830 4.1.4)."""
    return prf(inkey, message_key_label(constant, csb_id, rand), length)


ENCR_KEY_LENGTH: dict[EncrAlg, int] = {
    EncrAlg.NULL: 0,
    EncrAlg.AES_CM_128: 16,  # 4.2.3: "a 128-bit key"
    EncrAlg.AES_KW_128: 16,  # 4.2.3: "The 128-bit key"
}
"""KEMAC encryption key length in bytes per algorithm (RFC 3830 4.2.3)."""

SALT_KEY_LENGTH: dict[EncrAlg, int] = {
    EncrAlg.NULL: 0,
    EncrAlg.AES_CM_128: 14,  # 4.2.3: "S is a 112-bit salting key"
    EncrAlg.AES_KW_128: 8,  # 4.2.3: "a 64-bit salt, S ... the key wrap IV is then set to S"
}
"""KEMAC salting key length in bytes per algorithm (RFC 3830 4.2.3)."""

AUTH_KEY_LENGTH: dict[MacAlg, int] = {
    MacAlg.NULL: 0,
    MacAlg.HMAC_SHA_1_160: 20,  # 4.2.4: "for HMAC-SHA-1, a 160-bit authentication key"
}
"""MAC key length in bytes per algorithm (RFC 3830 4.2.4)."""

A = TypeVar("A", EncrAlg, MacAlg)


def _lookup(table: Mapping[A, int], alg: A, what: str) -> int:
    try:
        return table[alg]
    except KeyError:
        raise CryptoError(f"unknown {what} {alg} (RFC 3830 Table 6.2.a/6.2.b)") from None


@dataclass(frozen=True)
class KemacKeys:
    """The keys protecting one MIKEY message (RFC 3830 4.1.4): KEMAC encryption
    key, MAC key (KEMAC MAC and verification message V) and salting key.
    A NULL algorithm gets an empty key."""

    encr_key: bytes
    auth_key: bytes
    salt_key: bytes

    @classmethod
    def derive(
        cls,
        inkey: bytes,
        csb_id: int,
        rand: bytes,
        encr_alg: EncrAlg = EncrAlg.AES_CM_128,
        mac_alg: MacAlg = MacAlg.HMAC_SHA_1_160,
    ) -> KemacKeys:
        """The keys `encr_alg` and `mac_alg` need, from the envelope or pre-shared key."""

        def derive_one(constant: MessageKeyConstant, length: int) -> bytes:
            if length == 0:
                return b""
            return message_key_derive(inkey, constant, csb_id, rand, length)

        return cls(
            encr_key=derive_one(
                MessageKeyConstant.ENCR, _lookup(ENCR_KEY_LENGTH, encr_alg, "encryption algorithm")
            ),
            auth_key=derive_one(
                MessageKeyConstant.AUTH, _lookup(AUTH_KEY_LENGTH, mac_alg, "MAC algorithm")
            ),
            salt_key=derive_one(
                MessageKeyConstant.SALT, _lookup(SALT_KEY_LENGTH, encr_alg, "encryption algorithm")
            ),
        )
