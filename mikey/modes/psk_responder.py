"""The pre-shared key method, responder side (RFC 3830 3.1, 4.5, 5.3).

`process` runs RFC 3830 5.3's procedure, one overridable check per step:

  decode              -> the DecodeError's number (error_no_for), or silence
  check_data_type     -> Invalid DT (an Error message: silence)
  check_version_prf   -> Unspecified error (version) / Invalid PRF
  check_payloads      -> Unspecified error (T or KEMAC missing, KEMAC not last, ...)
  check_timestamp     -> Invalid TS
  check_replay        -> silence (discard)
  check_identity      -> Invalid ID; gives the pre-shared key
  check_csb           -> Unspecified error (update of an unknown CSB, CSB ID in use)
  check_algorithms    -> Invalid EA / Invalid MAC
  verify_mac          -> Auth failure
  remember            (the replay cache, only now that the message is authenticated)
  decrypt_kemac       -> Auth failure (AES-KW integrity) / Unspecified error (not Key data)
  check_key_data      -> Unspecified error (no TGK in an initial message, ...)
  check_policies      -> Invalid SP / Invalid SPpar, with our policies
  establish           (store the CSB)
  verification_message (V=1: the R_MESSAGE; V=0: nothing)

Decisions: an identity that is not the configured one is "Invalid ID" (Table
6.12 "ID not supported"; it is found before any MAC is checked, 5.3 order, so
"Auth failure" would claim a check that never ran). A message with RAND for a
CSB ID in use, and an update for an unknown CSB ID, get "Unspecified error":
Table 6.12 has no closer entry, and 4.1.4 cannot key the latter at all.
SSRCs left zero by the initiator are filled in with random non-zero values in
the R_MESSAGE's CS ID map (6.1.1; Responder.fill_in_ssrcs); the rest of the map
is echoed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mikey.crypto import CryptoError, IntegrityError, KemacKeys, kemac_decrypt
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb, keys_fit
from mikey.modes.psk_common import PskSettings, identities, message_keys, verification_trailer
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Incoming, Responder
from mikey.modes.sealing import seal, verify
from mikey.wire import (
    MAC_LENGTH,
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
    Rand,
    SecurityPolicy,
    Timestamp,
    TsType,
    Verification,
    decode_key_data,
)

I_MESSAGE_PAYLOADS = (Timestamp, Rand, Id, SecurityPolicy, GeneralExtension, Kemac)
"""HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC (3.1); General Extensions may ride along (6.15)."""


def kemac_of(msg: Message) -> Kemac:
    kemacs = msg.all(Kemac)
    if not kemacs:
        raise Rejection(ErrorNo.UNSPECIFIED, "no KEMAC payload (RFC 3830 3.1)")
    return kemacs[-1]


def timestamp_of(msg: Message) -> Timestamp:
    t = msg.first(Timestamp)
    if t is None:
        raise Rejection(ErrorNo.UNSPECIFIED, "no T payload (RFC 3830 3.1)")
    return t


class PskResponder(Responder):
    """Takes PSK I_MESSAGEs (initial and update) and answers them."""

    data_types = frozenset({DataType.PSK_INIT})
    ts_types = frozenset(TsType)
    """Any Table 6.6 type (3.1, 3.2 do not restrict T; the modes built on this class
    inherit it); COUNTER only where the party's local policy takes it
    (Environment.ts_types; Responder.check_timestamp)."""

    def __init__(
        self,
        settings: PskSettings,
        env: Environment | None = None,
        replay: ReplayCache | None = None,
    ) -> None:
        super().__init__(env, replay)
        self.settings = settings
        self.csbs: dict[int, Csb] = {}
        self.last_csb: Csb | None = None
        self.last_message: Message | None = None
        self.last_keys: KemacKeys | None = None

    def supported_policies(self) -> tuple[SecurityPolicy, ...]:
        return self.settings.policies

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        msg, prior, keys = self.authenticate(incoming)
        key_data = self.decrypt_kemac(msg, keys)
        self.check_key_data(msg, key_data, prior)
        self.check_policies(msg)
        csb = self.establish(msg, key_data, prior)
        self.last_message, self.last_keys = msg, keys
        what = "updated (RFC 3830 4.5)" if prior else "established (RFC 3830 3.1)"
        return self.verification_message(msg, keys), f"CSB {csb.csb_id:#010x} {what}"

    def authenticate(self, incoming: Incoming) -> tuple[Message, Csb | None, KemacKeys]:
        """5.3 up to the MAC: the message, the CSB an update applies to, the message keys.

        The message is in the replay cache when this returns. DH-HMAC shares it.
        """
        data = incoming.data
        msg = incoming.msg = self.decode(data)
        self.check_data_type(msg)
        self.check_version_prf(msg)
        self.check_payloads(msg)
        self.check_timestamp(msg)
        self.check_replay(data, msg)
        psk = self.check_identity(msg)
        prior = self.check_csb(msg)
        self.check_algorithms(msg)
        keys = self.derive_keys(psk, msg, prior)
        self.verify_mac(data, msg, keys)
        incoming.auth = (kemac_of(msg).mac_alg, keys.auth_key)
        self.remember(data, msg)
        return msg, prior, keys

    # -- checks, in the order `process` runs them ------------------------------------

    def check_payloads(self, msg: Message) -> None:
        """The payloads of a PSK I_MESSAGE: T and KEMAC once, KEMAC last (3.1, 6.2)."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in a PSK I_MESSAGE (RFC 3830 3.1)")
        counts = Counter(type(p) for p in msg.payloads)
        for kind, name in ((Timestamp, "T"), (Kemac, "KEMAC")):
            if counts[kind] != 1:
                raise Rejection(
                    ErrorNo.UNSPECIFIED, f"{counts[kind]} {name} payloads, not 1 (RFC 3830 3.1)"
                )
        if counts[Rand] > 1 or counts[Id] > 2:
            raise Rejection(ErrorNo.UNSPECIFIED, "more RAND or ID payloads than 3.1 allows")
        if not isinstance(msg.payloads[-1], Kemac):
            raise Rejection(ErrorNo.UNSPECIFIED, "KEMAC is not the last payload (RFC 3830 6.2)")

    def check_identity(self, msg: Message) -> bytes:
        """IDi and IDr, when sent, are the configured ones; gives the pre-shared key (3.1)."""
        id_i, id_r = self.read_identities(msg)
        for sent, ours, who in (
            (id_i, self.settings.id_i, "IDi"),
            (id_r, self.settings.id_r, "IDr"),
        ):
            if sent is not None and ours is not None and sent != ours:
                raise Rejection(
                    ErrorNo.INVALID_ID, f"{who} {sent.data!r}: no pre-shared key (RFC 3830 3.1)"
                )
        return self.settings.psk

    def read_identities(self, msg: Message) -> tuple[Id | None, Id | None]:
        """(IDi, IDr) of an I_MESSAGE: by position, as psk_common says."""
        return identities(msg)

    def check_csb(self, msg: Message) -> Csb | None:
        """A RAND starts a new CSB under an unused CSB ID; no RAND updates a known one (4.5, 6.1).

        Returns the CSB an update applies to, None for an initial message.
        """
        prior = self.csbs.get(msg.hdr.csb_id)
        has_rand = msg.first(Rand) is not None
        if has_rand and prior is not None:
            raise Rejection(
                ErrorNo.UNSPECIFIED,
                f"RAND for CSB ID {msg.hdr.csb_id:#010x}, which is in use (RFC 3830 4.5, 6.1)",
            )
        if not has_rand and prior is None:
            raise Rejection(
                ErrorNo.UNSPECIFIED,
                f"no RAND, and no CSB {msg.hdr.csb_id:#010x} to update (RFC 3830 3, 4.5)",
            )
        return prior

    def check_algorithms(self, msg: Message) -> None:
        """KEMAC's encryption and MAC are supported; NULL MAC only with NULL encryption (4.2.4)."""
        kemac = kemac_of(msg)
        if kemac.encr_alg not in self.settings.accepted_encr:
            raise Rejection(ErrorNo.INVALID_EA, f"Encr alg {kemac.encr_alg.name} (RFC 3830 6.2)")
        if kemac.mac_alg not in self.settings.accepted_mac:
            raise Rejection(ErrorNo.INVALID_MAC, f"MAC alg {kemac.mac_alg.name} (RFC 3830 6.2)")
        if kemac.mac_alg == MacAlg.NULL and kemac.encr_alg != EncrAlg.NULL:
            raise Rejection(
                ErrorNo.INVALID_MAC, "NULL MAC with non-NULL encryption (RFC 3830 4.2.4)"
            )

    def derive_keys(self, psk: bytes, msg: Message, prior: Csb | None) -> KemacKeys:
        """The message keys from the PSK, CSB ID and RAND (4.1.4); updates use the CSB's RAND."""
        rand = msg.first(Rand)
        kemac = kemac_of(msg)
        rand_bytes = rand.rand if rand else prior.rand if prior else b""
        return message_keys(psk, msg.hdr.csb_id, rand_bytes, kemac.encr_alg, kemac.mac_alg)

    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        """KEMAC's MAC over the whole message but the MAC field (5.2, 6.2)."""
        if not verify(data, msg, keys.auth_key):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the MAC does not verify (RFC 3830 5.3)")

    def decrypt_kemac(self, msg: Message, keys: KemacKeys) -> tuple[KeyData, ...]:
        """Encr data decrypts (4.2.3) to a chain of Key data sub-payloads (6.13).

        Empty Encr data is an empty chain, whatever the algorithm (6.2: an update
        may skip the Key data, "the Encr data len being equal to 0").
        """
        kemac = kemac_of(msg)
        t = timestamp_of(msg)
        if not kemac.encr_data:
            return ()
        try:
            t_64 = self.timestamp_input(t)
            plain = kemac_decrypt(kemac.encr_alg, keys, msg.hdr.csb_id, t_64, kemac.encr_data)
            return decode_key_data(plain)
        except IntegrityError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"AES key wrap: {exc} (RFC 3830 4.2.3)") from None
        except (DecodeError, CryptoError) as exc:
            raise Rejection(
                ErrorNo.UNSPECIFIED, f"KEMAC Encr data is not Key data: {exc} (RFC 3830 6.13)"
            ) from None

    def check_key_data(
        self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None
    ) -> None:
        """An initial message carries a TGK/TEK (3.1); updates may carry none (4.5, 6.2)."""
        if prior is None and not key_data:
            raise Rejection(ErrorNo.UNSPECIFIED, "no Key data in an initial message (RFC 3830 3.1)")
        n_cs = msg.hdr.n_cs if msg.hdr.n_cs or prior is None else prior.cs_count
        if key_data and not keys_fit(len(key_data), n_cs):
            raise Rejection(
                ErrorNo.UNSPECIFIED, f"{len(key_data)} Key data for {n_cs} crypto sessions"
            )

    # -- taking the message ------------------------------------------------------------

    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        """Store the new or updated CSB."""
        policies = tuple(msg.all(SecurityPolicy))
        rand = msg.first(Rand)
        if prior is None:
            csb = Csb.initial(msg.hdr, rand.rand if rand else b"", key_data, policies)
        else:
            csb = prior.updated(msg.hdr, key_data, policies)
        self.csbs[csb.csb_id] = self.last_csb = csb
        return csb

    def verification_message(self, msg: Message, keys: KemacKeys) -> bytes | None:
        """The R_MESSAGE when the initiator set V (3.1, 6.1), else nothing."""
        if not msg.hdr.v:
            return None
        return self.reseal_verification(self.compose_response(msg), msg, keys)

    def compose_response(self, i_message: Message) -> Message:
        """R_MESSAGE = HDR, T, [IDr], V, unsealed (3.1).

        HDR: data type PSK ver msg, the initiator's CSB ID (6.1) and CS ID map,
        with the SSRCs the initiator left zero filled in (6.1.1).
        T: the initiator's ("The Responder does not create a new timestamp", 5.2).
        """
        hdr = self.fill_in_ssrcs(replace(i_message.hdr, data_type=DataType.PSK_RESP))
        alg = kemac_of(i_message).mac_alg
        id_r = (self.settings.id_r,) if self.settings.id_r is not None else ()
        v = Verification(alg, bytes(MAC_LENGTH[alg]))
        return Message(hdr, (timestamp_of(i_message), *id_r, v))

    def reseal_verification(
        self, r_message: Message, i_message: Message | None = None, keys: KemacKeys | None = None
    ) -> bytes:
        """The R_MESSAGE with V = MAC(R_MESSAGE || IDi || IDr || T) (5.2; see psk_common).

        Defaults to the last message taken; T is the R_MESSAGE's own T payload.
        """
        i_message = i_message or self.last_message
        keys = keys or self.last_keys
        if i_message is None or keys is None:
            raise ValueError("no I_MESSAGE taken yet")
        t_64 = self.timestamp_input(timestamp_of(r_message))
        trailer = verification_trailer(*identities(i_message, r_message), t_64)
        return seal(r_message, keys.auth_key, trailer)
