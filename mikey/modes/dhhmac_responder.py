"""HMAC-authenticated Diffie-Hellman, responder side (RFC 4650 3, 3.1, 4).

`process` shares RFC 3830 5.3's procedure up to the MAC with the PSK responder
(`PskResponder.authenticate`: decode, data type, version/PRF, payloads, T,
replay, identity, CSB, algorithms, MAC, replay cache), then:

  check_dh            -> Invalid DH (group not taken, value outside 2..p-2) /
                         Unspecified error (no DHi in an initial message)
  check_policies      -> Invalid SP / Invalid SPpar
  agree               (xr, DHr and the TGK g^(xi*xr); none for an update without DHi)
  establish           (store the CSB)
  response            (the R_message; always, whatever V says)

Its own checks: payloads (RFC 4650 3, 4.1 Table 4.1.b: no other payload
type; IDr mandatory, KEMAC last), identity (IDr is ours; IDi, when sent, is
the configured peer), algorithms (KEMAC Encr alg NULL and no Encr data, 4.2).
A DH value out of range gets Invalid DH: Table 6.12 names it "DH group not
supported", the closest entry for a value no group member has.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair, DhValueError, check_peer_value
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.dhhmac_common import DhHmacSettings, i_message_identities, tgk_key_data
from mikey.modes.psk_responder import PskResponder, kemac_of, timestamp_of
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Incoming
from mikey.modes.sealing import seal
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
    Message,
    Rand,
    SecurityPolicy,
    Timestamp,
)

I_MESSAGE_PAYLOADS = (Timestamp, Rand, Id, SecurityPolicy, Dh, GeneralExtension, Kemac)
"""HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC (RFC 4650 3); Table 4.1.b allows no other."""


class DhHmacResponder(PskResponder):
    """Takes DH-HMAC I_messages (initial and update) and answers them."""

    data_types = frozenset({DataType.DHHMAC_INIT})
    response_type = DataType.DHHMAC_RESP
    settings: DhHmacSettings

    def __init__(
        self,
        settings: DhHmacSettings,
        env: Environment | None = None,
        replay: ReplayCache | None = None,
    ) -> None:
        super().__init__(settings, env, replay)
        self.last_key_pair: DhKeyPair | None = None

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        msg, prior, keys = self.authenticate(incoming)
        dhi = self.check_dh(msg, prior)
        self.check_policies(msg)
        pair, tgk = self.agree(dhi)
        csb = self.establish(msg, tgk_key_data(tgk) if tgk else (), prior)
        self.last_message, self.last_keys, self.last_key_pair = msg, keys, pair
        what = "updated (RFC 4650 3.1)" if prior else "established (RFC 4650 3)"
        return self.response(msg, keys, pair), f"CSB {csb.csb_id:#010x} {what}"

    # -- checks ------------------------------------------------------------------------

    def check_payloads(self, msg: Message) -> None:
        """T, KEMAC once, KEMAC last; IDr there; at most one RAND, DHi (RFC 4650 3, 4.1)."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in a DH-HMAC I_message (4650 4.1)")
        counts = Counter(type(p) for p in msg.payloads)
        if counts[Timestamp] != 1 or counts[Kemac] != 1:
            raise Rejection(ErrorNo.UNSPECIFIED, "not one T and one KEMAC (RFC 4650 3)")
        if counts[Rand] > 1 or counts[Dh] > 1 or counts[Id] > 2:
            raise Rejection(ErrorNo.UNSPECIFIED, "more RAND, DH or ID payloads than 4650 3 allows")
        if not counts[Id]:
            raise Rejection(ErrorNo.UNSPECIFIED, "no IDr: the initiator SHALL include it (4650 3)")
        if not isinstance(msg.payloads[-1], Kemac):
            raise Rejection(ErrorNo.UNSPECIFIED, "KEMAC is not the last payload (RFC 4650 4.2)")

    def read_identities(self, msg: Message) -> tuple[Id | None, Id | None]:
        return i_message_identities(msg)

    def check_algorithms(self, msg: Message) -> None:
        """MAC alg supported; Encr alg NULL and Encr data empty (RFC 4650 4.2)."""
        super().check_algorithms(msg)
        if kemac_of(msg).encr_data:
            raise Rejection(
                ErrorNo.UNSPECIFIED, "KEMAC Encr data SHALL be left empty (RFC 4650 4.2)"
            )

    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        """DHi in a group we take, its value in 2..p-2 (mikey.crypto.dh); an initial
        message has one (RFC 4650 3), an update may leave it out (3.1)."""
        dhi = msg.first(Dh)
        if dhi is None:
            if prior is None:
                raise Rejection(ErrorNo.UNSPECIFIED, "no DHi in an initial I_message (4650 3)")
            return None
        if dhi.group not in self.settings.accepted_groups:
            raise Rejection(ErrorNo.INVALID_DH, f"DH group {dhi.group.name} not supported")
        try:
            check_peer_value(dhi.group, dhi.value)
        except DhValueError as exc:
            raise Rejection(ErrorNo.INVALID_DH, f"DHi: {exc} (RFC 4650 3)") from None
        return dhi

    # -- answering ---------------------------------------------------------------------

    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        """A fresh xr in DHi's group and the TGK g^(xi*xr) (RFC 4650 3); none without DHi."""
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, self.env.random)
        try:
            return pair, pair.shared_secret(dhi.value)
        except DhValueError as exc:
            raise Rejection(ErrorNo.INVALID_DH, f"DHi: {exc} (RFC 4650 3)") from None

    def response(self, msg: Message, keys: KemacKeys, pair: DhKeyPair | None) -> bytes:
        """The sealed R_message (RFC 4650 3): sent whatever the V flag says."""
        return self.reseal(self.compose_response(msg, pair), keys)

    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        """R_message = HDR, T, [IDr], IDi, [DHr, DHi], KEMAC, unsealed (RFC 4650 3)."""
        alg = kemac_of(i_message).mac_alg
        kemac = Kemac(EncrAlg.NULL, b"", alg, bytes(MAC_LENGTH[alg]))
        hdr, t, id_r, id_i, dh = self.response_parts(i_message, pair)
        return Message(hdr, (t, *id_r, id_i, *dh, kemac))

    def response_parts(
        self, i_message: Message, pair: DhKeyPair | None
    ) -> tuple[CommonHeader, Timestamp, tuple[Id, ...], Id, tuple[Dh, ...]]:
        """HDR, T, [IDr], IDi and [DHr, DHi] of the answer (the DH method's too, RFC 3830 3.3).

        HDR: the response data type, the initiator's CSB ID and CS ID map, zero
        SSRCs filled in (RFC 3830 6.1.1). T: the initiator's (RFC 3830 5.2). IDi:
        the one the I_message carried, else the configured peer ("regardless of
        whether the I_message conveyed any IDi", RFC 4650 3).
        """
        s = self.settings
        hdr = self.fill_in_ssrcs(replace(i_message.hdr, data_type=self.response_type))
        sent_id_i, _ = self.read_identities(i_message)
        id_i = sent_id_i or s.id_i
        if id_i is None:
            raise ValueError("the responder knows no IDi to send (RFC 4650 3, RFC 3830 3.3)")
        dhi = i_message.first(Dh)
        dh: tuple[Dh, ...] = ()
        if pair is not None and dhi is not None:
            dh = (Dh(pair.group, pair.public_value), dhi)
        id_r = (s.id_r,) if s.id_r is not None else ()
        return hdr, timestamp_of(i_message), id_r, id_i, dh

    def reseal(self, r_message: Message, keys: KemacKeys | None = None) -> bytes:
        """`r_message` with its KEMAC MAC made under auth_key (default: the last exchange's)."""
        keys = keys or self.last_keys
        if keys is None:
            raise ValueError("no I_message taken yet")
        return seal(r_message, keys.auth_key)
