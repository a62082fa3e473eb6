"""The Diffie-Hellman method, initiator side (RFC 3830 3.3, 4.5).

DH-HMAC's initiator (dhhmac_initiator) with SIGNi in the place of the KEMAC and
CERTi among the payloads (dh_common). `receive` checks the R_MESSAGE:

  decode, take_error, check_data_type (D-H resp), check_csb_id, check_payloads
  (T, [IDr], CERTr..., IDi, [DHr, DHi], SIGNr last; 3.3, 6.5), check_timestamp
  (T is the I_MESSAGE's, 3.3), check_identity (IDi ours, IDr the peer's),
  authenticate: check_certificate (CERTr, or the peer's chain known beforehand,
  passes mikey.pki: Invalid Cert / Invalid ID) and verify_signature (Auth
  failure); check_dh (Invalid DH).
"""

from __future__ import annotations

from collections import Counter

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys
from mikey.crypto.signature import signature_sign
from mikey.modes.base import Environment, Rejection
from mikey.modes.dh_common import DhSettings
from mikey.modes.dhhmac_common import r_message_identities
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.signing import (
    check_signature,
    sign_message,
    signature_length,
    signed_part,
    signer_key,
)
from mikey.pki import CertificateError, Usage, certificates_of
from mikey.wire import (
    Cert,
    CommonHeader,
    DataType,
    Dh,
    ErrorNo,
    GeneralExtension,
    Id,
    KeyData,
    Message,
    Payload,
    Rand,
    Sign,
    Timestamp,
    encode_message,
)

R_MESSAGE_PAYLOADS = (Timestamp, Id, Cert, Dh, GeneralExtension, Sign)


class DhInitiator(DhHmacInitiator):
    """Sends DH I_MESSAGEs and takes the responder's R_MESSAGEs."""

    i_message_type = DataType.DH_INIT
    r_message_type = DataType.DH_RESP

    def __init__(self, dh: DhSettings, env: Environment | None = None) -> None:
        super().__init__(dh.transport, env)
        self.dh = dh

    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        """HDR, T, RAND, [IDi], CERTi..., [IDr], {SP}, DHi, SIGNi (unsigned; 3.3, 4.5)."""
        s = self.settings
        t = self.env.timestamp(s.ts_type)
        id_i = (s.id_i,) if s.send_id_i and s.id_i is not None else ()
        id_r = (s.id_r,) if s.id_r is not None else ()
        dhi = (Dh(s.group, self.key_pair.public_value),) if self.key_pair else ()
        certs = self.dh.cert_payloads()
        length = signature_length(self.dh.credential.private_key())
        sign = Sign(self.dh.s_type, bytes(length))  # placeholder: the Signature len is known
        payloads: tuple[Payload, ...] = (
            t, *rand, *id_i, *certs, *id_r, *s.policies, *dhi, sign
        )  # fmt: skip
        return Message(hdr, payloads)

    def seal(self, msg: Message) -> bytes:
        """`msg` signed with SIGNi (5.2), recorded as the message sent; a forgery whose
        last payload is not SIGN is only encoded."""
        exchange = self._current()
        last = msg.payloads[-1] if msg.payloads else None
        if isinstance(last, Sign):
            key = self.dh.credential.private_key()
            data = sign_message(msg, last.s_type, key, self.dh.hash_name)
        else:
            data = encode_message(msg)
        exchange.sent = msg
        return data

    def unsealed_bytes(self) -> bytes:
        """The bytes the last message's signature covers (5.2)."""
        msg = self.unsealed_message()
        return signed_part(encode_message(msg), msg)

    def sign_over(self, data: bytes) -> bytes:
        """A signature of `data` under our key and S type (4.2.6), for forgeries."""
        key = self.dh.credential.private_key()
        return signature_sign(self.dh.s_type, key, data, self.dh.hash_name)

    # -- receiving -----------------------------------------------------------------------

    def authenticate(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        """CERTr authenticates the signer, whose SIGNr verifies (3.3, 4.3, 5.2)."""
        self.verify_signature(data, msg, self.check_certificate(msg))

    def check_payloads(self, msg: Message) -> None:
        """R_MESSAGE = HDR, T, [IDr|CERTr], IDi, [DHr, DHi], SIGNr: SIGN last (3.3, 6.5)."""
        counts = Counter(type(p) for p in msg.payloads)
        allowed = all(isinstance(p, R_MESSAGE_PAYLOADS) for p in msg.payloads)
        last_is_sign = bool(msg.payloads) and isinstance(msg.payloads[-1], Sign)
        if (
            not allowed
            or not last_is_sign
            or counts[Timestamp] != 1
            or counts[Sign] != 1
            or counts[Dh] not in (0, 2)
            or not 1 <= counts[Id] <= 2
        ):
            kinds = ", ".join(type(p).__name__ for p in msg.payloads)
            raise Rejection(ErrorNo.UNSPECIFIED, f"R_MESSAGE payloads {kinds} (RFC 3830 3.3)")

    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        """CERTr, or the responder's chain known beforehand, passes mikey.pki for IDr."""
        try:
            chain = certificates_of(msg.all(Cert), Usage.SIGN)
        except CertificateError as exc:
            raise Rejection(exc.error, exc.reason) from None
        if not chain and self.dh.peer is not None:
            chain = self.dh.peer.chain
        _, id_r = r_message_identities(msg)
        return signer_key(chain, self.dh.anchors, self.env, id_r or self.settings.id_r)

    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        """SIGNr over the whole R_MESSAGE but the Signature field (5.2), an S type we take."""
        sign = msg.payloads[-1]
        if isinstance(sign, Sign) and sign.s_type not in self.dh.accepted_s_types:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"S type {sign.s_type.name} (Table 6.5)")
        check_signature(data, msg, key, self.dh.hash_name)
