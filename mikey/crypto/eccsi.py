"""ECCSI, Elliptic Curve-Based Certificateless Signatures for Identity-Based Encryption
(RFC 6507), on NIST P-256 with SHA-256 (the curve of RFC 6507 Appendix A and RFC 6509).

- the KMS: `kms_public_key` (KPAK = [KSAK]G, 4.2) and `make_signing_key` (the (SSK,PVT)
  pair, 5.1.1);
- the Signer: `validate_signing_key` (5.1.2) and `sign` (5.2.1);
- the Verifier: `verify` (5.2.2).

The ephemerals (v, j) are arguments, so RFC 6507 Appendix A's values can be injected;
callers draw them with `random_scalar`. Signature = r || s || PVT, 4N+1 octets (3.3).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from mikey.crypto.bignum import inverse
from mikey.crypto.ec import Curve, Point, require_point
from mikey.crypto.errors import CryptoError

P256 = Curve(
    name="P-256",
    p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    q=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    generator=(
        0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    ),
)
"""NIST P-256 (FIPS 186-3), RECOMMENDED by RFC 6507 4.1 and used by its Appendix A."""

N = P256.octets
SIGNATURE_LENGTH = 4 * N + 1
"""r || s || PVT (RFC 6507 3.3)."""


@dataclass(frozen=True)
class SigningKey:
    """A Signer's key material: its ID, SSK and PVT, and HS stored with them (5.1.2 step 2)."""

    identifier: bytes
    ssk: int
    pvt: Point
    hs: bytes


def random_scalar(random: bytes) -> int:
    """A non-zero integer modulo q from 2N random octets (bias below 2^-256)."""
    if len(random) < 2 * N:
        raise CryptoError(f"need {2 * N} random octets for an ECCSI scalar")
    return int.from_bytes(random, "big") % (P256.q - 1) + 1


def kms_public_key(ksak: int) -> Point:
    """KPAK = [KSAK]G, KSAK a secret non-zero integer modulo q (RFC 6507 4.2)."""
    if not 0 < ksak < P256.q:
        raise CryptoError("the KSAK must be a non-zero integer modulo q (RFC 6507 4.2)")
    return require_point(P256.multiply(ksak, P256.generator))


def hash_hs(kpak: Point, identifier: bytes, pvt: Point) -> bytes:
    """HS = hash( G || KPAK || ID || PVT ) (RFC 6507 5.1.1 step 3)."""
    g, kpak_octets, pvt_octets = (P256.encode_point(x) for x in (P256.generator, kpak, pvt))
    return hashlib.sha256(g + kpak_octets + identifier + pvt_octets).digest()


def hash_he(hs: bytes, r: bytes, message: bytes) -> bytes:
    """HE = hash( HS || r || M ) (RFC 6507 5.2.1 step 3)."""
    return hashlib.sha256(hs + r + message).digest()


def make_signing_key(ksak: int, identifier: bytes, v: int) -> SigningKey:
    """The KMS's (SSK,PVT) pair for `identifier` with the ephemeral v (RFC 6507 5.1.1)."""
    q = P256.q
    if not 0 < v < q:
        raise CryptoError("v must be a non-zero element of F_q (RFC 6507 5.1.1 step 1)")
    kpak = kms_public_key(ksak)
    pvt = require_point(P256.multiply(v, P256.generator))
    hs = hash_hs(kpak, identifier, pvt)
    ssk = (ksak + int.from_bytes(hs, "big") * v) % q
    if ssk == 0 or int.from_bytes(hs, "big") % q == 0:
        raise CryptoError("SSK or HS is zero modulo q: restart with a fresh v (5.1.1 step 5)")
    return SigningKey(identifier, ssk, pvt, hs)


def validate_signing_key(identifier: bytes, kpak: Point, ssk: int, pvt: Point) -> SigningKey:
    """The Signer's check of a received (SSK,PVT) pair (RFC 6507 5.1.2); CryptoError if bad."""
    if not P256.contains(kpak):
        raise CryptoError("the KPAK does not lie on the curve (RFC 6507 4.2)")
    if not P256.contains(pvt):
        raise CryptoError("the PVT does not lie on the curve (RFC 6507 5.1.2 step 1)")
    hs = hash_hs(kpak, identifier, pvt)
    ssk_g = P256.multiply(ssk % P256.q, P256.generator)
    hs_pvt = P256.multiply(int.from_bytes(hs, "big"), pvt)
    if not 0 < ssk < P256.q or P256.add(ssk_g, P256.negate(hs_pvt)) != kpak:
        raise CryptoError("KPAK != [SSK]G - [HS]PVT: the SSK is not valid (RFC 6507 5.1.2)")
    return SigningKey(identifier, ssk, pvt, hs)


def sign(message: bytes, key: SigningKey, j: int) -> bytes:
    """Signature = r || s || PVT of `message` with the ephemeral j (RFC 6507 5.2.1)."""
    q = P256.q
    if not 0 < j < q:
        raise CryptoError("j must be a non-zero element of F_q (RFC 6507 5.2.1 step 1)")
    r = P256.encode_integer(require_point(P256.multiply(j, P256.generator))[0])
    he = int.from_bytes(hash_he(key.hs, r, message), "big")
    divisor = (he + int.from_bytes(r, "big") * key.ssk) % q
    if divisor == 0:
        raise CryptoError("HE + r * SSK is zero modulo q: restart with a fresh j (5.2.1 step 4)")
    s_prime = int(inverse(divisor, q)) * j % q
    s = q - s_prime if s_prime >= 1 << (8 * N) else s_prime
    return r + P256.encode_integer(s) + P256.encode_point(key.pvt)


def verify(message: bytes, signature: bytes, identifier: bytes, kpak: Point) -> bool:
    """Whether `signature` is the Signer `identifier`'s on `message` (RFC 6507 5.2.2)."""
    if len(signature) != SIGNATURE_LENGTH:
        return False
    r, s = signature[:N], int.from_bytes(signature[N : 2 * N], "big")
    try:
        pvt = P256.decode_point(signature[2 * N :])  # step 1: PVT on the curve
    except CryptoError:
        return False
    hs = hash_hs(kpak, identifier, pvt)
    he = int.from_bytes(hash_he(hs, r, message), "big")
    y = P256.add(P256.multiply(int.from_bytes(hs, "big"), pvt), kpak)
    he_g = P256.multiply(he, P256.generator)
    j = P256.multiply(s, P256.add(he_g, P256.multiply(int.from_bytes(r, "big"), y)))
    if j is None or j[0] == 0:
        return False
    r_mod_p = P256.encode_integer(int.from_bytes(r, "big") % P256.p)
    return hmac.compare_digest(P256.encode_integer(j[0]), r_mod_p)  # step 6, constant time


def public_key_y(identifier: bytes, kpak: Point, pvt: Point) -> Point:
    """Y = [HS]PVT + KPAK (RFC 6507 5.2.2 step 4), the Signer's ECDSA-like public key."""
    hs = hash_hs(kpak, identifier, pvt)
    return require_point(P256.add(P256.multiply(int.from_bytes(hs, "big"), pvt), kpak))
