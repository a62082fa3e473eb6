"""A second MIKEY-1 PRF, written straight from RFC 3830 4.1.2 with the standard
library's hmac/hashlib and no code shared with `mikey.crypto`.

It works in bits, as the RFC does (inkey_len, outkey_len, "the outkey_len most
significant bits"), on Python integers, so it shares neither the byte-length
interface nor the block arithmetic of the library's version.
"""

from __future__ import annotations

import hashlib
import hmac
import math


def hmac_sha1(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha1).digest()


def p(s: bytes, label: bytes, m: int) -> bytes:
    """P(s, label, m) = HMAC(s, A_1 || label) || ... || HMAC(s, A_m || label)."""
    a = [label]  # A_0 = label
    for i in range(1, m + 1):
        a.append(hmac_sha1(s, a[i - 1]))  # A_i = HMAC(s, A_(i-1))
    return b"".join(hmac_sha1(s, a[i] + label) for i in range(1, m + 1))


def prf_bits(inkey: bytes, label: bytes, outkey_len: int) -> int:
    """The outkey_len most significant bits of PRF(inkey, label), as an integer."""
    inkey_len = 8 * len(inkey)
    n = math.ceil(inkey_len / 256)
    s = [inkey[32 * i : 32 * (i + 1)] for i in range(n)]  # s_1 .. s_n, 256 bits each but s_n
    m = math.ceil(outkey_len / 160)
    total = 0
    for s_i in s:
        total ^= int.from_bytes(p(s_i, label, m), "big")
    return total >> (160 * m - outkey_len)


def reference_prf(inkey: bytes, label: bytes, outkey_len_bytes: int) -> bytes:
    """PRF output of `outkey_len_bytes` bytes (outkey_len = 8 * outkey_len_bytes bits)."""
    return prf_bits(inkey, label, 8 * outkey_len_bytes).to_bytes(outkey_len_bytes, "big")


def reference_tgk_label(constant: int, cs_id: int, csb_id: int, rand: bytes) -> bytes:
    """label = constant || cs_id || csb_id || RAND (RFC 3830 4.1.3), 32/8/32 bits."""
    return constant.to_bytes(4, "big") + bytes([cs_id]) + csb_id.to_bytes(4, "big") + rand


def reference_message_key_label(constant: int, csb_id: int, rand: bytes) -> bytes:
    """label = constant || 0xFF || csb_id || RAND (RFC 3830 4.1.4)."""
    return constant.to_bytes(4, "big") + b"\xff" + csb_id.to_bytes(4, "big") + rand
