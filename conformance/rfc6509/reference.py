"""The suite's side of a MIKEY-SAKKE exchange (RFC 6509): the reference library, driven
for a test, with forgeries a conformant initiator never sends.

A forgery is changed on the payload level and then signed anew with a real ECCSI key
(the initiator's own by default, or another Identifier's), so that a SUT that rejects
it rejects it for the rule it breaks, not for a bad signature; `tamper` changes signed
bytes without signing again (the signature must then fail).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace

from conformance.evidence import Evidence
from conformance.reference import environment
from mikey.crypto import eccsi
from mikey.modes.base import Outcome
from mikey.modes.csb import Csb
from mikey.modes.sakke_common import sign_message
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_kms import identifier, key_period
from mikey.modes.sakke_responder import SakkeResponder
from mikey.srtp import SrtpKeys
from mikey.wire import Message, Payload, Timestamp, decode_message, payload_offsets
from suts.base import ExchangeParams, Profile, Sut
from suts.base import Reply as SutReply
from suts.builtin import sakke_settings_for

MessageMutation = Callable[[Message], Message]
OTHER_URI = b"tel:+447700900999"
"""A third user of the community: neither the initiator nor the responder."""


def params(**changes: object) -> ExchangeParams:
    """MIKEY-SAKKE exchange parameters, with `changes` applied."""
    return replace(ExchangeParams(mode="SAKKE"), **changes)  # type: ignore[arg-type]


def previous_period(now: float) -> str:
    """The key period (month) before the one of `now` (RFC 6509 3.3)."""
    first = datetime.datetime.fromtimestamp(now, datetime.UTC).replace(day=1)
    return key_period((first - datetime.timedelta(days=1)).timestamp())


class SakkeReferenceInitiator:
    """The reference MIKEY-SAKKE initiator, plus forgeries of its I_MESSAGE."""

    def __init__(self, profile: Profile, exchange: ExchangeParams, clock_offset: float = 0.0):
        self.params = exchange
        self.settings = sakke_settings_for(profile, exchange)
        self.peer = SakkeInitiator(self.settings, environment(profile, clock_offset))
        self.message: Message | None = None

    def i_message(self) -> bytes:
        """A fresh, valid, signed I_MESSAGE (a new CSB)."""
        return self.forge(lambda msg: msg)

    def forge(self, mutate: MessageMutation, signer: bytes | None = None) -> bytes:
        """A new I_MESSAGE changed by `mutate`, signed with `signer`'s key (an Identifier;
        default: the initiator's of the current month)."""
        self.message = mutate(self.peer.compose())
        if signer is None:
            return self.peer.sign(self.message)
        key = self.settings.kms.user_keys(signer).signing
        j = eccsi.random_scalar(self.peer.env.random(2 * eccsi.N))
        return sign_message(self.message, key, j)

    def tamper(self, where: type, index: int) -> bytes:
        """A valid I_MESSAGE with one bit flipped `index` bytes into its first payload of
        class `where` (Next payload field included), after signing."""
        data = bytearray(self.i_message())
        signed = decode_message(bytes(data))
        kinds = [type(p) for p in signed.payloads]
        data[payload_offsets(signed)[kinds.index(where)] + index] ^= 0x01
        return bytes(data)

    def now(self) -> float:
        return self.peer.env.clock()

    def identifier_of(self, uri: bytes, period: str | None = None) -> bytes:
        """The Identifier of `uri` for `period` (default: the current month)."""
        return identifier(uri, period or key_period(self.now()))

    @property
    def csb_id(self) -> int | None:
        return self.message.hdr.csb_id if self.message else None

    @property
    def csb(self) -> Csb | None:
        return self.peer.pending

    def srtp_keys(self, cs_id: int) -> SrtpKeys:
        csb = self.peer.pending
        assert csb is not None, "i_message() first"
        return csb.srtp_keys(cs_id)


def replacing(kind: type, make: Callable[[Payload], Payload | None]) -> MessageMutation:
    """A mutation that replaces every payload of class `kind` by `make(p)` (None: drop)."""

    def mutate(msg: Message) -> Message:
        out = [make(p) if isinstance(p, kind) else p for p in msg.payloads]
        return replace(msg, payloads=tuple(p for p in out if p is not None))

    return mutate


def timestamp_of(msg: Message) -> Timestamp:
    t = msg.first(Timestamp)
    assert t is not None
    return t


def send_to_responder(
    sut: Sut, ref: SakkeReferenceInitiator, data: bytes, ev: Evidence
) -> SutReply:
    """Hand one I_MESSAGE to a SUT responder, recording both directions."""
    reply = sut.respond(ev.to_sut("I_MESSAGE", data), ref.params)
    ev.from_sut("answer", reply.message)
    return reply


class SakkeReferenceResponder:
    """The reference MIKEY-SAKKE responder, judging a SUT initiator's I_MESSAGE."""

    def __init__(self, profile: Profile) -> None:
        self.peer = SakkeResponder(sakke_settings_for(profile, params()), environment(profile))

    def take(self, message: bytes) -> Outcome:
        return self.peer.receive(message).outcome

    def srtp_keys(self, cs_id: int) -> SrtpKeys:
        csb = self.peer.last_csb
        assert csb is not None, "no CSB established on the reference side"
        return csb.srtp_keys(cs_id)
