"""What both sides of MIKEY-RSA-R share (RFC 4738 3).

    I_MESSAGE = HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi
    R_MESSAGE = HDR, [GenExt(CSB_ID)], T, [RAND], [IDr|CERTr], [SP], KEMAC, PKE, SIGNr

The public-key method in reverse (RFC 4738 3.1): the responder chooses the
TGK and returns it under keys derived from an envelope key (RFC 3830 4.1.4)
that it encrypts with the initiator's certified public key. The pieces are
those of the public-key method (pk_common): RsaRSettings is a PkSettings with
the RSA-R options, the KEMAC is E(encr_key, IDr || {TGK}) || MAC over the
KEMAC payload with Next payload zero (RFC 4738 3.6), PKE = E(PKi, env_key).

Readings:
- SIGNi follows RFC 3830 5.2 (mikey.modes.signing: everything but the
  Signature field). SIGNr is over "R_MESSAGE (excluding the SIGNr payload
  itself) || IDi || IDr || T" (RFC 4738 3.6): the R_MESSAGE bytes before the
  SIGN payload, then the identities and T as the verification MAC's trailer
  (psk_common.verification_trailer). "The added identities and timestamp are
  identical to those transported in the ID and T payloads" (3.6): IDi is the
  I_MESSAGE's clear IDi, IDr the R_MESSAGE's clear IDr (else the I_MESSAGE's);
  one that no message carries adds nothing, so both sides agree on the bytes.
- The RAND comes from exactly one side in unicast (3.6): from the I_MESSAGE
  when it has one (3.4 SHOULD), else from the R_MESSAGE.
- A peer's chain is its CERT payloads (an X.509v3 URL one, "the default method
  in RSA-R mode", fetched through the Environment's fetch, 3.8), else the chain
  known beforehand (3.4, 3.6: the peer "can obtain the certificate in some
  other manner"). It is had once per message: the signature, the identity and
  the envelope key all rest on the one certificate fetched.
- Group mode (3.2) is a setting of both parties (the initiator knows it asks a
  group's key distributor, section 4). The member's I_MESSAGE has no SP (3.2)
  and #CS 0, as a listen-only member's (3.4). The R_MESSAGE carries GenExt(CSB_ID)
  with the group's CSB ID, 32 bits as in the HDR (RFC 3830 6.1), while its HDR
  keeps the I_MESSAGE's (3.6), and always RAND and SP (3.2). "If a new CSB_ID is
  present ..., the Initiator and the Responder MUST use that value in key
  material computation" (3.6): the KEMAC keys, its IV (RFC 3830 4.2.3) and the
  TEKs all take the new CSB ID; RAND is the R_MESSAGE's, never the I_MESSAGE's
  (3.4, 3.5). Every member gets the one group CSB: "all the members MUST use the
  same CSB_ID and CS ID" (3.6). The 3.7 RAND rules are unicast's.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)

from mikey.crypto import CryptoError
from mikey.crypto.signature import signature_sign, signature_verify
from mikey.modes.base import Rejection
from mikey.modes.pk_common import PkSettings, clear_identities
from mikey.modes.psk_common import verification_trailer
from mikey.modes.signing import signature_length, unsigned
from mikey.ntp import ts_value_64
from mikey.pki import CertificateError, Fetch, Usage, certificates_of
from mikey.wire import (
    Cert,
    GeneralExtension,
    GeneralExtType,
    Id,
    Message,
    Sign,
    SignType,
    Timestamp,
    encode_message,
    payload_offsets,
)


@dataclass
class PeerChain:
    """The peer's certificate chain of the message at hand (module doc), had once."""

    fetch: Fetch | None
    known: tuple[x509.Certificate, ...] = ()
    _last: tuple[Message, tuple[x509.Certificate, ...]] | None = None

    def of(self, msg: Message) -> tuple[x509.Certificate, ...]:
        """`msg`'s CERTs (URLs fetched), else the known chain; Rejection if unusable."""
        if self._last is not None and self._last[0] is msg:
            return self._last[1]
        try:
            chain = certificates_of(msg.all(Cert), Usage.SIGN, self.fetch) or self.known
        except CertificateError as exc:
            raise Rejection(exc.error, exc.reason) from None
        self._last = (msg, chain)
        return chain


@dataclass(frozen=True)
class RsaRSettings(PkSettings):
    """PkSettings plus RSA-R's options: whether the initiator sends RAND (3.4), and group
    mode (module doc): the initiator asks for a group's keys, the responder gives them."""

    initiator_rand: bool = True
    group: bool = False


def csb_id_extension(csb_id: int) -> GeneralExtension:
    """GenExt(CSB_ID): the group's CSB ID in an R_MESSAGE (3.6, Table 6.15 of 3.9.3)."""
    return GeneralExtension(GeneralExtType.CSB_ID, csb_id.to_bytes(4, "big"))


def new_csb_id(msg: Message) -> int | None:
    """The CSB ID of the R_MESSAGE's GenExt(CSB_ID), None without one; ValueError when
    there are two, or it is not 32 bits."""
    found = [e for e in msg.all(GeneralExtension) if e.ext_type == GeneralExtType.CSB_ID]
    if len(found) > 1 or (found and len(found[0].data) != 4):
        raise ValueError("GenExt(CSB_ID) is not one 32-bit CSB ID (RFC 4738 3.6)")
    return int.from_bytes(found[0].data, "big") if found else None


def exchange_identities(i_message: Message, r_message: Message) -> tuple[Id | None, Id | None]:
    """(IDi, IDr) of the SIGNr input, as the two messages carry them in clear (module doc)."""
    id_i, id_r = clear_identities(i_message)
    answered = r_message.first(Id)  # [IDr|CERTr]: the R_MESSAGE's only ID payload
    return id_i, answered if answered is not None else id_r


def sign_r_input(data: bytes, r_message: Message, i_message: Message) -> bytes:
    """R_MESSAGE (excluding the SIGNr payload) || IDi || IDr || T (RFC 4738 3.6)."""
    if not r_message.payloads or not isinstance(r_message.payloads[-1], Sign):
        raise ValueError("SIGNr must be the last payload (RFC 3830 6.5)")
    t = r_message.first(Timestamp)
    if t is None:
        raise ValueError("an R_MESSAGE without T (RFC 4738 3.6)")
    start = payload_offsets(r_message)[-1]
    id_i, id_r = exchange_identities(i_message, r_message)
    return data[:start] + verification_trailer(id_i, id_r, ts_value_64(t))


def sign_r_message(
    r_message: Message, i_message: Message, s_type: SignType, key: PrivateKeyTypes, hash_name: str
) -> bytes:
    """The R_MESSAGE with SIGNr (its last payload, a placeholder, or appended) made (3.6)."""
    placeholder = unsigned(r_message, s_type, signature_length(key))
    data = encode_message(placeholder)
    signature = signature_sign(s_type, key, sign_r_input(data, placeholder, i_message), hash_name)
    return data[: len(data) - len(signature)] + signature


def verify_r_message(
    data: bytes,
    r_message: Message,
    i_message: Message,
    key: CertificatePublicKeyTypes,
    hash_name: str,
) -> bool:
    """Whether the R_MESSAGE's SIGNr verifies under `key` (3.6, 3.7)."""
    sign = r_message.payloads[-1] if r_message.payloads else None
    if not isinstance(sign, Sign):
        return False
    try:
        covered = sign_r_input(data, r_message, i_message)
        return signature_verify(sign.s_type, key, covered, sign.signature, hash_name)
    except (CryptoError, ValueError):
        return False
