"""What both sides of the Diffie-Hellman method share (RFC 3830 3.3, 4.5, 5.2, 6.5).

    I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi
    R_MESSAGE = HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr
    update:     HDR, T, [IDi|CERTi], [IDr], {SP}, [DHi], SIGNi / ..., [DHr, DHi], SIGNr (4.5)

It is DH-HMAC's exchange (mikey.modes.dhhmac_*) with SIGN in the place of the
KEMAC: the machines subclass DH-HMAC's, and the readings of dhhmac_common hold
(T echoed, the TGK g^(xi*xr), V ignored: "the response is MANDATORY", 6.1).
Readings of our own:

- SIGN covers the whole message but the Signature field (5.2; mikey.modes.signing,
  as the PK method reads it), with the signer's RSA key (4.2.6: PKCS#1 v1.5
  mandatory, PSS recommended); the signer is authenticated by its certificate
  chain (4.3, mikey.pki), sent as CERT payloads, one per certificate (6.7).
- Identities: the I_MESSAGE's as the PK method reads them
  (pk_common.clear_identities: IDs before the first CERT are IDi then IDr, an
  ID after CERTi is IDr); the R_MESSAGE's as DH-HMAC reads them (its mandatory
  IDi is the last ID payload, an ID before it IDr). The reference sends IDi,
  CERTi, IDr and IDr, CERTr, IDi: "The ID fields and certificate SHOULD be
  included" (3.3).
- `DhSettings.transport` carries identities, group, policies, CS map, T and
  RAND as DhHmacSettings; its `psk` is not used (as in PkSettings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography import x509

from mikey.credentials import Credential
from mikey.crypto.signature import DEFAULT_HASH
from mikey.modes.dhhmac_common import DhHmacSettings
from mikey.pki import der_of
from mikey.wire import Cert, CertType, SignType


@dataclass(frozen=True)
class DhSettings:
    """One party's configuration for the DH method.

    `credential` is the party's own chain and signing key; `peer` the other
    party's chain when known beforehand (used when a message carries no CERT,
    3.3: the peer "can obtain the certificate in some other manner"); `anchors`
    the trusted roots (4.3.2). `send_cert` False leaves the own CERT payloads out.
    """

    transport: DhHmacSettings
    credential: Credential
    anchors: tuple[x509.Certificate, ...]
    peer: Credential | None = None
    s_type: SignType = SignType.RSA_PKCS1_1_5
    hash_name: str = DEFAULT_HASH
    send_cert: bool = True
    accepted_s_types: frozenset[SignType] = field(default_factory=lambda: frozenset(SignType))

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchors", tuple(self.anchors))

    def cert_payloads(self) -> tuple[Cert, ...]:
        """The own chain, one CERT payload per certificate (6.7); none if not sent."""
        if not self.send_cert:
            return ()
        return tuple(Cert(CertType.X509V3, der_of(c)) for c in self.credential.chain)
