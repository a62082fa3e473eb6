"""What both sides of the public-key method share (RFC 3830 3.2, 4.1.4, 5.2, 6.2, 6.3).

    I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi
    R_MESSAGE = HDR, T, [IDr], V

Readings where RFC 3830 leaves room:

- Key transport is the pre-shared key method's with the envelope key in the
  place of the pre-shared key: 4.1.4 derives encr_key, auth_key and salt_key
  from env_key (3.2), and V "is calculated in the same way as in the
  pre-shared key mode" (3.2). So PkSettings wraps a PskSettings (`transport`)
  for identities, algorithms, policies and Key data; its `psk` is not used.
- KEMAC Encr data = E(encr_key, IDi || {TGK}) (3.2): the initiator's ID
  payload, then the Key data chain (6.2; mikey.wire.encode_key_data_with_id).
  Its MAC covers the KEMAC payload only, but its MAC field, with the Next
  payload field set to zero (5.2, 6.2): `kemac_mac_input`.
- SIGNi covers the whole message but the Signature field (mikey.modes.signing).
- The PKE Data is E(PKr, env_key) with the agreed RSA scheme (4.2.5); the
  envelope key is `env_key_len` random bytes (16: the 128-bit keys of 4.2.3).
- CHASH is the SHA-1 hash of the DER of the responder certificate whose key
  encrypted the PKE (3.2: "the Initiator can indicate the key used in the
  CHASH payload", 6.8).
- Clear identities: the ID payloads before the first CERT are IDi then IDr;
  an I_MESSAGE carrying CERTi "instead of" IDi ([IDi|CERTi], 3.2) has its IDr
  after the certificates. The reference initiator sends IDi, CERTi (its chain,
  one CERT per certificate, 6.7), IDr: "the cleartext ID fields and
  certificate SHOULD be included" (3.2).
- The verification MAC trailer Identity_i || Identity_r || Timestamp (5.2)
  takes Identity_i from the encrypted IDi, which is always sent (6.2) and
  MUST equal the expected IDi (3.2), so it is defined even when the clear IDi
  is left out; Identity_r and T as in the pre-shared key method (psk_common).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cryptography import x509

from mikey.credentials import Credential
from mikey.crypto import KemacKeys, kemac_encrypt, mac
from mikey.crypto.envelope import EnvelopeScheme
from mikey.crypto.signature import DEFAULT_HASH
from mikey.modes.psk_common import PskSettings, identities
from mikey.pki import der_of
from mikey.wire import (
    MAC_LENGTH,
    Cert,
    CertType,
    EncrAlg,
    Id,
    Kemac,
    MacAlg,
    Message,
    PayloadType,
    PkeCache,
    SignType,
    encode_payload,
)


@dataclass(frozen=True)
class PkSettings:
    """One party's configuration for the public-key method.

    `credential` is the party's own chain and private key; `peer` the other
    party's chain when known beforehand (the initiator needs the responder's
    certificate to encrypt the PKE, 4.3.1; a responder uses it when the
    I_MESSAGE carries no CERTi); `anchors` the trusted roots (4.3.2).
    `initiator_id` is IDi as the KEMAC carries it (the initiator's own; what a
    responder expects, or None to take the identity its certificate names).
    """

    transport: PskSettings
    credential: Credential
    anchors: tuple[x509.Certificate, ...]
    peer: Credential | None = None
    initiator_id: Id | None = None
    s_type: SignType = SignType.RSA_PKCS1_1_5
    hash_name: str = DEFAULT_HASH
    envelope: EnvelopeScheme = EnvelopeScheme.PKCS1_V1_5
    cache: PkeCache = PkeCache.NO_CACHE
    env_key_len: int = 16
    send_cert: bool = True
    send_chash: bool = True
    accepted_s_types: frozenset[SignType] = field(default_factory=lambda: frozenset(SignType))
    cert_urls: tuple[str, ...] = ()
    """URLs naming the own chain's certificates: CERT payloads of type X.509v3 URL (Table
    6.7.b; RFC 4738 3.8's default in RSA-R) in place of the DER."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchors", tuple(self.anchors))
        if not 16 <= self.env_key_len <= 64:
            raise ValueError("the envelope key is 16 to 64 bytes here (4.1.4 takes any length)")

    def cert_payloads(self) -> tuple[Cert, ...]:
        """CERTi: the own chain, one CERT payload per certificate (6.7), or per URL."""
        if self.cert_urls:
            return tuple(Cert(CertType.X509V3_URL, url.encode("ascii")) for url in self.cert_urls)
        return tuple(Cert(CertType.X509V3, der_of(c)) for c in self.credential.chain)


def sealed_kemac(
    encr_alg: EncrAlg, mac_alg: MacAlg, keys: KemacKeys, csb_id: int, t_64: int, plain: bytes
) -> Kemac:
    """KEMAC = E(encr_key, plain) || MAC over the KEMAC payload (3.2, 5.2, 6.2; RFC 4738 3.6);
    `t_64` is T as its 64-bit number (4.2.3, mikey.ntp.ts_value_64)."""
    encr = kemac_encrypt(encr_alg, keys, csb_id, t_64, plain)
    kemac = Kemac(encr_alg, encr, mac_alg, bytes(MAC_LENGTH[mac_alg]))
    return replace(kemac, mac=mac(mac_alg, keys.auth_key, kemac_mac_input(kemac)))


def kemac_mac_input(kemac: Kemac) -> bytes:
    """The bytes the public-key KEMAC MAC covers: the payload with Next payload zero,
    without its MAC field (5.2, 6.2)."""
    n = MAC_LENGTH[kemac.mac_alg]
    zero = replace(kemac, mac=bytes(n))
    data = encode_payload(zero, PayloadType.LAST)
    return data[: len(data) - n]


def clear_identities(msg: Message) -> tuple[Id | None, Id | None]:
    """(IDi, IDr) as the I_MESSAGE carries them in clear (module doc)."""
    first_cert = next((i for i, p in enumerate(msg.payloads) if isinstance(p, Cert)), None)
    if first_cert is None:
        return identities(msg)
    before = [p for p in msg.payloads[:first_cert] if isinstance(p, Id)]
    after = [p for p in msg.payloads[first_cert:] if isinstance(p, Id)]
    id_i = before[0] if before else None
    rest = before[1:] + after
    return id_i, rest[0] if rest else None


def responder_identity(i_message: Message, r_message: Message | None) -> Id | None:
    """Identity_r of the verification MAC: the R_MESSAGE's IDr, else the I_MESSAGE's (5.2)."""
    answered = r_message.first(Id) if r_message is not None else None
    return answered if answered is not None else clear_identities(i_message)[1]
