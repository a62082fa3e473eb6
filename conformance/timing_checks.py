"""Timestamps and replays, the SUT as responder: one set of checks for every mode with T.

RFC 3830 5.4: "Each Responder utilizes a replay cache in order to remember the
successfully authenticated messages presented within an allowable clock skew (which is
set by the local policy)", and "Replayed and outdated messages [...] are discarded and
not processed"; 5.3 puts both checks first in the Responder's procedure. The other
modes take the rule over: RFC 4650 5.3 (DH-HMAC), RFC 4738 3.5 ("the timestamp is
current") and its pointer to RFC 3830 5.4 (RSA-R), RFC 6509 2.2.2 (MIKEY-SAKKE).

The allowable skew is the SUT's, as its profile says (Profile.max_skew, PIXIT). A
`TimedMode` is one mode as these checks drive it: its reference initiator with a clock
offset, its update message (None: the mode has none; RSA-R, RFC 4738 3, and MIKEY-SAKKE,
RFC 6509 2.1, define no update) and the requirement IDs each check cites there.
conformance/rfc3830/test_timing_responder.py holds the tests, one body per check,
parametrized over MODES.

The Initiator runs no skew window and no replay cache: RFC 3830 5.4 gives both to "each
Responder", and "servers that assume the role of MIKEY Initiators [...] will refuse all
incoming messages that are not a response to a message previously sent". The T it
checks is the answer's, against the one it sent (5.2: "The Responder does not create a
new timestamp, but uses the timestamp used by the Initiator"; 3.3: "The timestamp that is
included in the answer is the same as the one included in the Initiator's message"; RFC
4738 3.6: "The T payload is exactly the same as that received in the I_MESSAGE"). So
`answer_with_another_timestamp_is_refused` shifts the answer's T by max_skew - MARGIN,
signed or MACed anew: a T its clock would take, which is not the one it sent.
MIKEY-SAKKE has no answer (RFC 6509 2.1). The T the Initiator stamps is the current time,
within the allowable skew (5.4: "Each host has a clock which is at least 'loosely
synchronized' with the clocks of the other hosts"): `i_message_timestamp_is_current`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.checks import expect_rejection, not_applicable, strict_decode
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.reference import (
    ReferenceInitiator,
    ReferenceResponder,
    environment,
    exchange_params,
    initiate,
    reference_answers,
    send_to_responder,
)
from conformance.reference_dh import ReferenceDhHmacInitiator, ReferenceDhInitiator
from conformance.reference_pk import PkReferenceInitiator, PkReferenceResponder, pk_params
from conformance.reference_rsar import RSA_R, RsaRReferenceInitiator, RsaRReferenceResponder
from conformance.rfc6509.reference import SakkeReferenceInitiator, params
from conformance.vehicle import UPDATES, reference_took, sut_took, t_not_refused, vehicle
from mikey.modes.base import Outcome
from mikey.wire import DataType, ErrorNo, Message, Timestamp, decode_message
from suts.base import ExchangeParams, Profile, Reply, Sut

MARGIN = 2.0
"""How far (seconds) from the edge of the SUT's skew window the tests put T: inside at
max_skew - MARGIN, outside at max_skew + MARGIN. A T is stamped when the reference builds
the message and judged when the SUT reads it; in between come the rest of the message
(a SAKKE encapsulation and ECCSI signature in pure Python, an RSA signature), the adapter
(a shim process, a UDP round trip) and the SUT's own work before its check, which on a
loaded 2-core machine can reach half a second or more. That delay ages the message: it
pushes a stale T inside the window towards the edge and a future T outside the window
back into it. A SUT may also compare whole seconds (the NTP seconds field, 6.6), off by
up to 1 s. 2 s covers both, so a conformant SUT never flakes, while a window wrong by
more than 2 s (a grace period, a halved skew) still fails."""

INVALID_TS = frozenset({ErrorNo.INVALID_TS})
"""What an Error message answering a T outside the window names (RFC 3830 Table 6.12)."""

ERROR_RULES = ("RFC3830-6.12-error-numbers", "RFC3830-5.1.2-error-message-form")
"""An Error message, when the SUT sends one, is of the 5.1.2 form and says Invalid TS."""


@dataclass(frozen=True)
class TimedMode:
    """One mode with a timestamp, as the timing and replay checks drive it."""

    mode: str
    reference: Callable[[Profile, float, Sut], Any]
    """The reference initiator facing the SUT, its clock `offset` seconds off real time."""
    inside: tuple[str, ...]
    """Requirement IDs: a T inside the skew window is taken."""
    outside: tuple[str, ...]
    """Requirement IDs: a T outside the skew window is refused."""
    replay: tuple[str, ...]
    """Requirement IDs: a replayed message is refused."""
    update: Callable[[Any], bytes] | None = None
    """The reference initiator's update of its CSB (RFC 3830 4.5); None: no updates."""
    answers: bool = True
    """The responder answers a valid message (a verification message with V=1, an
    R_MESSAGE); MIKEY-SAKKE sends nothing (RFC 6509 2.1)."""


def _psk(profile: Profile, offset: float, sut: Sut) -> ReferenceInitiator:
    return ReferenceInitiator(profile, exchange_params(), clock_offset=offset)


def _pk(profile: Profile, offset: float, sut: Sut) -> PkReferenceInitiator:
    return PkReferenceInitiator(profile, clock_offset=offset, responder=sut)  # takes_chash


def _dh(profile: Profile, offset: float, sut: Sut) -> ReferenceDhInitiator:
    return ReferenceDhInitiator(profile, exchange_params(mode="DH"), offset)


def _dhhmac(profile: Profile, offset: float, sut: Sut) -> ReferenceDhHmacInitiator:
    return ReferenceDhHmacInitiator(profile, exchange_params(mode="DH-HMAC"), offset)


def _rsar(profile: Profile, offset: float, sut: Sut) -> RsaRReferenceInitiator:
    return RsaRReferenceInitiator(profile, clock_offset=offset)


def _sakke(profile: Profile, offset: float, sut: Sut) -> SakkeReferenceInitiator:
    return SakkeReferenceInitiator(profile, params(), clock_offset=offset)


def _psk_update(ref: ReferenceInitiator) -> bytes:
    return ref.update_message()


def _dh_update(ref: ReferenceDhHmacInitiator) -> bytes:
    return ref.update(new_keys=True)


RFC3830_WINDOW = "RFC3830-5.4-timestamp-window"
RFC3830_REPLAY = ("RFC3830-5.4-replay", "RFC3830-5.4-replay-cache")
DHHMAC_RULE = "RFC4650-5.3-replay-protection"
SAKKE_RULE = "RFC6509-2.2.2-rfc3830-processing"

MODES = (
    TimedMode(
        "PSK", _psk, (RFC3830_WINDOW,), (RFC3830_WINDOW, *ERROR_RULES), RFC3830_REPLAY, _psk_update
    ),
    TimedMode(
        "PK", _pk, (RFC3830_WINDOW,), (RFC3830_WINDOW, *ERROR_RULES), RFC3830_REPLAY, _psk_update
    ),
    TimedMode(
        "DH", _dh, (RFC3830_WINDOW,), (RFC3830_WINDOW, *ERROR_RULES), RFC3830_REPLAY, _dh_update
    ),
    TimedMode(
        "DH-HMAC",
        _dhhmac,
        (DHHMAC_RULE,),
        (DHHMAC_RULE, *ERROR_RULES),
        (DHHMAC_RULE,),
        _dh_update,
    ),
    TimedMode(
        "RSA-R",
        _rsar,
        ("RFC4738-3.5-r-message-sent",),
        (RFC3830_WINDOW, *ERROR_RULES),
        ("RFC3830-5.4-replay",),
    ),
    TimedMode(
        "SAKKE", _sakke, (SAKKE_RULE,), (SAKKE_RULE, *ERROR_RULES), (SAKKE_RULE,), answers=False
    ),
)
"""Every mode whose messages carry T: PSK, PK, DH (RFC 3830), DH-HMAC (RFC 4650), RSA-R
(RFC 4738), MIKEY-SAKKE (RFC 6509)."""

SIDES = {"stale": -1.0, "future": 1.0}
"""Which way the reference's clock is off: T in the past, or in the future."""


def cases(rule: str, kinds: tuple[str, ...]) -> list[Any]:
    """Test parameters (mode, kind) for every mode, marked with the mode and the
    requirement IDs of `rule` ("inside", "outside", "replay"); "update" only where the
    mode has updates."""
    return [
        pytest.param(
            timed,
            kind,
            id=f"{timed.mode}-{kind}",
            marks=[pytest.mark.mode(timed.mode), pytest.mark.requirement(*getattr(timed, rule))],
        )
        for timed in MODES
        for kind in kinds
        if kind != "update" or timed.update is not None
    ]


def clock_offset(profile: Profile, side: str, inside: bool) -> float:
    """The reference's clock offset that puts T MARGIN inside or outside the window."""
    distance = profile.max_skew + (-MARGIN if inside else MARGIN)
    return SIDES[side] * distance


def expect_taken(timed: TimedMode, ref: Any, reply: Reply, evidence: Evidence, what: str) -> None:
    """The SUT took the message: it does not say it refused it, sends no Error message,
    and its answer, where the mode has one, is taken by the reference initiator."""
    sut_took(reply, what)
    if reply.message is None:
        assert not timed.answers or reply.accepted, f"no answer to {what}: {reply.detail}"
        return
    msg = strict_decode(reply.message, "the SUT's answer")
    assert msg.hdr.data_type != DataType.ERROR, f"the SUT answered {what} with an Error message"
    if timed.answers:
        outcome: Outcome = ref.take_response(reply.message)
        reference_took(outcome, f"the answer to {what}")


def timestamp_inside_the_window_is_taken(
    timed: TimedMode, sut: Sut, profile: Profile, evidence: Evidence, side: str
) -> None:
    """A T MARGIN seconds inside the SUT's skew window (in the past or the future) is
    current: the message is taken (RFC 3830 5.4; a too strict window refuses it)."""
    if profile.max_skew <= 2 * MARGIN:
        not_applicable(f"max_skew {profile.max_skew} s leaves no room {MARGIN} s inside it")
    offset = clock_offset(profile, side, inside=True)
    evidence.note(f"initiator clock offset {offset:+.1f} s; SUT skew window {profile.max_skew} s")
    ref = timed.reference(profile, offset, sut)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    expect_taken(timed, ref, reply, evidence, f"a T {abs(offset):.0f} s in the {side} side")


def timestamp_outside_the_window_is_refused(
    timed: TimedMode, sut: Sut, profile: Profile, evidence: Evidence, side: str
) -> None:
    """A T MARGIN seconds outside the SUT's skew window is outdated: discarded (5.3,
    5.4), with Invalid TS if an Error message is sent (6.12)."""
    offset = clock_offset(profile, side, inside=False)
    evidence.note(f"initiator clock offset {offset:+.1f} s; SUT skew window {profile.max_skew} s")
    ref = timed.reference(profile, offset, sut)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    expect_rejection(reply, evidence, ref.csb_id, INVALID_TS)


def replayed_message_is_refused(
    timed: TimedMode, sut: Sut, profile: Profile, evidence: Evidence, which: str
) -> None:
    """The same authenticated message twice, an initial one or an update (4.5): the
    second is a replay, discarded (5.4). An update names a known CSB and carries no RAND,
    so only the replay cache can tell its copy."""
    if which == "update" and not sut.capabilities().updates:
        not_applicable("the SUT does not implement CSB updates")
    ref = timed.reference(profile, 0.0, sut)
    message = taken_by_the_sut(timed, sut, ref, which, evidence)
    again = send_to_responder(sut, ref, message, evidence)
    expect_rejection(again, evidence, ref.csb_id, None)


def taken_by_the_sut(timed: TimedMode, sut: Sut, ref: Any, which: str, evidence: Evidence) -> bytes:
    """Vehicle steps: the SUT takes `ref`'s valid initial message and, for "update", then
    its update; returns the last message taken (the one a replay test sends again)."""
    message: bytes = ref.i_message()
    with vehicle(another_clause=True):  # DH-HMAC, SAKKE: one ID for the window and replays
        first = send_to_responder(sut, ref, message, evidence)
        expect_taken(timed, ref, first, evidence, "a valid initial message")
    if which == "update":
        assert timed.update is not None
        message = timed.update(ref)
        with vehicle(UPDATES[timed.mode], another_clause=True):
            taken = send_to_responder(sut, ref, message, evidence)
            expect_taken(timed, ref, taken, evidence, "a valid update")
    return message


AUTHENTICATED_ONLY = {
    "PSK": "RFC3830-5.3-replay-cache-authenticated-only",
    "PK": "RFC3830-5.3-replay-cache-authenticated-only",
    "DH": "RFC3830-5.3-replay-cache-authenticated-only",
    "DH-HMAC": DHHMAC_RULE,
    "RSA-R": "RFC3830-5.3-replay-cache-authenticated-only",
    "SAKKE": SAKKE_RULE,
}
"""Per mode, the requirement ID of "only authenticated messages enter the replay cache"
(RFC 3830 5.3: the Responder adds a message once "the message is authenticated")."""


def forgery_cases() -> list[Any]:
    """Test parameters, one per mode, marked with the mode and its AUTHENTICATED_ONLY ID."""
    return [
        pytest.param(
            timed,
            id=timed.mode,
            marks=[
                pytest.mark.mode(timed.mode),
                pytest.mark.requirement(AUTHENTICATED_ONLY[timed.mode]),
            ],
        )
        for timed in MODES
    ]


def forgery_does_not_poison_the_replay_cache(
    timed: TimedMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A forged copy of a message (its last bit, of its MAC or signature, flipped), then
    the genuine one: the forgery must not have entered the replay cache, so the genuine
    message is taken (5.3). The SUT's taking it is the check; the reference's taking the
    answer is the vehicle."""
    ref = timed.reference(profile, 0.0, sut)
    genuine = ref.i_message()
    evidence.note("first a copy with its last bit (MAC or signature) flipped")
    send_to_responder(sut, ref, genuine[:-1] + bytes([genuine[-1] ^ 0x01]), evidence)
    reply = send_to_responder(sut, ref, genuine, evidence)
    with vehicle(another_clause=True):  # refused for its T, stamped now: the window's
        t_not_refused(reply)
    what = "the genuine message after a forged copy"
    sut_took(reply, what)
    with vehicle():  # the answer's own rules (its T, its payloads) are checked elsewhere
        expect_taken(timed, ref, reply, evidence, what)


# -- the SUT as initiator ----------------------------------------------------------------

STAMPING = {
    "PSK": exchange_params(),
    "PK": pk_params(),
    "DH": exchange_params(mode="DH"),
    "DH-HMAC": exchange_params(mode="DH-HMAC"),
    "RSA-R": RSA_R,
    "SAKKE": params(),
}
"""Every mode with T, with what a SUT initiator is asked for in each: RFC 4650 5.3, RFC
4738 3.5 and RFC 6509 2.2.2 take RFC 3830 5.4's timestamps over."""


def stamping_cases() -> list[Any]:
    """Test parameters, one per mode with T, marked with the mode and the clock rule."""
    rule = pytest.mark.requirement("RFC3830-5.4-loosely-synchronized-clock")
    return [pytest.param(m, id=m, marks=[pytest.mark.mode(m), rule]) for m in STAMPING]


def i_message_timestamp_is_current(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's I_MESSAGE carries the current time as T (NTP-UTC or NTP: seconds since
    1900, RFC 5905 6), within the allowable clock skew (RFC 3830 5.4, 6.6)."""
    msg = strict_decode(initiate(sut, STAMPING[mode], evidence), "the I_MESSAGE")
    t = msg.first(Timestamp)
    assert t is not None, "the I_MESSAGE has no T payload (RFC 3830 3)"
    age = environment(profile).age(t)
    if age is None:
        not_applicable("the SUT stamps a COUNTER, which carries no time (6.6)")
    evidence.note(f"T is {age:+.1f} s old; the clock skew is {profile.max_skew} s")
    assert abs(age) <= profile.max_skew, (
        f"the I_MESSAGE's T is {age:+.0f} s off the current time, outside the clock skew of "
        f"{profile.max_skew} s (RFC 3830 5.4; NTP counts seconds from 1900, RFC 5905 6)"
    )


NTP_SECOND = 1 << 32
"""One second in a 64-bit NTP timestamp (RFC 3830 6.6, RFC 5905 6)."""


def shifted(msg: Message, seconds: float) -> Message:
    """`msg` with its T moved by `seconds`."""
    delta = round(seconds * NTP_SECOND)
    payloads = tuple(
        replace(p, value=p.value + delta) if isinstance(p, Timestamp) else p for p in msg.payloads
    )
    return replace(msg, payloads=payloads)


def _resealed_answer(
    ref: ReferenceResponder, params: ExchangeParams, sut: Sut, evidence: Evidence, seconds: float
) -> bytes:
    """The reference's verification message to the SUT's I_MESSAGE, T moved and V redone."""
    answer = reference_answers(sut, ref, params, evidence)
    return ref.resealed_response(answer, timestamp_delta=round(seconds * NTP_SECOND))


def _psk_answer(sut: Sut, profile: Profile, evidence: Evidence, seconds: float) -> bytes:
    return _resealed_answer(ReferenceResponder(profile), exchange_params(), sut, evidence, seconds)


def _pk_answer(sut: Sut, profile: Profile, evidence: Evidence, seconds: float) -> bytes:
    return _resealed_answer(PkReferenceResponder(profile), pk_params(), sut, evidence, seconds)


def _dh_answer(sut: Sut, profile: Profile, evidence: Evidence, seconds: float) -> bytes:
    ref, answer = DH_METHOD.answered(sut, profile, evidence)
    return ref.forged(answer, lambda msg: shifted(msg, seconds))


def _dhhmac_answer(sut: Sut, profile: Profile, evidence: Evidence, seconds: float) -> bytes:
    ref, answer = DH_HMAC.answered(sut, profile, evidence)
    return ref.forged(answer, lambda msg: shifted(msg, seconds))


def _rsar_answer(sut: Sut, profile: Profile, evidence: Evidence, seconds: float) -> bytes:
    ref = RsaRReferenceResponder(profile)
    with vehicle():
        reply = ref.take(initiate(sut, RSA_R, evidence))
        reference_took(reply.outcome, "the SUT's I_MESSAGE")
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    t = shifted(decode_message(reply.message), seconds).first(Timestamp)
    assert t is not None, "the reference R_MESSAGE has no T"
    return ref.with_timestamp(reply.message, t)


@dataclass(frozen=True)
class AnsweringMode:
    """One mode whose Initiator takes an answer, as the initiator check drives it."""

    mode: str
    forged_answer: Callable[[Sut, Profile, Evidence, float], bytes]
    """The reference responder's answer to the SUT's I_MESSAGE, its T moved by the given
    seconds, MACed or signed anew."""
    rule: tuple[str, ...]
    """Requirement IDs: the answer's T is the Initiator's own."""

    def cases(self) -> list[Any]:
        marks = [pytest.mark.mode(self.mode), pytest.mark.requirement(*self.rule)]
        return [pytest.param(self, side, id=f"{self.mode}-{side}", marks=marks) for side in SIDES]


ANSWERING = (
    AnsweringMode("PSK", _psk_answer, ("RFC3830-5.2-verification-mac",)),
    AnsweringMode("PK", _pk_answer, ("RFC3830-5.2-verification-mac",)),
    AnsweringMode("DH", _dh_answer, ("RFC3830-3.3-responder-timestamp",)),
    AnsweringMode("DH-HMAC", _dhhmac_answer, (DHHMAC_RULE,)),
    AnsweringMode("RSA-R", _rsar_answer, ("RFC4738-3.6-t-same",)),
)
"""Every mode with T whose Initiator takes an answer (not MIKEY-SAKKE)."""


def answer_with_another_timestamp_is_refused(
    answering: AnsweringMode, sut: Sut, profile: Profile, evidence: Evidence, side: str
) -> None:
    """An answer whose T is the I_MESSAGE's moved by max_skew - MARGIN seconds (so a
    window check against the clock would pass it), MACed or signed anew: not the answer
    to the SUT's message, refused (RFC 3830 5.2, 3.3, 5.4; RFC 4738 3.6)."""
    if profile.max_skew <= 2 * MARGIN:
        not_applicable(f"max_skew {profile.max_skew} s leaves no room {MARGIN} s inside it")
    seconds = SIDES[side] * (profile.max_skew - MARGIN)
    evidence.note(f"the answer's T moved by {seconds:+.1f} s from the I_MESSAGE's")
    forged = answering.forged_answer(sut, profile, evidence, seconds)
    outcome = sut.complete(evidence.to_sut("answer (T moved, sealed anew)", forged))
    assert not outcome.accepted, f"the SUT took an answer whose T is {seconds:+.0f} s off its own"
