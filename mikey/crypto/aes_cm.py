"""AES in counter mode as SRTP defines it (RFC 3711 4.1.1), on `cryptography`'s AES-CTR.

The keystream is E(k, IV) || E(k, IV + 1 mod 2^128) || E(k, IV + 2 mod 2^128) ...
and the data is XORed with its leading bytes. `cryptography`'s CTR mode counts
the same way: the whole 16-byte IV is one big-endian counter, wrapping mod 2^128.

RFC 3711 4.1.1: "The number of blocks of keystream generated for any fixed
value of IV MUST NOT exceed 2^16"; RFC 3830 4.2.3 repeats it for the KEMAC
("this restricts the maximum size that can be encrypted to 2^23 bits").
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from mikey.crypto.errors import CryptoError

BLOCK_LEN = 16
MAX_BLOCKS = 1 << 16
"""Keystream blocks per IV at most (RFC 3711 4.1.1): 2^16 blocks = 2^23 bits."""


def aes_cm(key: bytes, iv: bytes, data: bytes) -> bytes:
    """`data` XOR the AES-CM keystream of `key` from counter `iv` (encrypts and decrypts)."""
    if len(key) not in (16, 24, 32):
        raise CryptoError(f"AES-CM key of {len(key)} bytes: AES takes 16, 24 or 32")
    if len(iv) != BLOCK_LEN:
        raise CryptoError(f"AES-CM IV of {len(iv)} bytes: it is one 128-bit block")
    if len(data) > MAX_BLOCKS * BLOCK_LEN:
        raise CryptoError(
            f"{len(data)} bytes exceed the 2^16 keystream blocks of one IV (RFC 3711 4.1.1)"
        )
    encryptor = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_cm_keystream(key: bytes, iv: bytes, length: int) -> bytes:
    """The first `length` bytes of the AES-CM keystream (RFC 3711 4.1.1)."""
    return aes_cm(key, iv, bytes(length))
