"""The public-key method, responder side (RFC 3830 3.2, 4.5, 5.3).

`process` runs RFC 3830 5.3's procedure for a PK I_MESSAGE, one overridable
step each (the pre-shared key responder's steps where they are the same):

  decode, check_data_type, check_version_prf   (as in the pre-shared key method)
  check_payloads        -> Unspecified error (T, KEMAC, PKE, SIGN once; SIGN last, 6.5)
  check_timestamp       -> Invalid TS
  check_replay          -> silence (discard)
  check_clear_identities -> Invalid ID (a clear IDi/IDr that is not the configured one)
  check_certificate     -> Invalid Cert / Invalid ID (mikey.pki: CERTi or the known chain)
  verify_signature      -> Auth failure (SIGNi, 5.2, 5.3)
  check_chash           -> Invalid Cert (CHASH names none of our certificates, 6.8)
  check_csb, check_algorithms   -> Unspecified error / Invalid EA / Invalid MAC
  open_envelope         -> Auth failure (the PKE does not decrypt under our key, 3.2)
  derive_keys           (4.1.4 with the envelope key as inkey)
  verify_mac            -> Auth failure (the KEMAC MAC, over the KEMAC only, 6.2)
  remember              (the replay cache: now the message is authenticated)
  decrypt_kemac_with_id -> Auth failure (AES-KW) / Unspecified error (not ID || Key data)
  check_encrypted_idi   -> Auth failure ("The encrypted IDi MUST always be verified
                           to be equal with the expected IDi", 3.2)
  check_key_data, check_policies, establish, verification_message (PK ver msg)
  keep_envelope_key     (PKE C = 1 or 2: the envelope key, for the CSB's lifetime, 3.2)

A pre-shared key I_MESSAGE (data type PSK init) is keyed with a cached envelope key
(4.5): `take_cached_key_message` hands it to the pre-shared key responder whose keys
are the cached ones (mikey.modes.pk_cache, which says what each C value keys).

Decisions: the signature is checked before the envelope is opened (no RSA
decryption for an unauthenticated sender). NULL MAC is taken with AES-KW-128
(4.2.3: "If the key wrap function is used in the public key method, the NULL
MAC is RECOMMENDED"). An envelope key marked for caching (PKE C, Table 6.3)
is kept with its CSB in `envelope_keys` for the CSB's lifetime (3.2).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import CryptoError, IntegrityError, KemacKeys, kemac_decrypt, mac_verify
from mikey.crypto.envelope import envelope_decrypt
from mikey.modes.base import Environment, Rejection
from mikey.modes.pk_cache import CachedKeyResponder, EnvelopeKeyCache
from mikey.modes.pk_common import (
    PkSettings,
    clear_identities,
    kemac_mac_input,
    responder_identity,
)
from mikey.modes.psk_common import verification_trailer
from mikey.modes.psk_responder import PskResponder
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Incoming
from mikey.modes.sealing import seal
from mikey.modes.signing import check_signature, signer_key
from mikey.pki import CertificateError, Usage, cert_hash, certificates_of, check_identity, der_of
from mikey.wire import (
    Cert,
    Chash,
    DataType,
    DecodeError,
    EncrAlg,
    ErrorNo,
    GeneralExtension,
    Id,
    Kemac,
    KeyData,
    MacAlg,
    Message,
    Pke,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
    decode_key_data_with_id,
    decode_message,
)

I_MESSAGE_PAYLOADS = (
    Timestamp,
    Rand,
    Id,
    Cert,
    SecurityPolicy,
    GeneralExtension,
    Kemac,
    Chash,
    Pke,
    Sign,
)
"""HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi (3.2); General
Extensions may ride along (6.15)."""


def _one(msg: Message, kind: type[Kemac] | type[Pke] | type[Sign]) -> Kemac | Pke | Sign:
    found = msg.all(kind)
    if len(found) != 1:
        raise Rejection(ErrorNo.UNSPECIFIED, f"{len(found)} {kind.__name__} payloads (3.2)")
    return found[0]


class PkResponder(PskResponder):
    """Takes public-key I_MESSAGEs (initial and update) and answers them."""

    data_types = frozenset({DataType.PK_INIT, DataType.PSK_INIT})
    """PK init; PSK init keyed with a cached envelope key (4.5)."""

    def __init__(
        self, pk: PkSettings, env: Environment | None = None, replay: ReplayCache | None = None
    ) -> None:
        super().__init__(pk.transport, env, replay)
        self.pk = pk
        self.envelope_keys = EnvelopeKeyCache()
        self.cached_key_responder = CachedKeyResponder(
            pk.transport, self.envelope_keys, self.csbs, self.env, self.replay
        )
        self.last_initiator_id: Id | None = None
        self.last_env_key: bytes | None = None

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        data = incoming.data
        msg = incoming.msg = self.decode(data)
        if msg.hdr.data_type == DataType.PSK_INIT:
            return self.take_cached_key_message(incoming)
        self.check_data_type(msg)
        self.check_version_prf(msg)
        self.check_payloads(msg)
        self.check_timestamp(msg)
        self.check_replay(data, msg)
        expected_id = self.check_clear_identities(msg)
        signer = self.check_certificate(msg, expected_id)
        self.verify_signature(data, msg, signer)
        self.check_chash(msg)
        prior = self.check_csb(msg)
        self.check_algorithms(msg)
        env_key = self.open_envelope(msg)
        keys = self.derive_keys(env_key, msg, prior)
        self.verify_mac(data, msg, keys)
        incoming.auth = (msg.all(Kemac)[0].mac_alg, keys.auth_key)
        self.remember(data, msg)
        id_i, key_data = self.decrypt_kemac_with_id(msg, keys)
        self.check_encrypted_idi(id_i, expected_id, msg)
        self.check_key_data(msg, key_data, prior)
        self.check_policies(msg)
        csb = self.establish(msg, key_data, prior)
        self.keep_envelope_key(msg, env_key, id_i)
        self.last_message, self.last_keys, self.last_initiator_id = msg, keys, id_i
        self.last_env_key = env_key
        what = "updated (RFC 3830 4.5)" if prior else "established (RFC 3830 3.2)"
        return self.verification_message(msg, keys), f"CSB {csb.csb_id:#010x} {what}"

    # -- checks, in the order `process` runs them ------------------------------------

    def check_payloads(self, msg: Message) -> None:
        """The payloads of a PK I_MESSAGE (3.2, 4.5): SIGN last (6.5)."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in a PK I_MESSAGE (RFC 3830 3.2)")
        counts = Counter(type(p) for p in msg.payloads)
        for kind in (Timestamp, Kemac, Pke, Sign):
            if counts[kind] != 1:
                name = kind.__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{counts[kind]} {name} payloads, not 1 (3.2)")
        if counts[Rand] > 1 or counts[Id] > 2 or counts[Chash] > 1:
            raise Rejection(ErrorNo.UNSPECIFIED, "more RAND, ID or CHASH payloads than 3.2 allows")
        if not isinstance(msg.payloads[-1], Sign):
            raise Rejection(ErrorNo.UNSPECIFIED, "SIGN is not the last payload (RFC 3830 6.5)")

    def check_clear_identities(self, msg: Message) -> Id | None:
        """Clear IDi and IDr, when sent, are the configured ones; gives the expected IDi."""
        id_i, id_r = clear_identities(msg)
        for sent, ours, who in (
            (id_i, self.settings.id_i, "IDi"),
            (id_r, self.settings.id_r, "IDr"),
        ):
            if sent is not None and ours is not None and sent != ours:
                raise Rejection(ErrorNo.INVALID_ID, f"{who} {sent.data!r} is not expected (3.2)")
        return id_i or self.pk.initiator_id or self.settings.id_i

    def check_certificate(self, msg: Message, expected_id: Id | None) -> CertificatePublicKeyTypes:
        """CERTi, or the initiator's chain known beforehand (4.3.1), passes mikey.pki."""
        try:
            chain = certificates_of(msg.all(Cert), Usage.SIGN)
        except CertificateError as exc:
            raise Rejection(exc.error, exc.reason) from None
        if not chain and self.pk.peer is not None:
            chain = self.pk.peer.chain
        return signer_key(chain, self.pk.anchors, self.env, expected_id)

    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        """SIGNi over the whole message but the Signature field (5.2), an S type we take."""
        sign = msg.payloads[-1]
        if isinstance(sign, Sign) and sign.s_type not in self.pk.accepted_s_types:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"S type {sign.s_type.name} (Table 6.5)")
        check_signature(data, msg, key, self.pk.hash_name)

    def check_chash(self, msg: Message) -> None:
        """A CHASH names the certificate of ours the PKE is for (3.2, 6.8)."""
        chash = msg.first(Chash)
        if chash is None:
            return
        for cert in (self.pk.credential.certificate,):
            if cert_hash(chash.hash_func, der_of(cert)) == chash.hash:
                return
        raise Rejection(ErrorNo.INVALID_CERT, "CHASH names none of our certificates (6.8)")

    def check_algorithms(self, msg: Message) -> None:
        """As the pre-shared key method, but NULL MAC goes with AES-KW-128 too (4.2.3)."""
        kemac = msg.all(Kemac)[0]
        key_wrap_alone = kemac.mac_alg == MacAlg.NULL and kemac.encr_alg == EncrAlg.AES_KW_128
        if not key_wrap_alone:
            super().check_algorithms(msg)
        elif EncrAlg.AES_KW_128 not in self.settings.accepted_encr:
            raise Rejection(ErrorNo.INVALID_EA, "Encr alg AES_KW_128 (RFC 3830 6.2)")
        elif MacAlg.NULL not in self.settings.accepted_mac:
            raise Rejection(ErrorNo.INVALID_MAC, "MAC alg NULL (RFC 3830 6.2)")

    def open_envelope(self, msg: Message) -> bytes:
        """env_key = D(SKr, PKE Data) (3.2, 6.3)."""
        pke = msg.all(Pke)[0]
        try:
            return envelope_decrypt(self.pk.credential.private_key(), pke.data, self.pk.envelope)
        except CryptoError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"{exc} (RFC 3830 3.2)") from None

    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        """The KEMAC MAC over the KEMAC payload only, Next payload zero (5.2, 6.2)."""
        kemac = msg.all(Kemac)[0]
        if not mac_verify(kemac.mac_alg, keys.auth_key, kemac_mac_input(kemac), kemac.mac):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the KEMAC MAC does not verify (RFC 3830 6.2)")

    def decrypt_kemac_with_id(
        self, msg: Message, keys: KemacKeys
    ) -> tuple[Id, tuple[KeyData, ...]]:
        """Encr data decrypts (4.2.3) to IDi followed by Key data sub-payloads (6.2, 6.13)."""
        kemac = msg.all(Kemac)[0]
        t = msg.all(Timestamp)[0]
        try:
            t_64 = self.timestamp_input(t)
            plain = kemac_decrypt(kemac.encr_alg, keys, msg.hdr.csb_id, t_64, kemac.encr_data)
            return decode_key_data_with_id(plain)
        except IntegrityError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"AES key wrap: {exc} (RFC 3830 4.2.3)") from None
        except (DecodeError, CryptoError) as exc:
            raise Rejection(
                ErrorNo.UNSPECIFIED, f"KEMAC Encr data is not IDi || Key data: {exc} (6.2)"
            ) from None

    def check_encrypted_idi(self, id_i: Id, expected: Id | None, msg: Message) -> None:
        """The encrypted IDi is the expected IDi (3.2); without one, the certificate's."""
        if expected is not None:
            if id_i != expected:
                raise Rejection(
                    ErrorNo.AUTH_FAILURE,
                    f"encrypted IDi {id_i.data!r} is not the expected IDi (RFC 3830 3.2)",
                )
            return
        certs = certificates_of(msg.all(Cert), Usage.SIGN) or (
            self.pk.peer.chain if self.pk.peer else ()
        )
        try:
            check_identity(certs[0], id_i)
        except CertificateError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"encrypted IDi: {exc.reason}") from None

    def keep_envelope_key(self, msg: Message, env_key: bytes, id_i: Id) -> None:
        """Cache the envelope key with its CSB when the PKE's C asks for it (3.2, Table 6.3),
        as the key shared with the initiator the encrypted IDi names."""
        self.envelope_keys.keep(msg.hdr.csb_id, msg.all(Pke)[0].cache, env_key, id_i)

    # -- a pre-shared key message keyed with a cached envelope key ---------------------

    def take_cached_key_message(self, incoming: Incoming) -> tuple[bytes | None, str]:
        """The pre-shared key method's procedure (5.3) with a cached envelope key as the
        pre-shared key (3.2, 4.5); no key for it: Auth failure (mikey.modes.pk_cache)."""
        answer, reason = self.cached_key_responder.process(incoming)
        self.last_csb = self.cached_key_responder.last_csb
        return answer, f"{reason}, keyed with a cached envelope key (RFC 3830 3.2)"

    def keys_psk_message(self, data: bytes) -> bool:
        """Whether `data` is a pre-shared key I_MESSAGE that a cached envelope key keys."""
        try:
            msg = decode_message(data)
        except DecodeError:
            return False
        ours = self.cached_key_responder
        keyed = self.envelope_keys.key_for(msg, ours.read_identities(msg)[0])
        return msg.hdr.data_type == DataType.PSK_INIT and keyed is not None

    # -- the verification message ----------------------------------------------------

    def compose_response(self, i_message: Message) -> Message:
        """R_MESSAGE = HDR, T, [IDr], V with data type PK ver msg (3.2, 6.1)."""
        r_message = super().compose_response(i_message)
        return replace(r_message, hdr=replace(r_message.hdr, data_type=DataType.PK_RESP))

    def reseal_verification(
        self, r_message: Message, i_message: Message | None = None, keys: KemacKeys | None = None
    ) -> bytes:
        """V = MAC(R_MESSAGE || IDi || IDr || T), IDi the encrypted one (pk_common)."""
        i_message = i_message or self.last_message
        keys = keys or self.last_keys
        t = r_message.first(Timestamp)
        if i_message is None or keys is None or self.last_initiator_id is None or t is None:
            raise ValueError("no I_MESSAGE taken yet")
        id_r = responder_identity(i_message, r_message)
        trailer = verification_trailer(self.last_initiator_id, id_r, self.timestamp_input(t))
        return seal(r_message, keys.auth_key, trailer)
