"""AES key wrap (RFC 3394) with a caller-chosen IV, as MIKEY uses it (RFC 3830 4.2.3).

RFC 3830 4.2.3: "The 128-bit key and a 64-bit salt, S, are derived in
accordance to Section 4.1.4 and the key wrap IV is then set to S." RFC 3394
2.2.3.2 allows such an alternative initial value. `cryptography`'s
`aes_key_wrap` / `aes_key_unwrap` always use the default IV A6A6A6A6A6A6A6A6
(2.2.3.1) and take no IV argument; the core that would take one is private
(`_wrap_core`). So the two procedures of RFC 3394 2.2.1 and 2.2.2 (index
method) are written here on `cryptography`'s AES-ECB; the tests check that with
the default IV they give exactly what `cryptography`'s `aes_key_wrap` gives.

RFC 3394 2 wraps n >= 2 64-bit blocks: the plaintext must be a multiple of 8
bytes and at least 16. RFC 3830 defines no padding for the Key data it wraps,
so other plaintexts raise CryptoError rather than being padded in some
non-interoperable way.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from mikey.crypto.errors import CryptoError, IntegrityError

SEMIBLOCK = 8


def _check(kek: bytes, iv: bytes) -> None:
    if len(kek) not in (16, 24, 32):
        raise CryptoError(f"key wrap KEK of {len(kek)} bytes: AES takes 16, 24 or 32")
    if len(iv) != SEMIBLOCK:
        raise CryptoError(f"key wrap IV of {len(iv)} bytes: RFC 3394 uses 64 bits")


def _xor_t(a: bytes, t: int) -> bytes:
    return (int.from_bytes(a, "big") ^ t).to_bytes(SEMIBLOCK, "big")


def aes_kw_wrap(kek: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """RFC 3394 2.2.1 key wrap of `plaintext` under `kek` with initial value `iv`."""
    _check(kek, iv)
    if len(plaintext) < 2 * SEMIBLOCK or len(plaintext) % SEMIBLOCK:
        raise CryptoError(
            f"key wrap input of {len(plaintext)} bytes: RFC 3394 needs a multiple of 8 bytes,"
            " at least 16 (RFC 3830 defines no padding)"
        )
    r = [plaintext[i : i + SEMIBLOCK] for i in range(0, len(plaintext), SEMIBLOCK)]
    n = len(r)
    a = iv
    aes = Cipher(algorithms.AES(kek), modes.ECB()).encryptor()
    for j in range(6):
        for i in range(n):
            b = aes.update(a + r[i])  # B = AES(K, A | R[i])
            a = _xor_t(b[:SEMIBLOCK], n * j + i + 1)  # A = MSB(64, B) ^ t
            r[i] = b[SEMIBLOCK:]  # R[i] = LSB(64, B)
    return a + b"".join(r)


def aes_kw_unwrap(kek: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    """RFC 3394 2.2.2 key unwrap; IntegrityError when the recovered IV is not `iv`."""
    _check(kek, iv)
    if len(ciphertext) < 3 * SEMIBLOCK or len(ciphertext) % SEMIBLOCK:
        raise IntegrityError(
            f"key wrap ciphertext of {len(ciphertext)} bytes: RFC 3394 makes a multiple"
            " of 8 bytes, at least 24"
        )
    a = ciphertext[:SEMIBLOCK]
    r = [ciphertext[i : i + SEMIBLOCK] for i in range(SEMIBLOCK, len(ciphertext), SEMIBLOCK)]
    n = len(r)
    aes = Cipher(algorithms.AES(kek), modes.ECB()).decryptor()
    for j in reversed(range(6)):
        for i in reversed(range(n)):
            b = aes.update(_xor_t(a, n * j + i + 1) + r[i])  # B = AES-1(K, (A ^ t) | R[i])
            a, r[i] = b[:SEMIBLOCK], b[SEMIBLOCK:]
    if not hmac.compare_digest(a, iv):  # 2.2.3: the integrity check
        raise IntegrityError("key unwrap integrity check failed (RFC 3394 2.2.3)")
    return b"".join(r)
