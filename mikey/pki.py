"""Certificates for the public-key modes: CERT and CHASH payloads (RFC 3830 4.3, 6.7, 6.8).

What a party checks of a peer's certificate, in this order, and the Table 6.12
number (RFC 3830 6.12) each failure is reported with:

  load (DER, 6.7: "included as a bytes string using DER encoding")  -> Invalid Cert
  type (Table 6.7.b: Sign-only / Encr-only certificates serve only
        that use; X.509v3 URL only where the party fetches, below)   -> Invalid Cert
  fetch (X.509v3 URL: the DER the URL names, RFC 4738 3.8)           -> Invalid Cert
  validity period at the party's clock (X.509, RFC 5280 4.1.2.5)     -> Invalid Cert
  key usage (RFC 5280 4.2.1.3: digitalSignature to sign,
        keyEncipherment to carry an envelope key)                    -> Invalid Cert
  chain to a trust anchor (4.3.2 "Trusted root": "chain validation")  -> Invalid Cert
  identity: the ID payload names the certificate's subject           -> Invalid ID

Table 6.12 has "Invalid Cert" ("Certificate not supported") for a certificate
the receiver cannot use, and "Invalid ID" ("ID not supported") for an
identity it will not take; a certificate for another identity than the ID
payload claims is the latter. A signature that does not verify under a good
certificate is "Auth failure" (5.3), the modes' business.

Identity match: an ID of type URI (Table 6.7.a) must equal a
uniformResourceIdentifier of the certificate's subjectAltName; an NAI
("user@realm", RFC 4282) must equal an rfc822Name there. The subject DN is
not consulted (RFC 5280 4.2.1.6 puts such identities in subjectAltName).

X.509v3 URL (Table 6.7.b) names the certificate instead of carrying it; RSA-R
makes it "the default method" that "MUST be implemented" (RFC 4738 3.8), with
HTTP URLs (RFC 2585) serving the DER (application/pkix-cert). The library does
no I/O: a party fetches through the `Fetch` it is given (its Environment's),
which returns the resource's bytes or raises FetchError; a certificate fetched
is then checked like one carried.

Chain validation is `cryptography`'s (cryptography.x509.verification): the
Web PKI profile for the CA certificates, and no extension policy on the end
entity beyond the key usage checked here (MIKEY defines no extended key usage).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

from mikey.wire.payloads import Cert, Id
from mikey.wire.registry import HASH_LENGTH, CertType, ErrorNo, HashFunc, IdType


class CertificateError(Exception):
    """A peer's certificate cannot be used: `error` is the Table 6.12 number to report."""

    def __init__(self, error: ErrorNo, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason


class FetchError(Exception):
    """A URL's resource could not be had (the one line says why)."""


Fetch = Callable[[str], bytes]
"""Fetches the resource a URL names (an X.509v3 URL CERT's, RFC 4738 3.8); FetchError if not."""


class Usage(StrEnum):
    """What a certificate's key is used for in MIKEY."""

    SIGN = "sign"  # SIGN payloads (6.5)
    ENCRYPT = "encrypt"  # the envelope key of a PKE (6.3)


CERT_TYPES: dict[Usage, frozenset[CertType]] = {
    Usage.SIGN: frozenset({CertType.X509V3, CertType.X509V3_SIGN}),
    Usage.ENCRYPT: frozenset({CertType.X509V3, CertType.X509V3_ENCR}),
}
"""The CERT types that may serve each use (Table 6.7.b: "used for signatures only", ...)."""


def load_certificate(der: bytes) -> x509.Certificate:
    """An X.509 certificate from its DER bytes (6.7); Invalid Cert if it does not parse."""
    try:
        return x509.load_der_x509_certificate(bytes(der))
    except ValueError as exc:
        raise CertificateError(
            ErrorNo.INVALID_CERT, f"certificate is not DER X.509: {exc} (RFC 3830 6.7)"
        ) from None


def der_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def certificates_of(
    payloads: Sequence[Cert], usage: Usage, fetch: Fetch | None = None
) -> tuple[x509.Certificate, ...]:
    """The certificates of a message's CERT payloads, in order (the end entity first, 6.7);
    X.509v3 URL ones fetched with `fetch` (None: the party fetches nothing)."""
    certs = []
    for payload in payloads:
        if payload.cert_type == CertType.X509V3_URL and fetch is not None:
            certs.append(fetched_certificate(payload.data, fetch))
            continue
        if payload.cert_type not in CERT_TYPES[usage]:
            raise CertificateError(
                ErrorNo.INVALID_CERT,
                f"CERT type {payload.cert_type.name} cannot serve to {usage} (RFC 3830 6.7)",
            )
        certs.append(load_certificate(payload.data))
    return tuple(certs)


def fetched_certificate(url: bytes, fetch: Fetch) -> x509.Certificate:
    """The certificate an X.509v3 URL CERT names: its DER, fetched (RFC 4738 3.8)."""
    try:
        text = bytes(url).decode("ascii")
    except UnicodeDecodeError:
        raise CertificateError(
            ErrorNo.INVALID_CERT, f"CERT URL {bytes(url)[:60]!r} is not ASCII (RFC 3986 2)"
        ) from None
    try:
        der = fetch(text)
    except FetchError as exc:
        raise CertificateError(
            ErrorNo.INVALID_CERT, f"CERT URL {text[:80]}: {exc} (RFC 4738 3.8)"
        ) from None
    return load_certificate(der)


def check_validity(cert: x509.Certificate, at: datetime) -> None:
    """`at` lies in the certificate's validity period (RFC 5280 4.1.2.5)."""
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        raise CertificateError(
            ErrorNo.INVALID_CERT,
            f"certificate {cert.subject.rfc4514_string()} valid from "
            f"{cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d}, "
            f"not at {at:%Y-%m-%d %H:%M} (RFC 5280 4.1.2.5)",
        )


def check_key_usage(cert: x509.Certificate, usage: Usage) -> None:
    """The key usage extension, when present, allows `usage` (RFC 5280 4.2.1.3)."""
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    allowed = ku.digital_signature if usage == Usage.SIGN else ku.key_encipherment
    if not allowed:
        bit = "digitalSignature" if usage == Usage.SIGN else "keyEncipherment"
        raise CertificateError(
            ErrorNo.INVALID_CERT,
            f"certificate key usage lacks {bit}, needed to {usage} (RFC 5280 4.2.1.3)",
        )


def check_chain(
    chain: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate], at: datetime
) -> None:
    """chain[0] chains, through chain[1:], to one of `anchors` at time `at` (4.3.2)."""
    if not anchors:
        raise CertificateError(ErrorNo.INVALID_CERT, "no trust anchor configured (RFC 3830 4.3.2)")
    verifier = (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(at)
        .extension_policies(
            ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all()
        )
        .build_client_verifier()
    )
    try:
        verifier.verify(chain[0], list(chain[1:]))
    except VerificationError as exc:
        raise CertificateError(
            ErrorNo.INVALID_CERT, f"no chain to a trust anchor: {exc} (RFC 3830 4.3.2)"
        ) from None


def identity_names(cert: x509.Certificate, id_type: IdType) -> list[str]:
    """The subjectAltName entries an ID of `id_type` is matched against (module doc)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    kind = x509.UniformResourceIdentifier if id_type == IdType.URI else x509.RFC822Name
    return [str(name) for name in san.get_values_for_type(kind)]


def check_identity(cert: x509.Certificate, ident: Id) -> None:
    """The ID payload names the certificate's subject (module doc); Invalid ID if not."""
    claimed = ident.data.decode("utf-8", "replace")
    names = identity_names(cert, ident.id_type)
    if claimed not in names:
        field = "URI" if ident.id_type == IdType.URI else "rfc822Name"
        raise CertificateError(
            ErrorNo.INVALID_ID,
            f"ID {claimed!r} is not a subjectAltName {field} of the certificate "
            f"({', '.join(names) or 'none'}) (RFC 3830 4.3, 6.7)",
        )


def authenticate(
    chain: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    at: datetime,
    usage: Usage,
    ident: Id | None = None,
) -> CertificatePublicKeyTypes:
    """Every check of the module doc on a peer's chain (end entity first); its public key."""
    if not chain:
        raise CertificateError(ErrorNo.INVALID_CERT, "no certificate for the peer (RFC 3830 4.3.1)")
    check_validity(chain[0], at)
    check_key_usage(chain[0], usage)
    check_chain(chain, anchors, at)
    if ident is not None:
        check_identity(chain[0], ident)
    return chain[0].public_key()


def cert_hash(func: HashFunc, der: bytes) -> bytes:
    """The CHASH Hash of a certificate: the hash of its DER encoding (6.8, Table 6.8)."""
    name = {HashFunc.SHA_1: "sha1", HashFunc.MD5: "md5"}.get(func)
    if name is None:
        raise CertificateError(ErrorNo.INVALID_HA, f"hash func {func} (RFC 3830 Table 6.8)")
    digest = hashlib.new(name, der, usedforsecurity=False).digest()
    assert len(digest) == HASH_LENGTH[func]
    return digest


def utc(unix_seconds: float) -> datetime:
    """A party's clock reading as the aware datetime chain validation takes."""
    return datetime.fromtimestamp(unix_seconds, UTC)
