"""A test PKI, generated on first use: the certificates the public-key modes are tested with.

    root CA ("MIKEY Test Root")                       the trust anchor
      intermediate CA ("MIKEY Test Intermediate")
        initiator   SAN URI = the profile's IDi       digitalSignature, keyEncipherment
        responder   SAN URI = the profile's IDr       digitalSignature, keyEncipherment

and, for the adversarial cases, certificates a conformant party must refuse,
all for the initiator's or responder's own key (so a signature or PKE made
with it is otherwise good):

  expired            validity ended a year ago (RFC 5280 4.1.2.5)
  not_yet_valid      validity starts in a year
  wrong_key_usage    keyAgreement only: neither signs nor carries an envelope key
  unknown_ca         issued by a root that is no trust anchor
  identity_mismatch  SAN URI sip:mallory@mikey.test
  truncated          the good certificate's DER cut short (not a certificate)

Keys are 2048-bit RSA (the smallest the Web PKI chain profile takes). One PKI
per pair of identities per process (`test_pki`), about half a second to make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mikey.credentials import Credential, PkMaterial
from mikey.pki import der_of
from mikey.wire.payloads import Id
from suts.base import Profile

RSA_BITS = 2048
DAY = timedelta(days=1)
MALLORY = "sip:mallory@mikey.test"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mikey-conformance test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)


@dataclass(frozen=True)
class Issued:
    """A certificate with the key it certifies."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def _ca(
    name: str, key: rsa.RSAPrivateKey, issuer: Issued | None, now: datetime, depth: int
) -> Issued:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(issuer.cert.subject if issuer else _name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - 30 * DAY)
        .not_valid_after(now + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=depth), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    signer = issuer.key if issuer else key
    aki_source = issuer.cert.public_key() if issuer else key.public_key()
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_source),  # type: ignore[arg-type]
        critical=False,
    )
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def _end_entity(
    uri: str,
    key: rsa.RSAPrivateKey,
    issuer: Issued,
    not_before: datetime,
    not_after: datetime,
    usage: x509.KeyUsage,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(uri))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(uri)]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
        .sign(issuer.key, hashes.SHA256())
    )


GOOD_USAGE = x509.KeyUsage(True, False, True, False, False, False, False, False, False)
"""digitalSignature (SIGN, 6.5) and keyEncipherment (PKE, 6.3)."""
KEY_AGREEMENT_ONLY = x509.KeyUsage(False, False, False, False, True, False, False, False, False)


@dataclass(frozen=True)
class PartyCerts:
    """One party's good credential and the bad certificates for its key."""

    good: Credential
    expired: Credential
    not_yet_valid: Credential
    wrong_key_usage: Credential
    unknown_ca: Credential
    identity_mismatch: Credential
    truncated: bytes
    """The good end-entity certificate's DER, cut short."""


@dataclass(frozen=True)
class TestPki:
    """The whole test PKI (module doc)."""

    root: x509.Certificate
    intermediate: x509.Certificate
    initiator: PartyCerts
    responder: PartyCerts

    def material(self) -> PkMaterial:
        """The good credentials of both parties with the root as the one trust anchor."""
        return PkMaterial(self.initiator.good, self.responder.good, (self.root,))


def _party(uri: str, inter: Issued, rogue: Issued, now: datetime) -> PartyCerts:
    key = _key()
    chain_tail = (inter.cert,)

    def cred(cert: x509.Certificate, tail: tuple[x509.Certificate, ...] = chain_tail) -> Credential:
        return Credential((cert, *tail), key)

    good = _end_entity(uri, key, inter, now - DAY, now + 365 * DAY, GOOD_USAGE)
    return PartyCerts(
        good=cred(good),
        expired=cred(_end_entity(uri, key, inter, now - 730 * DAY, now - 365 * DAY, GOOD_USAGE)),
        not_yet_valid=cred(
            _end_entity(uri, key, inter, now + 365 * DAY, now + 730 * DAY, GOOD_USAGE)
        ),
        wrong_key_usage=cred(
            _end_entity(uri, key, inter, now - DAY, now + 365 * DAY, KEY_AGREEMENT_ONLY)
        ),
        unknown_ca=cred(
            _end_entity(uri, key, rogue, now - DAY, now + 365 * DAY, GOOD_USAGE), (rogue.cert,)
        ),
        identity_mismatch=cred(
            _end_entity(MALLORY, key, inter, now - DAY, now + 365 * DAY, GOOD_USAGE)
        ),
        truncated=der_of(good)[: len(der_of(good)) // 2],
    )


@cache
def test_pki(id_initiator: Id, id_responder: Id) -> TestPki:
    """The test PKI for these two identities (URIs), made once per process."""
    now = datetime.now(UTC).replace(microsecond=0)
    root = _ca("MIKEY Test Root", _key(), None, now, 1)
    inter = _ca("MIKEY Test Intermediate", _key(), root, now, 0)
    rogue = _ca("MIKEY Rogue Root", _key(), None, now, 1)
    uri_i = id_initiator.data.decode("utf-8")
    uri_r = id_responder.data.decode("utf-8")
    return TestPki(
        root.cert, inter.cert, _party(uri_i, inter, rogue, now), _party(uri_r, inter, rogue, now)
    )


test_pki.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
TestPki.__test__ = False  # type: ignore[attr-defined]


def pk_material(profile: Profile) -> PkMaterial:
    """The profile's public-key material, or else the test PKI's for its two identities."""
    if profile.pk is not None:
        return profile.pk
    return test_pki(profile.id_initiator, profile.id_responder).material()
