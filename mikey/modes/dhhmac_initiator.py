"""HMAC-authenticated Diffie-Hellman, initiator side (RFC 4650 3, 3.1).

The PSK initiator's machinery (CSB IDs, sealing, Error messages, the CSB) with
DH-HMAC's messages (dhhmac_common). Every I_message is answered (Figure 1).
`receive` checks the R_message, one overridable step each:

  decode            -> Unspecified error
  take_error        (an Error message: its own number)
  check_data_type   -> Invalid DT (not DHHMAC resp)
  check_csb_id      -> Unspecified error (not the CSB ID sent, RFC 3830 6.1)
  check_payloads    -> Unspecified error (T, [IDr], IDi, [DHr, DHi], KEMAC last)
  check_timestamp   -> Invalid TS (T is not the one sent, RFC 3830 5.2)
  check_identity    -> Invalid ID (IDi is not ours, IDr not the peer's)
  authenticate      -> Auth failure (verify_mac: KEMAC MAC, RFC 4650 4.2)
  check_dh          -> Invalid DH (DHi not ours, DHr of another group or out of range)

The DH check comes after the MAC (RFC 4650 5.3: check the digest "before
launching CPU intensive Diffie-Hellman operations").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair, DhValueError
from mikey.modes.base import Environment, Rejection
from mikey.modes.dhhmac_common import DhHmacSettings, r_message_identities, tgk_key_data
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.modes.sealing import verify
from mikey.wire import (
    MAC_LENGTH,
    CommonHeader,
    DataType,
    Dh,
    EncrAlg,
    ErrorNo,
    GeneralExtension,
    Id,
    Kemac,
    KeyData,
    Message,
    Payload,
    Rand,
    Timestamp,
)

R_MESSAGE_PAYLOADS = (Timestamp, Id, Dh, GeneralExtension, Kemac)


class DhHmacInitiator(PskInitiator):
    """Sends DH-HMAC I_messages and takes the responder's R_messages."""

    i_message_type = DataType.DHHMAC_INIT
    r_message_type = DataType.DHHMAC_RESP
    settings: DhHmacSettings

    def __init__(self, settings: DhHmacSettings, env: Environment | None = None) -> None:
        super().__init__(settings, env)
        self.key_pair: DhKeyPair | None = None
        """The current exchange's xi (None: an update that keeps the TGK, 3.1 b)."""

    def compose(self, csb_id: int | None = None) -> Message:
        """An unsealed initial I_message with a fresh DHi (RFC 4650 3)."""
        self.key_pair = DhKeyPair.generate(self.settings.group, self.env.random)
        return super().compose(csb_id)

    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        """An unsealed update: a fresh DHi re-keys, none keeps the TGK (RFC 4650 3.1)."""
        pair = DhKeyPair.generate(self.settings.group, self.env.random) if new_keys else None
        self.key_pair = pair
        return super().compose_update(csb_id, new_keys)

    def awaits_response(self, msg: Message) -> bool:
        """Always: the R_message carries DHr (RFC 4650 Figure 1)."""
        return True

    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        s = self.settings
        t = self.env.timestamp(s.ts_type)
        sent_ids = (s.id_i if s.send_id_i else None, s.id_r)
        ids = tuple(i for i in sent_ids if i is not None)
        dhi = (Dh(s.group, self.key_pair.public_value),) if self.key_pair else ()
        kemac = Kemac(EncrAlg.NULL, b"", s.mac_alg, bytes(MAC_LENGTH[s.mac_alg]))
        payloads: tuple[Payload, ...] = (t, *rand, *ids, *s.policies, *dhi, kemac)
        return Message(hdr, payloads)

    # -- receiving -----------------------------------------------------------------------

    def check_response(self, data: bytes, msg: Message, exchange: Exchange, sent: Message) -> None:
        self.check_data_type(msg)
        self.check_csb_id(msg, sent)
        self.check_payloads(msg)
        self.check_timestamp(msg, sent)
        self.check_identity(msg)
        self.authenticate(data, msg, sent, exchange.keys)
        tgk = self.check_dh(msg, sent)
        if tgk is not None:
            exchange.csb = replace(exchange.csb, key_data=tgk_key_data(tgk))

    def check_payloads(self, msg: Message) -> None:
        """R_message = HDR, T, [IDr], IDi, [DHr, DHi], KEMAC: KEMAC last (RFC 4650 3, 4.2)."""
        counts = Counter(type(p) for p in msg.payloads)
        allowed = all(isinstance(p, R_MESSAGE_PAYLOADS) for p in msg.payloads)
        last_is_kemac = bool(msg.payloads) and isinstance(msg.payloads[-1], Kemac)
        if (
            not allowed
            or not last_is_kemac
            or counts[Timestamp] != 1
            or counts[Kemac] != 1
            or counts[Dh] not in (0, 2)
            or not 1 <= counts[Id] <= 2
        ):
            kinds = ", ".join(type(p).__name__ for p in msg.payloads)
            raise Rejection(ErrorNo.UNSPECIFIED, f"R_message payloads {kinds} (RFC 4650 3)")

    def check_identity(self, msg: Message) -> None:
        """IDi is ours ("SHALL always include the initiator's identity"); IDr the peer's."""
        id_i, id_r = r_message_identities(msg)
        s = self.settings
        if id_i is None or (s.id_i is not None and id_i != s.id_i):
            raise Rejection(ErrorNo.INVALID_ID, "the R_message's IDi is not ours (RFC 4650 3)")
        if id_r is not None and id_r != s.id_r:
            raise Rejection(ErrorNo.INVALID_ID, f"IDr {id_r.data!r} is not the peer's (4650 3)")

    def authenticate(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        """The R_message is the peer's: its HMAC verifies (the DH method signs instead)."""
        self.verify_mac(data, msg, sent, keys)

    def verify_mac(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        """KEMAC's MAC over the whole R_message but the MAC field, under auth_key (4.2)."""
        kemac, ours = msg.all(Kemac), sent.all(Kemac)
        if not kemac or not ours or kemac[-1].mac_alg != ours[-1].mac_alg:
            raise Rejection(ErrorNo.AUTH_FAILURE, "KEMAC MAC alg is not the I_message's")
        if kemac[-1].encr_alg != EncrAlg.NULL or kemac[-1].encr_data:
            raise Rejection(ErrorNo.INVALID_EA, "KEMAC carries encrypted data (RFC 4650 4.2)")
        if not verify(data, msg, keys.auth_key):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the MAC does not verify (RFC 4650 3, 4.2)")

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        """DHr, DHi answer our DHi, in its group; gives the TGK g^(xi*xr) (RFC 4650 3, 3.1).

        None when the update carried no DHi (and the answer, rightly, no DH payloads).
        """
        dh = msg.all(Dh)
        ours = sent.first(Dh)
        if ours is None or self.key_pair is None:
            if dh:
                raise Rejection(ErrorNo.INVALID_DH, "DH payloads answer no DHi (RFC 4650 3.1)")
            return None
        if len(dh) != 2:
            raise Rejection(ErrorNo.INVALID_DH, "no DHr, DHi in the R_message (RFC 4650 3)")
        dhr, dhi = dh
        if dhi != ours:
            raise Rejection(ErrorNo.INVALID_DH, "the echoed DHi is not ours (RFC 4650 3)")
        if dhr.group != ours.group:
            raise Rejection(
                ErrorNo.INVALID_DH,
                f"DHr in {dhr.group.name}, not the initiator's {ours.group.name} (RFC 4650 3)",
            )
        try:
            return self.key_pair.shared_secret(dhr.value)
        except DhValueError as exc:
            raise Rejection(ErrorNo.INVALID_DH, f"DHr: {exc} (RFC 4650 3)") from None
