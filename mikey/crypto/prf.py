"""The MIKEY-1 PRF, RFC 3830 4.1.2 (HMAC-SHA-1 "P" function, as in TLS).

    P(s, label, m) = HMAC(s, A_1 || label) || ... || HMAC(s, A_m || label)
    A_0 = label, A_i = HMAC(s, A_(i-1))

    n = ceil(inkey_len / 256); inkey = s_1 || ... || s_n (each s_i 256 bits,
    except possibly s_n); m = ceil(outkey_len / 160);
    outkey = the outkey_len most significant bits of
             P(s_1, label, m) XOR ... XOR P(s_n, label, m).

Lengths here are in bytes: every key MIKEY derives is a whole number of bytes,
so outkey_len bits = 8 * `outkey_len_bytes`, and inkey_len = 8 * len(inkey).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, hmac

from mikey.crypto.errors import CryptoError

S_BLOCK_LEN = 32
"""Bytes per inkey block s_i: 256 bits, half SHA-1's input block (4.1.2)."""
P_BLOCK_LEN = 20
"""Bytes per P output block: 160 bits, SHA-1's output size (4.1.2)."""


def _hmac_sha1(key: bytes, data: bytes) -> bytes:
    h = hmac.HMAC(key, hashes.SHA1())
    h.update(data)
    return h.finalize()


def p_function(s: bytes, label: bytes, m: int) -> bytes:
    """P(s, label, m) of RFC 3830 4.1.2: m HMAC-SHA-1 blocks, 20 * m bytes."""
    out = []
    a = label  # A_0
    for _ in range(m):
        a = _hmac_sha1(s, a)  # A_i = HMAC(s, A_(i-1))
        out.append(_hmac_sha1(s, a + label))
    return b"".join(out)


def prf(inkey: bytes, label: bytes, outkey_len_bytes: int) -> bytes:
    """PRF(inkey, label) of RFC 3830 4.1.2, cut to its `outkey_len_bytes` leading bytes.

    Raises CryptoError for an empty inkey (n would be 0) or an outkey length
    below 1 byte (m "is a positive integer", 4.1.2).
    """
    if not inkey:
        raise CryptoError("PRF inkey is empty (RFC 3830 4.1.2 needs n >= 1 blocks)")
    if outkey_len_bytes < 1:
        raise CryptoError(
            f"PRF outkey length {outkey_len_bytes} bytes: m must be positive (RFC 3830 4.1.2)"
        )
    m = -(-outkey_len_bytes // P_BLOCK_LEN)
    acc = 0
    for i in range(0, len(inkey), S_BLOCK_LEN):
        acc ^= int.from_bytes(p_function(inkey[i : i + S_BLOCK_LEN], label, m), "big")
    return acc.to_bytes(m * P_BLOCK_LEN, "big")[:outkey_len_bytes]
