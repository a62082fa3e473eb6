"""The pre-shared key method, initiator side (RFC 3830 3.1, 4.5, 5.2).

    I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC   (initial, 3.1)
    I_MESSAGE = HDR, T, [IDi], [IDr], {SP}, KEMAC         (update, 4.5)
    R_MESSAGE = HDR, T, [IDr], V                          (if V was set)

Building a message is two steps, so a test can alter a message and still give
it a valid MAC: `compose` / `compose_update` return the unsealed Message (the
MAC field zero) and start the exchange; `seal` MACs any Message with the
exchange's keys (5.2) and records it as the message sent. On bytes:
`unsealed_bytes` (the last message but its MAC field) and `mac_over` (a MAC
under the exchange's auth_key).
`keys` exposes the exchange's KemacKeys (4.1.4).

The ID payloads are read by position (3.1): the first is IDi, the second IDr.
So IDr is sent only after IDi: alone, it would read as IDi.

`receive` checks the R_MESSAGE, one overridable step each:

  decode            -> Unspecified error
  take_error        (an Error message: its own number; see its docstring)
  check_data_type   -> Invalid DT (not PSK ver msg)
  check_csb_id      -> Unspecified error (not the CSB ID sent, 6.1)
  check_payloads    -> Unspecified error (T, [IDr], V; V last)
  check_timestamp   -> Invalid TS (T is not the one sent, 5.2)
  check_identity    -> Invalid ID (IDr is not the configured one)
  verify_v          -> Auth failure
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from mikey.crypto import KemacKeys, kemac_encrypt, mac
from mikey.modes.base import Environment, Outcome, Rejection, TimestampInput
from mikey.modes.csb import Csb
from mikey.modes.error_message import error_numbers
from mikey.modes.psk_common import PskSettings, identities, message_keys, verification_trailer
from mikey.modes.sealing import covered, mac_alg_of, seal, verify
from mikey.wire import (
    MAC_LENGTH,
    CommonHeader,
    DataType,
    DecodeError,
    ErrorNo,
    GeneralExtension,
    Id,
    Kemac,
    KeyData,
    Message,
    Payload,
    Rand,
    SrtpIdEntry,
    Timestamp,
    Verification,
    decode_message,
    encode_key_data,
    encode_message,
)

R_MESSAGE_PAYLOADS = (Timestamp, Id, GeneralExtension, Verification)


@dataclass
class Exchange:
    """One initial or update exchange in progress: the CSB it will establish and its keys."""

    csb: Csb
    keys: KemacKeys
    sent: Message | None = None
    done: bool = False


class PskInitiator(TimestampInput):
    """Sends PSK I_MESSAGEs and takes the responder's verification messages.

    DH-HMAC (mikey.modes.dhhmac_initiator) reuses this machinery: the data types
    are class attributes, `awaits_response` says when a message wants an answer,
    and `check_response` is the mode's sequence of checks on that answer.
    """

    i_message_type = DataType.PSK_INIT
    r_message_type = DataType.PSK_RESP

    def __init__(self, settings: PskSettings, env: Environment | None = None) -> None:
        self.settings = settings
        self.env = env if env is not None else Environment()
        self.csbs: dict[int, Csb] = {}
        self.exchange: Exchange | None = None

    @property
    def csb(self) -> Csb | None:
        """The established state of the latest exchange's CSB (None until it is established)."""
        return self.csbs.get(self.exchange.csb.csb_id) if self.exchange else None

    @property
    def latest_csb(self) -> Csb | None:
        """The CSB the latest exchange carries, established or still awaiting its V."""
        return self.exchange.csb if self.exchange else None

    @property
    def keys(self) -> KemacKeys | None:
        """The message keys (4.1.4) of the latest exchange."""
        return self.exchange.keys if self.exchange else None

    # -- sending -----------------------------------------------------------------------

    def start(self, csb_id: int | None = None) -> bytes:
        """A sealed initial I_MESSAGE for a new CSB (3.1)."""
        return self.seal(self.compose(csb_id))

    def start_update(self, csb_id: int | None = None, new_keys: bool = True) -> bytes:
        """A sealed update I_MESSAGE for an established CSB (4.5); default: the latest CSB."""
        return self.seal(self.compose_update(csb_id, new_keys))

    def map_crypto_sessions(self, cs_map: tuple[SrtpIdEntry, ...]) -> None:
        """Carry `cs_map` as the CS ID map of the next messages (6.1.1): an update carrying
        the CSB's crypto sessions followed by new ones adds those to the CSB (4.5: "If
        desired, new Crypto Sessions are added in the update message")."""
        self.settings = replace(self.settings, cs_map=tuple(cs_map))

    def new_csb_id(self) -> int:
        """A random CSB ID that no CSB of ours uses ("MUST check for collisions", 6.1)."""
        while True:
            csb_id = int.from_bytes(self.env.random(4), "big")
            if csb_id not in self.csbs:
                return csb_id

    def compose(self, csb_id: int | None = None) -> Message:
        """An unsealed initial I_MESSAGE; starts a new exchange."""
        if csb_id is None:
            csb_id = self.new_csb_id()
        elif csb_id in self.csbs:
            raise ValueError(f"CSB ID {csb_id:#010x} is in use (RFC 3830 6.1)")
        rand = self.env.random(self.settings.rand_len)
        hdr = self._header(csb_id)
        key_data = self.settings.new_key_data(self.env.random)
        csb = Csb.initial(hdr, rand, key_data, self.settings.policies)
        self.exchange = Exchange(csb, self._keys(csb_id, rand))
        return self._message(hdr, (Rand(rand),), key_data)

    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        """An unsealed update I_MESSAGE: same CSB ID, new T, no RAND (4.5).

        Default: the latest exchange's CSB. A CSB whose verification message has
        not come yet can be updated too: the initiator chose all its keys.
        """
        latest = self.exchange.csb if self.exchange and self.exchange.sent else None
        if csb_id is None or (latest is not None and latest.csb_id == csb_id):
            prior = latest
        else:
            prior = self.csbs.get(csb_id)
        if prior is None:
            raise ValueError("no CSB to update (RFC 3830 4.5)")
        hdr = self._header(prior.csb_id)
        key_data = self.settings.new_key_data(self.env.random) if new_keys else ()
        csb = prior.updated(hdr, key_data, self.settings.policies)
        self.exchange = Exchange(csb, self._keys(prior.csb_id, prior.rand))
        return self._message(hdr, (), key_data)

    def seal(self, msg: Message) -> bytes:
        """`msg` with KEMAC's MAC over the whole message (5.2), recorded as the message sent.

        With V=0 no response is expected: the CSB is established now. A forgery
        without KEMAC has no MAC field and is only encoded.
        """
        exchange = self._current()
        has_mac = any(isinstance(p, Kemac) for p in msg.payloads)
        data = seal(msg, exchange.keys.auth_key) if has_mac else encode_message(msg)
        exchange.sent = msg
        if not self.awaits_response(msg):
            self._establish(exchange)
        return data

    def awaits_response(self, msg: Message) -> bool:
        """Whether the responder answers `msg`: PSK, when V is set (3.1, 6.1)."""
        return msg.hdr.v

    def unsealed_message(self) -> Message:
        """The message last sealed, with its MAC field zero."""
        sent = self._current().sent
        if sent is None:
            raise ValueError("no message sealed yet")
        return sent

    def unsealed_bytes(self) -> bytes:
        """The bytes the last sealed message's MAC covers: all but the MAC field (5.2)."""
        msg = self.unsealed_message()
        return covered(encode_message(msg), mac_alg_of(msg))

    def mac_over(self, data: bytes) -> bytes:
        """The MAC of `data` under the exchange's auth_key and MAC algorithm (4.2.4)."""
        return mac(self.settings.mac_alg, self._current().keys.auth_key, data)

    # -- receiving -----------------------------------------------------------------------

    def receive(self, data: bytes) -> Outcome:
        """Take the responder's answer: an R_MESSAGE (3.1) or an Error message (5.1.2)."""
        data = bytes(data)
        try:
            exchange, sent = self._awaiting()
            msg = self.decode(data)
            if msg.hdr.data_type == DataType.ERROR:
                self.take_error(data, msg, exchange)
            self.check_response(data, msg, exchange, sent)
        except Rejection as rejection:
            return Outcome(False, rejection.error, rejection.reason)
        self._establish(exchange)
        return Outcome(True, None, f"CSB {exchange.csb.csb_id:#010x} verified (RFC 3830 3.1)")

    def check_response(self, data: bytes, msg: Message, exchange: Exchange, sent: Message) -> None:
        """The checks of an R_MESSAGE that is not an Error message (module docstring)."""
        self.check_data_type(msg)
        self.check_csb_id(msg, sent)
        self.check_payloads(msg)
        self.check_timestamp(msg, sent)
        self.check_identity(msg)
        self.verify_v(data, msg, sent, exchange.keys)

    def decode(self, data: bytes) -> Message:
        try:
            return decode_message(data)
        except DecodeError as exc:
            raise Rejection(ErrorNo.UNSPECIFIED, f"does not decode: {exc}") from None

    def take_error(self, data: bytes, msg: Message, exchange: Exchange) -> None:
        """An Error message (5.1.2) always rejects, with the number it names.

        Unauthenticated, it is "only a recommendation of what may have gone
        wrong" (5.1.2): the exchange stays open, so a genuine R_MESSAGE can still
        come. With a V that verifies under our auth_key, the exchange ends.
        """
        numbers = error_numbers(msg)
        error = numbers[0] if numbers else ErrorNo.UNSPECIFIED
        if msg.hdr.csb_id != exchange.csb.csb_id:
            raise Rejection(error, f"Error message for another CSB {msg.hdr.csb_id:#010x}")
        has_v = any(isinstance(p, Verification) for p in msg.payloads)
        authentic = has_v and verify(data, msg, exchange.keys.auth_key)
        if authentic:
            exchange.done = True
        how = "authenticated" if authentic else "unauthenticated"
        names = ", ".join(n.name for n in numbers) or "no ERR payload"
        raise Rejection(error, f"the responder reports {names} ({how}; RFC 3830 5.1.2)")

    def check_data_type(self, msg: Message) -> None:
        if msg.hdr.data_type != self.r_message_type:
            name, want = msg.hdr.data_type.name, self.r_message_type.name
            raise Rejection(ErrorNo.INVALID_DT, f"data type {name}, not {want} (RFC 3830 6.1)")

    def check_csb_id(self, msg: Message, sent: Message) -> None:
        """The responder "uses the same CSB ID in the response" (6.1)."""
        if msg.hdr.csb_id != sent.hdr.csb_id:
            raise Rejection(
                ErrorNo.UNSPECIFIED,
                f"CSB ID {msg.hdr.csb_id:#010x}, not {sent.hdr.csb_id:#010x} (RFC 3830 6.1)",
            )

    def check_payloads(self, msg: Message) -> None:
        """R_MESSAGE = HDR, T, [IDr], V: one T, at most one ID, V last (3.1)."""
        counts = Counter(type(p) for p in msg.payloads)
        allowed = all(isinstance(p, R_MESSAGE_PAYLOADS) for p in msg.payloads)
        last_is_v = bool(msg.payloads) and isinstance(msg.payloads[-1], Verification)
        if not allowed or not last_is_v or counts[Timestamp] != 1 or counts[Id] > 1:
            kinds = ", ".join(type(p).__name__ for p in msg.payloads)
            raise Rejection(ErrorNo.UNSPECIFIED, f"R_MESSAGE payloads {kinds} (RFC 3830 3.1)")

    def check_timestamp(self, msg: Message, sent: Message) -> None:
        """T is the initiator's own ("The Responder does not create a new timestamp", 5.2)."""
        if msg.first(Timestamp) != sent.first(Timestamp):
            raise Rejection(ErrorNo.INVALID_TS, "T is not the I_MESSAGE's (RFC 3830 5.2)")

    def check_identity(self, msg: Message) -> None:
        id_r = msg.first(Id)
        ours = self.settings.id_r
        if id_r is not None and ours is not None and id_r != ours:
            raise Rejection(ErrorNo.INVALID_ID, f"IDr {id_r.data!r} is not the peer's (3.1)")

    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        """V = MAC(R_MESSAGE || IDi || IDr || T), our auth_key and KEMAC's MAC alg (5.2).

        IDs and T are "identical to those transported in the ID and T payloads"
        (5.2); that T is the initiator's is check_timestamp's business.
        """
        v, kemac, t = msg.all(Verification), sent.all(Kemac), msg.first(Timestamp)
        trailer = (
            verification_trailer(*identities(sent, msg), self.timestamp_input(t)) if t else b""
        )
        if not v or not kemac or v[-1].auth_alg != kemac[-1].mac_alg:
            raise Rejection(ErrorNo.AUTH_FAILURE, "no V with the KEMAC's MAC alg (RFC 3830 5.2)")
        if not verify(data, msg, keys.auth_key, trailer):
            raise Rejection(ErrorNo.AUTH_FAILURE, "V does not verify (RFC 3830 5.2)")

    # -- internals -------------------------------------------------------------------------

    def _header(self, csb_id: int) -> CommonHeader:
        s = self.settings
        return CommonHeader(self.i_message_type, csb_id, cs_map=s.cs_map, v=s.v)

    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        s = self.settings
        t = self.env.timestamp(s.ts_type)
        plain = encode_key_data(key_data)
        keys = self._current().keys
        # 6.2: an update without Key data has "the Encr data len being equal to 0".
        encr = (
            kemac_encrypt(s.encr_alg, keys, hdr.csb_id, self.timestamp_input(t), plain)
            if plain
            else b""
        )
        ids = (s.id_i, *((s.id_r,) if s.id_r else ())) if s.id_i else ()
        kemac = Kemac(s.encr_alg, encr, s.mac_alg, bytes(MAC_LENGTH[s.mac_alg]))
        payloads: tuple[Payload, ...] = (t, *rand, *ids, *s.policies, kemac)
        return Message(hdr, payloads)

    def _keys(self, csb_id: int, rand: bytes) -> KemacKeys:
        s = self.settings
        return message_keys(s.psk, csb_id, rand, s.encr_alg, s.mac_alg)

    def _current(self) -> Exchange:
        if self.exchange is None:
            raise ValueError("no exchange started")
        return self.exchange

    def _awaiting(self) -> tuple[Exchange, Message]:
        exchange = self.exchange
        sent = exchange.sent if exchange is not None else None
        if exchange is None or sent is None or exchange.done or not self.awaits_response(sent):
            raise Rejection(ErrorNo.UNSPECIFIED, "no I_MESSAGE awaits a response (RFC 3830 3.1)")
        return exchange, sent

    def _establish(self, exchange: Exchange) -> None:
        exchange.done = True
        self.csbs[exchange.csb.csb_id] = exchange.csb
