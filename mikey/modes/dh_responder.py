"""The Diffie-Hellman method, responder side (RFC 3830 3.3, 4.5, 5.3).

DH-HMAC's responder (dhhmac_responder) with a signature in the place of the
HMAC. `process` runs 5.3's procedure:

  decode, check_data_type (D-H init), check_version_prf
  check_payloads      -> Unspecified error (T, SIGN once, SIGN last; 3.3, 6.5)
  check_timestamp     -> Invalid TS;  check_replay -> silence
  check_identity      -> Invalid ID (a clear IDi/IDr that is not the configured one)
  check_certificate   -> Invalid Cert / Invalid ID (CERTi, or the initiator's chain
                         known beforehand, through mikey.pki)
  verify_signature    -> Auth failure
  check_csb           -> Unspecified error
  remember            (the replay cache, once the signature verified)
  check_dh, check_policies, agree, establish, and the signed R_MESSAGE (always:
  "The V flag SHALL be ignored ... the response is MANDATORY", 6.1).

Error messages are not signed (5.1.2 makes SIGNr optional in them).
"""

from __future__ import annotations

from collections import Counter

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair
from mikey.modes.base import Environment, Rejection
from mikey.modes.dh_common import DhSettings
from mikey.modes.dhhmac_common import tgk_key_data
from mikey.modes.dhhmac_responder import DhHmacResponder
from mikey.modes.pk_common import clear_identities
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Incoming
from mikey.modes.signing import check_signature, sign_message, signature_length, signer_key
from mikey.pki import CertificateError, Usage, certificates_of
from mikey.wire import (
    Cert,
    DataType,
    Dh,
    ErrorNo,
    GeneralExtension,
    Id,
    Message,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
)

I_MESSAGE_PAYLOADS = (Timestamp, Rand, Id, Cert, SecurityPolicy, Dh, GeneralExtension, Sign)
"""HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi (3.3); General Ext. anywhere (6.15)."""


class DhResponder(DhHmacResponder):
    """Takes DH I_MESSAGEs (initial and update) and answers them, signed."""

    data_types = frozenset({DataType.DH_INIT})
    response_type = DataType.DH_RESP

    def __init__(
        self, dh: DhSettings, env: Environment | None = None, replay: ReplayCache | None = None
    ) -> None:
        super().__init__(dh.transport, env, replay)
        self.dh = dh

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        data = incoming.data
        msg = incoming.msg = self.decode(data)
        self.check_data_type(msg)
        self.check_version_prf(msg)
        self.check_payloads(msg)
        self.check_timestamp(msg)
        self.check_replay(data, msg)
        self.check_identity(msg)
        self.verify_signature(data, msg, self.check_certificate(msg))
        prior = self.check_csb(msg)
        self.remember(data, msg)
        dhi = self.check_dh(msg, prior)
        self.check_policies(msg)
        pair, tgk = self.agree(dhi)
        csb = self.establish(msg, tgk_key_data(tgk) if tgk else (), prior)
        self.last_message, self.last_key_pair = msg, pair
        what = "updated (RFC 3830 4.5)" if prior else "established (RFC 3830 3.3)"
        return self.response(msg, None, pair), f"CSB {csb.csb_id:#010x} {what}"

    # -- checks ------------------------------------------------------------------------

    def check_payloads(self, msg: Message) -> None:
        """T and SIGN once, SIGN last; at most one RAND and DHi, two IDs (3.3, 4.5, 6.5)."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in a DH I_MESSAGE (RFC 3830 3.3)")
        counts = Counter(type(p) for p in msg.payloads)
        if counts[Timestamp] != 1 or counts[Sign] != 1:
            raise Rejection(ErrorNo.UNSPECIFIED, "not one T and one SIGN (RFC 3830 3.3)")
        if counts[Rand] > 1 or counts[Dh] > 1 or counts[Id] > 2:
            raise Rejection(ErrorNo.UNSPECIFIED, "more RAND, DH or ID payloads than 3.3 allows")
        if not isinstance(msg.payloads[-1], Sign):
            raise Rejection(ErrorNo.UNSPECIFIED, "SIGN is not the last payload (RFC 3830 6.5)")

    def read_identities(self, msg: Message) -> tuple[Id | None, Id | None]:
        return clear_identities(msg)

    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        """CERTi, or the initiator's chain known beforehand, passes mikey.pki for IDi."""
        try:
            chain = certificates_of(msg.all(Cert), Usage.SIGN)
        except CertificateError as exc:
            raise Rejection(exc.error, exc.reason) from None
        if not chain and self.dh.peer is not None:
            chain = self.dh.peer.chain
        id_i, _ = self.read_identities(msg)
        return signer_key(chain, self.dh.anchors, self.env, id_i or self.settings.id_i)

    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        """SIGNi over the whole I_MESSAGE but the Signature field (5.2), an S type we take."""
        sign = msg.payloads[-1]
        if isinstance(sign, Sign) and sign.s_type not in self.dh.accepted_s_types:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"S type {sign.s_type.name} (Table 6.5)")
        check_signature(data, msg, key, self.dh.hash_name)

    # -- answering ---------------------------------------------------------------------

    def response(self, msg: Message, keys: KemacKeys | None, pair: DhKeyPair | None) -> bytes:
        """The signed R_MESSAGE (3.3)."""
        return self.reseal(self.compose_response(msg, pair))

    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        """R_MESSAGE = HDR, T, [IDr], CERTr..., IDi, [DHr, DHi], SIGNr, unsigned (3.3)."""
        hdr, t, id_r, id_i, dh = self.response_parts(i_message, pair)
        certs = self.dh.cert_payloads()
        length = signature_length(self.dh.credential.private_key())
        sign = Sign(self.dh.s_type, bytes(length))  # placeholder: the Signature len is known
        return Message(hdr, (t, *id_r, *certs, id_i, *dh, sign))

    def reseal(self, r_message: Message, keys: KemacKeys | None = None) -> bytes:
        """`r_message` signed with our key (5.2); a forgery without SIGN last gets one."""
        key = self.dh.credential.private_key()
        return sign_message(r_message, self.dh.s_type, key, self.dh.hash_name)
