"""MIKEY-RSA-R, initiator side (RFC 4738 3.4, 3.7): it asks for the TGK and takes it.

    I_MESSAGE = HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi   (3.1)

`receive` checks the R_MESSAGE, one overridable step each:

  decode            -> Unspecified error
  take_error        (an Error message: its own number; the exchange stays open)
  check_data_type   -> Invalid DT (not RSA-R R_MSG)
  check_csb_id      -> Unspecified error ("MUST be the same", 3.6)
  check_group_csb_id -> Unspecified error (GenExt(CSB_ID) in a group's only, 3.6)
  check_payloads    -> Unspecified error (T, KEMAC, PKE, SIGN once; SIGN last)
  check_timestamp   -> Invalid TS ("exactly the same as that received", 3.6)
  check_rand        -> silence (3.7: "MUST silently discard"; a group's: Unspecified)
  check_policies    -> silence (3.7: a policy not offered "MUST be discarded silently")
  check_certificate -> Invalid Cert / Invalid ID (CERTr or the known chain, IDr;
                       an X.509v3 URL CERTr fetched through env.fetch, 3.8)
  verify_signature  -> Auth failure (SIGNr over R_MESSAGE || IDi || IDr || T, 3.6)
  open_envelope     -> Auth failure (PKE = E(PKi, env_key))
  verify_mac        -> Auth failure (the KEMAC MAC, Next payload zero)
  decrypt_kemac     -> Auth failure / Unspecified error (not IDr || Key data)
  check_encrypted_idr -> Auth failure (the encrypted IDr is the clear or expected IDr)

A silent discard rejects the message (error None) and keeps waiting. RSA-R
defines no CSB update here: `start_update` refuses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import CryptoError, IntegrityError, KemacKeys, kemac_decrypt, mac_verify
from mikey.crypto.envelope import envelope_decrypt
from mikey.modes.base import Environment, Outcome, Rejection, TimestampInput
from mikey.modes.csb import Csb
from mikey.modes.error_message import error_numbers
from mikey.modes.pk_common import kemac_mac_input
from mikey.modes.psk_common import message_keys
from mikey.modes.rsar_common import PeerChain, RsaRSettings, new_csb_id, verify_r_message
from mikey.modes.signing import sign_message, signer_key
from mikey.pki import CertificateError, check_identity
from mikey.wire import (
    CommonHeader,
    DataType,
    DecodeError,
    EncrAlg,
    ErrorNo,
    Id,
    Kemac,
    KeyData,
    MacAlg,
    Message,
    Payload,
    Pke,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
    decode_key_data_with_id,
    decode_message,
)

R_MESSAGE_COUNTS = {Timestamp: 1, Kemac: 1, Pke: 1, Sign: 1}


class RsaRInitiator(TimestampInput):
    """Sends RSA-R I_MESSAGEs and takes the TGKs of the responder's R_MESSAGE."""

    def __init__(self, settings: RsaRSettings, env: Environment | None = None) -> None:
        self.pk = settings
        self.settings = settings.transport
        self.env = env if env is not None else Environment()
        self.csbs: dict[int, Csb] = {}
        self.sent: Message | None = None
        self.established: Csb | None = None
        self.keys: KemacKeys | None = None
        known = settings.peer.chain if settings.peer is not None else ()
        self.peer_chain = PeerChain(self.env.fetch, known)

    @property
    def csb(self) -> Csb | None:
        """The CSB of the latest exchange, once its R_MESSAGE was taken."""
        return self.established

    # -- sending -----------------------------------------------------------------------

    def compose(self, csb_id: int | None = None) -> Message:
        """An unsigned I_MESSAGE for a new CSB (3.4): V=1, RAND when configured; a group
        member's has no SP and #CS 0 (3.2, 3.4: it originates no RTP stream)."""
        s, group = self.settings, self.pk.group
        while csb_id is None or csb_id in self.csbs:  # "MUST check for collisions" (6.1)
            csb_id = int.from_bytes(self.env.random(4), "big")
        hdr = CommonHeader(DataType.RSA_R_INIT, csb_id, cs_map=() if group else s.cs_map, v=True)
        rand = (Rand(self.env.random(s.rand_len)),) if self.pk.initiator_rand else ()
        certs = self.pk.cert_payloads() if self.pk.send_cert else ()
        id_i = (s.id_i,) if s.id_i is not None else ()
        id_r = (s.id_r,) if s.id_r is not None and (id_i or certs) else ()
        t = self.env.timestamp(s.ts_type)
        sign = Sign(self.pk.s_type, b"")
        policies = () if group else s.policies
        payloads: tuple[Payload, ...] = (t, *rand, *id_i, *certs, *id_r, *policies, sign)
        self.established = None
        return Message(hdr, payloads)

    def seal(self, msg: Message) -> bytes:
        """`msg` signed with SIGNi (RFC 3830 5.2; 4738 3.4), recorded as the message sent."""
        key = self.pk.credential.private_key()
        data = sign_message(msg, self.pk.s_type, key, self.pk.hash_name)
        self.sent = decode_message(data)
        return data

    def start(self) -> bytes:
        return self.seal(self.compose())

    def start_update(self) -> bytes:
        raise ValueError("RSA-R defines no update exchange (RFC 4738 3)")

    # -- receiving ---------------------------------------------------------------------

    def receive(self, data: bytes) -> Outcome:
        """Take the R_MESSAGE (3.6, 3.7) or an Error message (RFC 3830 5.1.2)."""
        data = bytes(data)
        try:
            sent = self._awaiting()
            msg = self.decode(data)
            if msg.hdr.data_type == DataType.ERROR:
                self.take_error(msg, sent)
            self.check_data_type(msg)
            self.check_csb_id(msg, sent)
            csb_id = self.check_group_csb_id(msg)
            self.check_payloads(msg)
            self.check_timestamp(msg, sent)
            self.check_rand(msg, sent)
            self.check_policies(msg, sent)
            key = self.check_certificate(msg)
            self.verify_signature(data, msg, sent, key)
            env_key = self.open_envelope(msg)
            rand = self._rand(msg, sent)
            keys = message_keys(env_key, csb_id, rand, *self._algorithms(msg))
            self.verify_mac(msg, keys)
            id_r, key_data = self.decrypt_kemac(msg, keys, csb_id)
            self.check_encrypted_idr(id_r, msg)
        except Rejection as rejection:
            return Outcome(False, rejection.error, rejection.reason)
        policies = tuple(msg.all(SecurityPolicy)) or tuple(sent.all(SecurityPolicy))
        csb = Csb.initial(replace(msg.hdr, csb_id=csb_id), rand, key_data, policies)
        self.csbs[csb.csb_id] = self.established = csb
        self.keys = keys
        return Outcome(True, None, f"CSB {csb.csb_id:#010x} established (RFC 4738 3.7)")

    def decode(self, data: bytes) -> Message:
        try:
            return decode_message(data)
        except DecodeError as exc:
            raise Rejection(ErrorNo.UNSPECIFIED, f"does not decode: {exc}") from None

    def take_error(self, msg: Message, sent: Message) -> None:
        numbers = error_numbers(msg)
        error = numbers[0] if numbers else ErrorNo.UNSPECIFIED
        names = ", ".join(n.name for n in numbers) or "no ERR payload"
        raise Rejection(error, f"the responder reports {names} (RFC 3830 5.1.2)")

    def check_data_type(self, msg: Message) -> None:
        if msg.hdr.data_type != DataType.RSA_R_RESP:
            name = msg.hdr.data_type.name
            raise Rejection(ErrorNo.INVALID_DT, f"data type {name}, not RSA-R R_MSG (4738 3.9.1)")

    def check_csb_id(self, msg: Message, sent: Message) -> None:
        if msg.hdr.csb_id != sent.hdr.csb_id:
            raise Rejection(ErrorNo.UNSPECIFIED, "another CSB ID than the I_MESSAGE's (4738 3.6)")

    def check_group_csb_id(self, msg: Message) -> int:
        """The CSB ID the keys take: a group's GenExt(CSB_ID), which only a group R_MESSAGE
        carries (3.6: "MUST NOT be present in case of unicast"), else the HDR's."""
        try:
            new = new_csb_id(msg)
        except ValueError as exc:
            raise Rejection(ErrorNo.UNSPECIFIED, str(exc)) from None
        if self.pk.group and new is None:
            raise Rejection(ErrorNo.UNSPECIFIED, "no GenExt(CSB_ID) for the group (4738 3.6)")
        if not self.pk.group and new is not None:
            raise Rejection(ErrorNo.UNSPECIFIED, "GenExt(CSB_ID) in unicast (RFC 4738 3.6)")
        return msg.hdr.csb_id if new is None else new

    def check_payloads(self, msg: Message) -> None:
        counts = Counter(type(p) for p in msg.payloads)
        wrong = [k.__name__ for k, n in R_MESSAGE_COUNTS.items() if counts[k] != n]
        if wrong or counts[Rand] > 1 or not isinstance(msg.payloads[-1], Sign):
            raise Rejection(ErrorNo.UNSPECIFIED, f"R_MESSAGE payloads wrong ({wrong}; 4738 3.1)")

    def check_timestamp(self, msg: Message, sent: Message) -> None:
        if msg.first(Timestamp) != sent.first(Timestamp):
            raise Rejection(ErrorNo.INVALID_TS, "T is not the I_MESSAGE's (RFC 4738 3.6)")

    def check_rand(self, msg: Message, sent: Message) -> None:
        """RAND from exactly one side (3.7: otherwise "MUST silently discard"); in a group
        from the responder, whatever the I_MESSAGE had (3.5: "MUST contain a RAND")."""
        if self.pk.group:
            if msg.first(Rand) is None:
                raise Rejection(ErrorNo.UNSPECIFIED, "no RAND for the group (RFC 4738 3.5)")
            return
        if (msg.first(Rand) is None) == (sent.first(Rand) is None):
            raise Rejection(None, "RAND in both or neither message: discarded (RFC 4738 3.7)")

    def check_policies(self, msg: Message, sent: Message) -> None:
        offered = sent.all(SecurityPolicy)
        if self.pk.group and not msg.all(SecurityPolicy):
            raise Rejection(ErrorNo.UNSPECIFIED, "no SP for the group (RFC 4738 3.2)")
        if offered and any(p not in offered for p in msg.all(SecurityPolicy)):
            raise Rejection(None, "an SP that was not offered: discarded (RFC 4738 3.7)")

    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        """CERTr, or the responder's known chain, for the expected or claimed IDr (3.6)."""
        chain = self._chain(msg)
        return signer_key(chain, self.pk.anchors, self.env, self._expected_idr(msg))

    def verify_signature(
        self, data: bytes, msg: Message, sent: Message, key: CertificatePublicKeyTypes
    ) -> None:
        if not verify_r_message(data, msg, sent, key, self.pk.hash_name):
            raise Rejection(ErrorNo.AUTH_FAILURE, "SIGNr does not verify (RFC 4738 3.6)")

    def open_envelope(self, msg: Message) -> bytes:
        """env_key = D(SKi, PKE Data) (4738 3.6)."""
        pke = msg.all(Pke)[0]
        try:
            return envelope_decrypt(self.pk.credential.private_key(), pke.data, self.pk.envelope)
        except CryptoError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"{exc} (RFC 4738 3.6)") from None

    def verify_mac(self, msg: Message, keys: KemacKeys) -> None:
        kemac = msg.all(Kemac)[0]
        if not mac_verify(kemac.mac_alg, keys.auth_key, kemac_mac_input(kemac), kemac.mac):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the KEMAC MAC does not verify (4738 3.6)")

    def decrypt_kemac(
        self, msg: Message, keys: KemacKeys, csb_id: int
    ) -> tuple[Id, tuple[KeyData, ...]]:
        kemac, t = msg.all(Kemac)[0], msg.all(Timestamp)[0]
        try:
            t_64 = self.timestamp_input(t)
            plain = kemac_decrypt(kemac.encr_alg, keys, csb_id, t_64, kemac.encr_data)
            id_r, key_data = decode_key_data_with_id(plain)
        except IntegrityError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"AES key wrap: {exc}") from None
        except (DecodeError, CryptoError) as exc:
            raise Rejection(ErrorNo.UNSPECIFIED, f"KEMAC is not IDr || Key data: {exc}") from None
        if not key_data:
            raise Rejection(ErrorNo.UNSPECIFIED, "no TGK in the R_MESSAGE (RFC 4738 3.6)")
        return id_r, key_data

    def check_encrypted_idr(self, id_r: Id, msg: Message) -> None:
        """The encrypted IDr is the responder's (as 3.2 of RFC 3830 wants of IDi)."""
        expected = self._expected_idr(msg)
        if expected is not None and id_r != expected:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"encrypted IDr {id_r.data!r} (4738 3.6)")
        if expected is None:
            try:
                check_identity(self._chain(msg)[0], id_r)
            except CertificateError as exc:
                raise Rejection(ErrorNo.AUTH_FAILURE, f"encrypted IDr: {exc.reason}") from None

    # -- internals ---------------------------------------------------------------------

    def _expected_idr(self, msg: Message) -> Id | None:
        """The configured IDr (a policy, 4738 3.4), else the R_MESSAGE's clear IDr."""
        return self.settings.id_r or msg.first(Id)

    def _chain(self, msg: Message) -> tuple[x509.Certificate, ...]:
        return self.peer_chain.of(msg)

    def _rand(self, msg: Message, sent: Message) -> bytes:
        """The I_MESSAGE's RAND, else the R_MESSAGE's (3.5); a group's is the R_MESSAGE's:
        the I_MESSAGE's "MUST NOT be used for MIKEY key generation" (3.4)."""
        rand = msg.first(Rand) if self.pk.group else sent.first(Rand) or msg.first(Rand)
        assert rand is not None  # check_rand ran
        return rand.rand

    @staticmethod
    def _algorithms(msg: Message) -> tuple[EncrAlg, MacAlg]:
        kemac = msg.all(Kemac)[0]
        return kemac.encr_alg, kemac.mac_alg

    def _awaiting(self) -> Message:
        if self.sent is None or self.established is not None:
            raise Rejection(ErrorNo.UNSPECIFIED, "no I_MESSAGE awaits an R_MESSAGE (4738 3.1)")
        return self.sent
