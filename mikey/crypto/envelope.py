"""Envelope key encryption, RFC 3830 4.2.5 and 6.3 (PKE = E(PKr, env_key), 3.2).

"The public key encryption algorithm applied is defined by, and dependent
on the certificate used. It is MANDATORY to support RSA PKCS#1, v1.5, and it
is RECOMMENDED to also support RSA OAEP" (4.2.5). The PKE payload carries no
algorithm field, so both parties must agree on the scheme: PKCS#1 v1.5
(RSAES-PKCS1-v1_5) by default, RSAES-OAEP (MGF1 and label-less, SHA-1 as the
RFC 3830 default hash, 4.2.1) when configured.

`envelope_decrypt` raises only `CryptoError`; a ciphertext whose padding
fails raises `IntegrityError`. For PKCS#1 v1.5, OpenSSL 3.2+ applies
implicit rejection (no Bleichenbacher oracle): a PKE under another key then
"decrypts" to a pseudo-random byte string instead, and the KEMAC MAC keyed
from it fails (RFC 3830 3.2: the envelope key's only use is keying the
KEMAC), so the outcome is the same Auth failure either way. That string can
be empty, and an empty envelope key cannot key the PRF (4.1.2 needs at least one
block of inkey), so an empty result is refused here as not decrypting.
"""

from __future__ import annotations

from enum import StrEnum

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)

from mikey.crypto.errors import CryptoError, IntegrityError


class EnvelopeScheme(StrEnum):
    """The RSA encryption scheme of the PKE payload (RFC 3830 4.2.5)."""

    PKCS1_V1_5 = "PKCS1-v1_5"
    OAEP = "OAEP"


def _padding(scheme: EnvelopeScheme) -> padding.AsymmetricPadding:
    if scheme == EnvelopeScheme.OAEP:
        return padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)
    return padding.PKCS1v15()


def envelope_encrypt(
    public_key: CertificatePublicKeyTypes,
    env_key: bytes,
    scheme: EnvelopeScheme = EnvelopeScheme.PKCS1_V1_5,
) -> bytes:
    """E(PKr, env_key): the PKE Data field (RFC 3830 3.2, 6.3)."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise CryptoError(f"a {type(public_key).__name__} cannot encrypt a PKE (4.2.5)")
    try:
        return public_key.encrypt(env_key, _padding(EnvelopeScheme(scheme)))
    except ValueError as exc:
        raise CryptoError(f"envelope key does not fit the RSA key: {exc} (4.2.5)") from None


def envelope_decrypt(
    private_key: PrivateKeyTypes,
    data: bytes,
    scheme: EnvelopeScheme = EnvelopeScheme.PKCS1_V1_5,
) -> bytes:
    """The envelope key from a PKE Data field; IntegrityError if it does not decrypt."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise CryptoError(f"a {type(private_key).__name__} cannot decrypt a PKE (4.2.5)")
    try:
        env_key = private_key.decrypt(data, _padding(EnvelopeScheme(scheme)))
    except ValueError:
        raise IntegrityError("the PKE does not decrypt under our key (RFC 3830 3.2)") from None
    if not env_key:
        raise IntegrityError("the PKE holds an empty envelope key, which keys nothing (4.1.2)")
    return env_key
