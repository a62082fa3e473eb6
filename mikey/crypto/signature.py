"""SIGN payload signatures, RFC 3830 4.2.6 and 6.5 (Table 6.5), on `cryptography`.

- RSA/PKCS#1/1.5 (S type 0, mandatory): RSASSA-PKCS1-v1_5;
- RSA/PSS (S type 1): RSASSA-PSS with MGF1 over the same hash, salt as long
  as the hash when signing; any salt length is accepted when verifying
  (RFC 3447 9.1 leaves the salt length to the signer).

The hash is SHA-1 by default: "it is MANDATORY to implement SHA-1 as the
default hash function" (RFC 3830 4.2.1), and Table 6.5 names no other. A
profile may choose SHA-256; both sides must agree, as the SIGN payload does
not carry the hash.

`signature_verify` returns False for a signature that does not verify and
raises only `CryptoError` (an unknown S type, a key that is not RSA). The
comparison is the library's (constant time); none is ours.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)

from mikey.crypto.errors import CryptoError
from mikey.wire.registry import SignType

HASHES: dict[str, type[hashes.HashAlgorithm]] = {"SHA-1": hashes.SHA1, "SHA-256": hashes.SHA256}
"""The hash functions a signature may use, by name (SHA-1 is RFC 3830's default, 4.2.1)."""

DEFAULT_HASH = "SHA-1"

RSA_SIGN_TYPES = (SignType.RSA_PKCS1_1_5, SignType.RSA_PSS)
"""The S types this module signs with: RSA, the certificate-based modes' (RFC 3830 Table
6.5). ECCSI (S type 2, RFC 6509 4.3) is MIKEY-SAKKE's, in mikey/crypto/eccsi.py."""


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return HASHES[name]()
    except KeyError:
        raise CryptoError(f"unknown signature hash {name!r} (RFC 3830 4.2.1)") from None


def _padding(s_type: int, digest: hashes.HashAlgorithm, signing: bool) -> padding.AsymmetricPadding:
    if s_type == SignType.RSA_PKCS1_1_5:
        return padding.PKCS1v15()
    if s_type == SignType.RSA_PSS:
        salt = digest.digest_size if signing else padding.PSS.AUTO
        return padding.PSS(mgf=padding.MGF1(digest), salt_length=salt)
    raise CryptoError(f"unknown S type {s_type} (RFC 3830 Table 6.5)")


def signature_sign(
    s_type: int, private_key: PrivateKeyTypes, data: bytes, hash_name: str = DEFAULT_HASH
) -> bytes:
    """The signature of `data` with `private_key` as S type `s_type` signs (RFC 3830 6.5)."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise CryptoError(f"a {type(private_key).__name__} cannot make RSA signatures (Table 6.5)")
    digest = _hash(hash_name)
    return private_key.sign(data, _padding(s_type, digest, signing=True), digest)


def signature_verify(
    s_type: int,
    public_key: CertificatePublicKeyTypes,
    data: bytes,
    signature: bytes,
    hash_name: str = DEFAULT_HASH,
) -> bool:
    """Whether `signature` is a valid S type `s_type` signature of `data` under `public_key`."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise CryptoError(f"a {type(public_key).__name__} cannot check RSA signatures (Table 6.5)")
    digest = _hash(hash_name)
    pad = _padding(s_type, digest, signing=False)
    try:
        public_key.verify(signature, data, pad, digest)
    except InvalidSignature:
        return False
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise CryptoError(f"signature check impossible: {exc} (RFC 3830 6.5)") from None
    return True
