"""Signed messages: SIGN over a whole message (RFC 3830 5.2, 6.5) and the signer's certificate.

"Calculate the MAC/signature over the entire MIKEY message, except the
MAC/Signature field" (5.2), and SIGN "is always the last payload" (6.5). We
read it literally: the signed bytes are the encoded message up to and
including the SIGN payload's S type / Signature len word; only the Signature
field itself is left out. Its length is known beforehand (the RSA modulus
size), so the signer encodes a zero placeholder of that length, signs what
precedes it and puts the signature in its place.

`signer_key` checks a peer's certificate chain (mikey.pki) and turns a
CertificateError into a Rejection carrying its Table 6.12 number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)

from mikey.crypto import CryptoError
from mikey.crypto.signature import DEFAULT_HASH, signature_sign, signature_verify
from mikey.modes.base import Environment, Rejection
from mikey.pki import CertificateError, Usage, authenticate, utc
from mikey.wire import ErrorNo, Id, Message, Sign, SignType, encode_message


def _sign_payload(msg: Message) -> Sign:
    if not msg.payloads or not isinstance(msg.payloads[-1], Sign):
        raise ValueError("SIGN must be the last payload (RFC 3830 6.5)")
    return msg.payloads[-1]


def signature_length(key: PrivateKeyTypes) -> int:
    """The Signature len of an RSA key's signatures: the modulus size in bytes."""
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CryptoError(f"a {type(key).__name__} cannot make SIGN payloads (Table 6.5)")
    return (key.key_size + 7) // 8


def unsigned(msg: Message, s_type: SignType, length: int) -> Message:
    """`msg` with a SIGN placeholder of `length` zero bytes as its last payload."""
    payloads = msg.payloads
    if payloads and isinstance(payloads[-1], Sign):
        payloads = payloads[:-1]
    return replace(msg, payloads=(*payloads, Sign(s_type, bytes(length))))


def signed_part(data: bytes, msg: Message) -> bytes:
    """The bytes a message's signature covers: all but the Signature field (5.2)."""
    return data[: len(data) - len(_sign_payload(msg).signature)]


def sign_message(
    msg: Message, s_type: SignType, key: PrivateKeyTypes, hash_name: str = DEFAULT_HASH
) -> bytes:
    """The encoding of `msg` (its SIGN last, or appended) signed with `key` (5.2, 6.5)."""
    placeholder = unsigned(msg, s_type, signature_length(key))
    data = encode_message(placeholder)
    covered = signed_part(data, placeholder)
    return covered + signature_sign(s_type, key, covered, hash_name)


def verify_message(
    data: bytes, msg: Message, key: CertificatePublicKeyTypes, hash_name: str = DEFAULT_HASH
) -> bool:
    """Whether message `data` (decoded: `msg`) ends in a SIGN that verifies under `key`."""
    if not msg.payloads or not isinstance(msg.payloads[-1], Sign):
        return False
    sign = msg.payloads[-1]
    try:
        return signature_verify(sign.s_type, key, signed_part(data, msg), sign.signature, hash_name)
    except CryptoError:
        return False


def check_signature(
    data: bytes, msg: Message, key: CertificatePublicKeyTypes, hash_name: str = DEFAULT_HASH
) -> None:
    """SIGN verifies, else Auth failure (5.3: "Verify the MAC/signature")."""
    if not verify_message(data, msg, key, hash_name):
        raise Rejection(ErrorNo.AUTH_FAILURE, "the signature does not verify (RFC 3830 5.3, 6.5)")


def signer_key(
    chain: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    env: Environment,
    ident: Id | None,
    usage: Usage = Usage.SIGN,
) -> CertificatePublicKeyTypes:
    """The peer's public key once its chain passes mikey.pki.authenticate at env's clock."""
    try:
        return authenticate(chain, anchors, utc(env.clock()), usage, ident)
    except CertificateError as exc:
        raise Rejection(exc.error, exc.reason) from None
