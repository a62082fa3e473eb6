"""The suite's side of a PSK exchange: the reference library, driven for a test.

A test plays the initiator against a SUT responder with ReferenceInitiator, or
the responder against a SUT initiator with ReferenceResponder. Both can also
forge what a conformant peer never sends: messages broken in exactly one way
but carrying a valid MAC, so that a SUT that rejects them rejects them for
the right reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from conformance.evidence import Evidence
from conformance.vehicle import reference_took, sut_took, vehicle
from mikey.modes.base import Environment, Outcome
from mikey.modes.csb import Csb
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings, Reply
from mikey.srtp import SrtpKeys
from mikey.wire import (
    DH_VALUE_LENGTH,
    Chash,
    Dh,
    DhGroup,
    HashFunc,
    Kemac,
    Message,
    Payload,
    PayloadType,
    Rand,
    Timestamp,
    TsType,
    decode_message,
    payload_offsets,
)
from suts.base import ExchangeParams, Profile, Sut
from suts.base import Reply as SutReply
from suts.builtin import settings_for
from suts.cert_fetch import HttpCertFetcher

ByteMutation = Callable[[bytes], bytes]


class HarnessError(RuntimeError):
    """The suite misused its own reference side: a harness error, never a SUT failure."""


MessageMutation = Callable[[Message], Message]


def exchange_params(**changes: object) -> ExchangeParams:
    """Exchange parameters for a test: the defaults, with `changes` applied."""
    return replace(ExchangeParams(), **changes)  # type: ignore[arg-type]


def environment(profile: Profile, clock_offset: float = 0.0) -> Environment:
    """The reference side's clock (real time, shifted by `clock_offset` seconds), its
    fetcher of the certificates X.509v3 URL CERTs name (RFC 4738 3.8; suts.cert_fetch),
    and every TS type of Table 6.6 taken, so a SUT initiator may stamp COUNTER."""
    return Environment(
        clock=lambda: time.time() + clock_offset,
        max_skew=profile.max_skew,
        fetch=HttpCertFetcher.from_environment(),
        ts_types=frozenset(TsType),
    )


def send_to_responder(sut: Sut, ref: ReferenceInitiator, data: bytes, ev: Evidence) -> SutReply:
    """Hand one message to a SUT responder, recording both directions."""
    reply = sut.respond(ev.to_sut("I_MESSAGE", data), ref.params)
    ev.from_sut("answer", reply.message)
    return reply


def initiate(sut: Sut, params: ExchangeParams, ev: Evidence) -> bytes:
    """Have a SUT initiator start an exchange; returns (and records) its I_MESSAGE."""
    message = sut.initiate(params)
    ev.from_sut("I_MESSAGE", message)
    return message


def sut_responds(
    sut: Sut,
    ref: ReferenceInitiator,
    ev: Evidence,
    data: bytes | None = None,
    *,
    answer: bool = False,
    verify: bool = False,
) -> SutReply:
    """Vehicle steps (conformance.vehicle): the SUT responder takes a valid I_MESSAGE
    (`data`, else a fresh one); with `answer` it sends a verification message, with
    `verify` one the reference initiator takes."""
    with vehicle():
        reply = send_to_responder(sut, ref, ref.i_message() if data is None else data, ev)
        sut_took(reply, "a valid I_MESSAGE")
        if answer or verify:
            assert reply.message is not None, f"V=1 but no verification message: {reply.detail}"
        if verify and reply.message is not None:
            reference_took(ref.take_response(reply.message), "the verification message")
    return reply


def reference_answers(
    sut: Sut, ref: ReferenceResponder, params: ExchangeParams, ev: Evidence
) -> bytes:
    """Vehicle steps: the reference responder takes the SUT initiator's I_MESSAGE; returns
    its verification message."""
    with vehicle():
        reply = ref.take(initiate(sut, params, ev))
        reference_took(reply.outcome, "the SUT's I_MESSAGE")
        assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    return reply.message


class ReferenceInitiator:
    """The reference PSK initiator, plus forgeries of its I_MESSAGE."""

    def __init__(self, profile: Profile, params: ExchangeParams, clock_offset: float = 0.0):
        self.params = params
        self.settings: PskSettings = settings_for(profile, params)
        self.peer = PskInitiator(self.settings, environment(profile, clock_offset))
        self._message: Message | None = None

    def i_message(self) -> bytes:
        """A fresh, valid I_MESSAGE (a new CSB)."""
        data = self.peer.start()
        self._message = decode_message(data)
        return data

    @property
    def message(self) -> Message:
        if self._message is None:
            raise HarnessError("i_message() first")
        return self._message

    @property
    def csb_id(self) -> int:
        return self.message.hdr.csb_id

    @property
    def timestamp(self) -> Timestamp:
        t = self.message.first(Timestamp)
        if t is None:
            raise HarnessError("the reference I_MESSAGE has no T")
        return t

    @property
    def cs_ids(self) -> list[int]:
        return list(range(1, self.message.hdr.n_cs + 1))

    def offset_of(self, kind: type) -> int:
        """Byte offset of the first payload of class `kind` in the last I_MESSAGE."""
        return dict(
            zip(map(type, self.message.payloads), payload_offsets(self.message), strict=True)
        )[kind]

    def srtp_keys(self, cs_id: int) -> SrtpKeys:
        csb = self.peer.csb
        if csb is None:
            raise HarnessError("no CSB established on the reference side")
        return csb.srtp_keys(cs_id)

    def take_response(self, data: bytes) -> Outcome:
        """The reference initiator's verdict on an R_MESSAGE."""
        return self.peer.receive(data)

    def update_message(self) -> bytes:
        """An update of the current CSB (4.5): same CSB ID, new T, no RAND."""
        return self.peer.start_update()

    def forge(self, mutate: MessageMutation) -> bytes:
        """A new I_MESSAGE changed by `mutate` on the payload level, then MACed."""
        self.i_message()
        return self.peer.seal(mutate(self.peer.unsealed_message()))

    def forge_bytes(self, mutate: ByteMutation) -> bytes:
        """A new I_MESSAGE changed by `mutate` on the byte level, then MACed."""
        self.i_message()
        unsealed = self.peer.unsealed_bytes()
        return unsealed_mac(self.peer, mutate(unsealed))

    def corrupt_field(self, name: str) -> ByteMutation:
        """A byte mutation that gives one field a value the RFC does not allow."""
        return FIELD_CORRUPTIONS[name](self)

    @staticmethod
    def without(kind: str) -> MessageMutation:
        """Drop the payloads of one kind (by its Table 6.1.b name)."""
        cls = {"T": Timestamp, "RAND": Rand, "KEMAC": Kemac}[kind]

        def drop(msg: Message) -> Message:
            return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, cls)))

        return drop

    @staticmethod
    def with_extra(kind: str) -> MessageMutation:
        """Insert, before KEMAC, a payload that a PSK I_MESSAGE does not carry (3.1)."""

        def insert(msg: Message) -> Message:
            extras: dict[str, Payload | None] = {
                "CHASH": Chash(HashFunc.SHA_1, bytes(20)),
                "DH": Dh(DhGroup.OAKLEY_2, bytes(DH_VALUE_LENGTH[DhGroup.OAKLEY_2])),
                "second T": msg.first(Timestamp),
            }
            extra = extras[kind]
            if extra is None:
                raise HarnessError(f"no {kind} to insert")
            return replace(msg, payloads=(*msg.payloads[:-1], extra, msg.payloads[-1]))

        return insert

    @staticmethod
    def kemac_moved_before_rand() -> MessageMutation:
        def move(msg: Message) -> Message:
            kemac = [p for p in msg.payloads if isinstance(p, Kemac)]
            rest = [p for p in msg.payloads if not isinstance(p, Kemac)]
            i = next(i for i, p in enumerate(rest) if isinstance(p, Rand))
            return replace(msg, payloads=(*rest[:i], *kemac, *rest[i:]))

        return move


def unsealed_mac(peer: PskInitiator, unsealed: bytes) -> bytes:
    """Append the MAC the initiator's auth key gives over `unsealed` (5.2)."""
    return unsealed + peer.mac_over(unsealed)


def _set_byte(
    offset: Callable[[ReferenceInitiator], int], value: Callable[[int], int]
) -> Callable[[ReferenceInitiator], ByteMutation]:
    def corruption(ref: ReferenceInitiator) -> ByteMutation:
        def mutate(data: bytes) -> bytes:
            where = offset(ref)  # at mutation time: the message it mutates exists by then
            out = bytearray(data)
            out[where] = value(out[where])
            return bytes(out)

        return mutate

    return corruption


FIELD_CORRUPTIONS: dict[str, Callable[[ReferenceInitiator], ByteMutation]] = {
    # HDR data type (6.1 Table 6.1.a; RFC 4650 4.1 takes 7 and 8): 240 is unassigned.
    "data-type": _set_byte(lambda r: 1, lambda v: 240),
    # HDR PRF func (6.1 Table 6.1.c): 0x55 is unassigned; the V bit is kept.
    "prf-func": _set_byte(lambda r: 3, lambda v: (v & 0x80) | 0x55),
    # HDR Next payload announces RAND where T follows (6.1 Table 6.1.b).
    "next-payload": _set_byte(lambda r: 2, lambda v: int(PayloadType.RAND)),
    # KEMAC Encr alg (6.2 Table 6.2.a): 9 is unassigned.
    "encr-alg": _set_byte(lambda r: r.offset_of(Kemac) + 1, lambda v: 9),
    # RAND len one more than the RAND (6.11).
    "rand-len": _set_byte(lambda r: r.offset_of(Rand) + 1, lambda v: v + 1),
}


class ReferenceResponder:
    """The reference PSK responder, plus forgeries of its verification message."""

    def __init__(self, profile: Profile) -> None:
        self.settings = settings_for(profile, ExchangeParams())
        self.peer = PskResponder(self.settings, environment(profile))

    def take(self, message: bytes) -> Reply:
        return self.peer.receive(message)

    @property
    def csb(self) -> Csb | None:
        return self.peer.last_csb

    def resealed_response(
        self, r_message: bytes, *, timestamp_delta: int = 0, csb_delta: int = 0
    ) -> bytes:
        """The R_MESSAGE with its T or CSB ID changed and its V MAC made anew."""
        msg = decode_message(r_message)
        hdr = replace(msg.hdr, csb_id=(msg.hdr.csb_id + csb_delta) & 0xFFFFFFFF)
        payloads = tuple(
            replace(p, value=p.value + timestamp_delta) if isinstance(p, Timestamp) else p
            for p in msg.payloads
        )
        return self.peer.reseal_verification(replace(msg, hdr=hdr, payloads=payloads))
