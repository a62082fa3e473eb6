"""MAC and verification message function, RFC 3830 4.2.4 (Table 6.2.b).

HMAC-SHA-1-160 is HMAC with SHA-1, the full 160-bit tag; NULL is no MAC (an
empty tag). Checks compare in constant time.
"""

from __future__ import annotations

import hmac as std_hmac

from cryptography.hazmat.primitives import hashes, hmac

from mikey.crypto.errors import CryptoError
from mikey.wire.registry import MacAlg


def mac(alg: MacAlg, key: bytes, data: bytes) -> bytes:
    """The MAC of `data` under `key` (RFC 3830 4.2.4): 20 bytes, or b"" for NULL."""
    if alg == MacAlg.NULL:
        return b""
    if alg == MacAlg.HMAC_SHA_1_160:
        h = hmac.HMAC(key, hashes.SHA1())
        h.update(data)
        return h.finalize()
    raise CryptoError(f"unknown MAC algorithm {alg} (RFC 3830 Table 6.2.b)")


def mac_verify(alg: MacAlg, key: bytes, data: bytes, tag: bytes) -> bool:
    """Whether `tag` is the MAC of `data` under `key` (constant-time comparison)."""
    return std_hmac.compare_digest(mac(alg, key, data), tag)
