"""The mode-independent part of a responder: RFC 3830 5.3's procedure.

Every check is a method of its own that returns quietly or raises `Rejection`
(its Table 6.12 number, or None to discard silently), so a subclass can
replace exactly one of them. A mode subclasses `Responder` and writes
`process`, the sequence of checks for its message.

Mode-independent decisions:

- A message that does not decode gets an Error message with the number
  `mikey.wire.error_no_for` gives, if its CSB ID can be read; a byte string
  too short to be a MIKEY version 1 header is discarded silently (nothing says
  it was meant for us). That table (kept once, in the codec) maps the field
  whose value is unknown: data type -> Invalid DT, PRF func -> Invalid PRF,
  MAC alg / Auth alg -> Invalid MAC, Encr alg -> Invalid EA, Hash func ->
  Invalid HA, DH-Group -> Invalid DH, ID type -> Invalid ID, Cert type ->
  Invalid Cert, Prot type -> Invalid SP, TS type -> Invalid TS (Table 6.12's
  "Invalid timestamp" is its only entry about T, and a T of unknown type is
  one the receiver cannot check), anything else -> Unspecified error.
- A timestamp outside the clock skew is "discarded" (5.3); we also report it
  with Invalid TS (5.1.2: "all errors SHOULD be reported"; Table 6.12 has the
  number for exactly this). The message is not processed either way.
- A COUNTER timestamp (optional, Table 6.6) is taken only where both the mode
  (`ts_types`) and the party's local policy (`Environment.ts_types`) take it.
  It carries no time, so the clock-skew check has nothing to check; its
  freshness is the replay rule's instead (mikey.modes.replay: per CSB, the
  COUNTER of each authenticated message must be later than the last one).
- A replay is discarded silently (5.3, 5.4): it was authenticated before, and
  answering would turn the responder into a reflector; Table 6.12 has no
  number for it.
- An Error message sent to a responder is discarded silently (never answer
  an error with an error).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mikey.modes.base import Environment, Outcome, Rejection, Reply, TimestampInput
from mikey.modes.error_message import csb_id_of, error_header, error_message
from mikey.modes.replay import ReplayCache
from mikey.ntp import NTP_TYPES
from mikey.srtp import UnsupportedSrtpPolicy, srtp_profile
from mikey.wire import (
    CommonHeader,
    CsIdMapType,
    DataType,
    DecodeError,
    ErrorNo,
    MacAlg,
    Message,
    PrfFunc,
    ProtType,
    SecurityPolicy,
    Timestamp,
    TsType,
    decode_message,
    error_no_for,
)


@dataclass
class Incoming:
    """What is known so far about the message being processed."""

    data: bytes
    msg: Message | None = None
    auth: tuple[MacAlg, bytes] | None = None
    """(MAC alg, auth_key) once the message is authenticated (5.3)."""


class Responder(TimestampInput):
    """RFC 3830 5.3 for one responder; subclasses define `process` per mode."""

    data_types: frozenset[DataType] = frozenset()
    """The initiator data types this responder takes (Table 6.1.a)."""
    prf_funcs: frozenset[PrfFunc] = frozenset({PrfFunc.MIKEY_1})
    ts_types: frozenset[TsType] = NTP_TYPES
    """The TS types the mode lets this responder take (Table 6.6); of these it takes the
    ones its environment's local policy takes (`Environment.ts_types`)."""

    def __init__(self, env: Environment | None = None, replay: ReplayCache | None = None) -> None:
        self.env = env if env is not None else Environment()
        self.replay = replay if replay is not None else ReplayCache()

    # -- the procedure -------------------------------------------------------------

    def receive(self, data: bytes) -> Reply:
        """Take one message; answer with a verification or Error message, or nothing."""
        incoming = Incoming(bytes(data))
        try:
            message, reason = self.process(incoming)
        except Rejection as rejection:
            answer = self.error_reply(incoming, rejection)
            return Reply(answer, Outcome(False, rejection.error, rejection.reason))
        return Reply(message, Outcome(True, None, reason))

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        """Run the mode's checks; return (answer, reason) or raise Rejection."""
        raise NotImplementedError

    def supported_policies(self) -> tuple[SecurityPolicy, ...]:
        """The policies an Invalid SP/SPpar Error message offers (5.1.1)."""
        return ()

    # -- checks shared by the modes ------------------------------------------------

    def decode(self, data: bytes) -> Message:
        """Strict decoding; an unknown registry value gets its Table 6.12 number (5.1.2)."""
        try:
            return decode_message(data)
        except DecodeError as exc:
            error = error_no_for(exc) if csb_id_of(data) is not None else None
            raise Rejection(error, f"does not decode: {exc}") from None

    def check_data_type(self, msg: Message) -> None:
        """The HDR data type is one this responder takes (6.1, Table 6.1.a)."""
        if msg.hdr.data_type == DataType.ERROR:
            raise Rejection(None, "an Error message is not answered (RFC 3830 5.1.2)")
        if msg.hdr.data_type not in self.data_types:
            name = msg.hdr.data_type.name
            raise Rejection(ErrorNo.INVALID_DT, f"data type {name} not taken here (RFC 3830 6.1)")

    def check_version_prf(self, msg: Message) -> None:
        """MIKEY version 1 and a supported PRF (6.1, Table 6.1.c)."""
        if msg.hdr.version != 1:
            raise Rejection(ErrorNo.UNSPECIFIED, f"version {msg.hdr.version} (RFC 3830 6.1)")
        if msg.hdr.prf_func not in self.prf_funcs:
            raise Rejection(ErrorNo.INVALID_PRF, f"PRF func {msg.hdr.prf_func} (RFC 3830 6.1)")

    def check_timestamp(self, msg: Message) -> None:
        """T is a supported type and within the allowable clock skew (5.3, 5.4).

        A COUNTER has no age: there is no skew to check, check_replay's rule stands in.
        """
        t = msg.first(Timestamp)
        if t is None:
            raise Rejection(ErrorNo.UNSPECIFIED, "no T payload (RFC 3830 3, 5.3)")
        if t.ts_type not in self.ts_types & self.env.ts_types:
            raise Rejection(ErrorNo.INVALID_TS, f"TS type {t.ts_type.name} not supported (6.6)")
        age = self.env.age(t)
        if age is not None and abs(age) > self.env.max_skew:
            raise Rejection(
                ErrorNo.INVALID_TS,
                f"timestamp {age:+.1f} s old, outside the clock skew of {self.env.max_skew} s "
                "(RFC 3830 5.3, 5.4)",
            )

    def check_replay(self, data: bytes, msg: Message) -> None:
        """The message is not in the replay cache, and there is room to remember it (5.4)."""
        t = msg.first(Timestamp)
        if t is not None and self.replay.seen(data, msg.hdr.csb_id, t):
            raise Rejection(None, "replayed message discarded (RFC 3830 5.3, 5.4)")
        if not self.replay.has_room(self.env.clock()):
            raise Rejection(None, "replay cache full: all messages refused (RFC 3830 5.4)")

    def remember(self, data: bytes, msg: Message) -> None:
        """Add an authenticated message to the replay cache until it leaves the skew (5.3);
        a COUNTER's stays as its CSB's last counter (mikey.modes.replay)."""
        t = msg.first(Timestamp)
        if t is None:
            return
        age = self.env.age(t) or 0.0
        expires = self.env.clock() - age + self.env.max_skew
        self.replay.add(data, msg.hdr.csb_id, t, expires)

    def check_policies(self, msg: Message) -> None:
        """Every SP has its own number and is SRTP as a libsrtp profile takes it (6.10, 5.1.1)."""
        self.check_policy_numbers(msg)
        for policy in msg.all(SecurityPolicy):
            if policy.prot_type != ProtType.SRTP:
                raise Rejection(ErrorNo.INVALID_SP, f"Prot type {policy.prot_type} (6.10)")
            try:
                srtp_profile(policy)
            except UnsupportedSrtpPolicy as exc:
                raise Rejection(ErrorNo.INVALID_SPPAR, f"{exc} (RFC 3830 6.10.1)") from None

    def check_policy_numbers(self, msg: Message) -> None:
        """Every SP has its own Policy no: "each security policy payload must be given a
        distinct number for the current MIKEY session by the local peer" (6.10)."""
        numbers = [p.policy_no for p in msg.all(SecurityPolicy)]
        if len(set(numbers)) != len(numbers):
            raise Rejection(ErrorNo.UNSPECIFIED, "two SP payloads share a Policy no (6.10)")

    def fill_in_ssrcs(self, hdr: CommonHeader) -> CommonHeader:
        """The response's HDR with every zero SSRC filled in (6.1.1: "SSRCs that are not
        chosen by the Initiator are set to zero and the Responder fills in these fields
        in the response message"). A filled-in SSRC is random and never zero."""
        if hdr.cs_id_map_type != CsIdMapType.SRTP_ID:
            return hdr
        cs_map = tuple(e if e.ssrc else replace(e, ssrc=self._random_ssrc()) for e in hdr.cs_map)
        return replace(hdr, cs_map=cs_map)

    def _random_ssrc(self) -> int:
        while True:
            ssrc = int.from_bytes(self.env.random(4), "big")
            if ssrc:
                return ssrc

    # -- answering a rejection -----------------------------------------------------

    def error_reply(self, incoming: Incoming, rejection: Rejection) -> bytes | None:
        """The Error message for a rejection (5.1.2), or None to stay silent."""
        if rejection.error is None:
            return None
        msg = incoming.msg
        hdr = error_header(msg.hdr if msg else None, csb_id_of(incoming.data))
        t = msg.first(Timestamp) if msg else None
        policies = (
            self.supported_policies()
            if rejection.error in (ErrorNo.INVALID_SP, ErrorNo.INVALID_SPPAR)
            else ()
        )
        stamp = t if t is not None else self.env.timestamp(TsType.NTP_UTC)
        return error_message(hdr, stamp, (rejection.error,), policies, incoming.auth)
