"""The public-key method, initiator side (RFC 3830 3.2, 4.5, 5.2).

    I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi  (3.2)
    I_MESSAGE = HDR, T, [IDi|CERTi], [IDr], {SP}, [KEMAC], [CHASH], PKE, SIGNi      (update, 4.5)
    R_MESSAGE = HDR, T, [IDr], V

The pre-shared key initiator with the public-key message (see pk_common):
every exchange, initial or update, draws a new envelope key (4.5: "the
Initiator MUST provide a new encrypted envelope key"), derives the KEMAC keys
from it (4.1.4), encrypts it under the responder's certified key into the PKE,
and signs the whole message with the initiator's key (SIGNi, 5.2). The
R_MESSAGE checks are the pre-shared key method's (3.2: V "is calculated in
the same way"), with data type PK ver msg and Identity_i the encrypted IDi.

`compose` / `compose_update` give the unsigned message (KEMAC complete, SIGN
a zero placeholder), `seal` signs any message and records it as sent, so a
test can alter a message and still sign it. `kemac_for` re-encrypts and
re-MACs a KEMAC with the exchange's keys for forgeries of its plaintext.
Before the first message the responder's certificate is checked like any
peer's (mikey.pki, for keyEncipherment and the configured IDr).

Envelope key caching (PkSettings.cache, the PKE's C; mikey.modes.pk_cache):
when the CSB is established the envelope key is kept as C asks, and an update
of a CSB with a kept key is a pre-shared key message keyed with it (4.5: "it
MUST NOT be a public key message"), made by the pre-shared key initiator with
the key as its PSK (`start_psk`); a C=1 key also keys new CSBs
(`start_with_cached_key`). `receive` hands the answer to such a message to
that initiator: a PSK ver msg with V keyed alike (3.1).
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys
from mikey.crypto.envelope import envelope_encrypt
from mikey.crypto.signature import signature_sign
from mikey.modes.base import Environment, Outcome, Rejection
from mikey.modes.pk_cache import EnvelopeKeyCache
from mikey.modes.pk_common import PkSettings, responder_identity, sealed_kemac
from mikey.modes.psk_common import message_keys, verification_trailer
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.modes.sealing import verify
from mikey.modes.signing import sign_message, signature_length, signed_part, signer_key
from mikey.pki import Usage, cert_hash, der_of
from mikey.wire import (
    Chash,
    CommonHeader,
    DataType,
    ErrorNo,
    HashFunc,
    Id,
    Kemac,
    KeyData,
    Message,
    Payload,
    Pke,
    PkeCache,
    Rand,
    Sign,
    Timestamp,
    Verification,
    encode_key_data_with_id,
    encode_message,
)


class PkInitiator(PskInitiator):
    """Sends public-key I_MESSAGEs and takes the responder's verification messages."""

    def __init__(self, pk: PkSettings, env: Environment | None = None) -> None:
        super().__init__(pk.transport, env)
        self.pk = pk
        self.env_key: bytes | None = None
        """The envelope key of the latest exchange (3.2)."""
        self.envelope_keys = EnvelopeKeyCache()
        self.psk_side: PskInitiator | None = None
        """The pre-shared key initiator of the latest exchange, when a cached key keys it."""
        initiator_id = pk.initiator_id or pk.transport.id_i
        if initiator_id is None:
            raise ValueError("the public-key method sends IDi encrypted (6.2): set initiator_id")
        self.initiator_id: Id = initiator_id
        if pk.peer is None:
            raise ValueError("the initiator needs the responder's certificate (RFC 3830 4.3.1)")
        try:
            self.responder_key: CertificatePublicKeyTypes = signer_key(
                pk.peer.chain, pk.anchors, self.env, pk.transport.id_r, Usage.ENCRYPT
            )
        except Rejection as exc:
            raise ValueError(f"the responder's certificate: {exc.reason}") from None

    # -- building --------------------------------------------------------------------------

    def _header(self, csb_id: int) -> CommonHeader:
        return replace(super()._header(csb_id), data_type=DataType.PK_INIT)

    def _keys(self, csb_id: int, rand: bytes) -> KemacKeys:
        """A fresh envelope key for this exchange and the KEMAC keys from it (3.2, 4.1.4)."""
        s = self.settings
        self.env_key = self.env.random(self.pk.env_key_len)
        return message_keys(self.env_key, csb_id, rand, s.encr_alg, s.mac_alg)

    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        s, pk = self.settings, self.pk
        t = self.env.timestamp(s.ts_type)
        kemac = self.kemac_for(hdr.csb_id, t, encode_key_data_with_id(self.initiator_id, key_data))
        certs = pk.cert_payloads() if pk.send_cert else ()
        id_i = (s.id_i,) if s.id_i is not None else ()
        # [IDr] alone would read as IDi (pk_common.clear_identities): only after IDi or CERTi.
        id_r = (s.id_r,) if s.id_r is not None and (id_i or certs) else ()
        chash: tuple[Payload, ...] = ()
        if pk.send_chash and pk.peer is not None:
            der = der_of(pk.peer.certificate)
            chash = (Chash(HashFunc.SHA_1, cert_hash(HashFunc.SHA_1, der)),)
        pke = Pke(pk.cache, envelope_encrypt(self.responder_key, self._env_key(), pk.envelope))
        sign = Sign(pk.s_type, bytes(signature_length(pk.credential.private_key())))
        payloads = (t, *rand, *id_i, *certs, *id_r, *s.policies, kemac, *chash, pke, sign)
        return Message(hdr, payloads)

    def kemac_for(self, csb_id: int, t: Timestamp, plain: bytes) -> Kemac:
        """KEMAC = E(encr_key, plain) || MAC over the KEMAC payload (3.2, 5.2, 6.2)."""
        s = self.settings
        t_64 = self.timestamp_input(t)
        return sealed_kemac(s.encr_alg, s.mac_alg, self._current().keys, csb_id, t_64, plain)

    def seal(self, msg: Message) -> bytes:
        """`msg` signed with SIGNi (5.2), recorded as the message sent; V=0 establishes now.

        A forgery whose last payload is not SIGN is only encoded.
        """
        exchange = self._current()
        if msg.payloads and isinstance(msg.payloads[-1], Sign):
            key = self.pk.credential.private_key()
            data = sign_message(msg, msg.payloads[-1].s_type, key, self.pk.hash_name)
        else:
            data = encode_message(msg)
        exchange.sent = msg
        if not msg.hdr.v:
            self._establish(exchange)
        return data

    def unsealed_bytes(self) -> bytes:
        """The bytes the last message's signature covers (5.2)."""
        msg = self.unsealed_message()
        return signed_part(encode_message(msg), msg)

    def sign_over(self, data: bytes) -> bytes:
        """A signature of `data` with the initiator's key, S type and hash (6.5)."""
        key = self.pk.credential.private_key()
        return signature_sign(self.pk.s_type, key, data, self.pk.hash_name)

    def _env_key(self) -> bytes:
        if self.env_key is None:
            raise ValueError("no exchange started")
        return self.env_key

    # -- envelope key caching (3.2, 4.5, Table 6.3) --------------------------------------

    def start_update(self, csb_id: int | None = None, new_keys: bool = True) -> bytes:
        """A sealed update of an established CSB (4.5), default the latest: a pre-shared key
        message keyed with the CSB's cached envelope key, else a PK message."""
        target = csb_id if csb_id is not None else self._latest_csb_id()
        cached = self.envelope_keys.for_update(target) if target is not None else None
        if cached is None:
            self.psk_side = None
            return super().start_update(csb_id, new_keys)
        return self.start_psk(cached.env_key, target, new_keys)

    def start_with_cached_key(self) -> bytes:
        """A pre-shared key I_MESSAGE for a new CSB keyed with the responder's C=1 key."""
        cached = self.envelope_keys.for_new_csb(self.settings.id_r)
        if cached is None:
            raise ValueError("no envelope key cached with C=1 (RFC 3830 Table 6.3)")
        data = self.start_psk(cached.env_key)
        csb_id = self._current().csb.csb_id
        self.envelope_keys.keep(csb_id, cached.cache, cached.env_key, cached.owner)
        return data

    def start_psk(
        self, env_key: bytes, update_of: int | None = None, new_keys: bool = True
    ) -> bytes:
        """A sealed pre-shared key I_MESSAGE with `env_key` as the pre-shared key (3.2, 4.5):
        an update of CSB `update_of`, or the initial message of a new CSB (None). It is
        the pre-shared key initiator's, sharing our CSBs and clock; its exchange is ours."""
        psk = PskInitiator(replace(self.settings, psk=env_key), self.env)
        psk.csbs = self.csbs
        data = psk.start() if update_of is None else psk.start_update(update_of, new_keys)
        self.exchange, self.psk_side = psk.exchange, psk
        return data

    def keep_envelope_key(self, csb_id: int, cache: PkeCache, env_key: bytes) -> None:
        """Keep the envelope key of an established CSB as C asks (3.2, Table 6.3)."""
        self.envelope_keys.keep(csb_id, cache, env_key, self.settings.id_r)

    def receive(self, data: bytes) -> Outcome:
        """The answer to the latest message: by the pre-shared key initiator that made it,
        when a cached envelope key keyed it, else as a PK exchange's."""
        if self.psk_side is not None and self.psk_side.exchange is self.exchange:
            return self.psk_side.receive(data)
        return super().receive(data)

    def _establish(self, exchange: Exchange) -> None:
        """Store the CSB; a PK message's envelope key is kept as its PKE's C asks."""
        super()._establish(exchange)
        pke = exchange.sent.first(Pke) if exchange.sent is not None else None
        if pke is not None and self.env_key is not None:
            self.keep_envelope_key(exchange.csb.csb_id, pke.cache, self.env_key)

    def _latest_csb_id(self) -> int | None:
        return self.exchange.csb.csb_id if self.exchange is not None else None

    # -- the verification message --------------------------------------------------------

    def check_data_type(self, msg: Message) -> None:
        if msg.hdr.data_type != DataType.PK_RESP:
            name = msg.hdr.data_type.name
            raise Rejection(ErrorNo.INVALID_DT, f"data type {name}, not PK_RESP (RFC 3830 6.1)")

    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        """V = MAC(R_MESSAGE || IDi || IDr || T) with auth_key from env_key (3.2, 5.2)."""
        v, kemac, t = msg.all(Verification), sent.all(Kemac), msg.first(Timestamp)
        if not v or not kemac or t is None or v[-1].auth_alg != kemac[-1].mac_alg:
            raise Rejection(ErrorNo.AUTH_FAILURE, "no V with the KEMAC's MAC alg (RFC 3830 5.2)")
        id_r = responder_identity(sent, msg)
        trailer = verification_trailer(self.initiator_id, id_r, self.timestamp_input(t))
        if not verify(data, msg, keys.auth_key, trailer):
            raise Rejection(ErrorNo.AUTH_FAILURE, "V does not verify (RFC 3830 3.2, 5.2)")
