"""An update is checked like an initial message, both ways, in every mode with updates.

RFC 3830 4.5: an update is a message of the same exchange, "with the difference that the
CSB ID is the same as the one to be updated" and no RAND. So a Responder checks its
KEMAC MAC, SIGNi or HMAC (5.3; RFC 4650 3.1) and its T against the clock skew (5.4) as
an initial message's, and refuses one for a CSB it does not have (4.1.4 cannot key it
without the initial RAND); an Initiator checks the answer to its update as an initial
answer: its V (5.2), SIGNr (3.3) or HMAC (RFC 4650 3), and that its T is the update's
(5.2, 3.3; RFC 4650 5.3). A party that checks initial messages only takes new keys, or
an answer, from anyone once a CSB exists.

Each forgery changes one thing: the last bit of the update or of its answer (its MAC or
signature); the answer's T, MACed or signed anew; the clock the update is stamped with.
The exchanges are the key checks' (conformance.key_checks.KEYED: the reference initiator
and its updates, the reference responder, the exchange asked of a SUT initiator); an
`UpdatingMode` adds the requirement IDs each check cites and how an answer's T is moved.
conformance/rfc3830/test_updates_responder.py and test_updates_initiator.py hold the
tests. RSA-R (RFC 4738 3) and MIKEY-SAKKE (RFC 6509 2.1) define no updates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.answer_checks import next_csb_id
from conformance.checks import expect_rejection, not_applicable, strict_decode
from conformance.evidence import Evidence
from conformance.key_checks import KEYED, KeyedMode
from conformance.reference import initiate, send_to_responder
from conformance.timing_checks import INVALID_TS, MARGIN, NTP_SECOND, SIDES, shifted
from conformance.vehicle import UPDATES, reference_took, sut_took, t_not_refused, vehicle
from mikey.wire import ErrorNo, Message, Rand, Timestamp
from suts.base import Profile, Sut

AUTH_FAILURE = frozenset({ErrorNo.AUTH_FAILURE})
"""What an Error message answering a forged update names (RFC 3830 5.3, Table 6.12)."""


def _verification_moved(ref: Any, answer: bytes, seconds: float) -> bytes:
    data: bytes = ref.resealed_response(answer, timestamp_delta=round(seconds * NTP_SECOND))
    return data


def _r_message_moved(ref: Any, answer: bytes, seconds: float) -> bytes:
    data: bytes = ref.forged(answer, lambda msg: shifted(msg, seconds))
    return data


def _verification_for_another_csb(ref: Any, answer: bytes) -> bytes:
    data: bytes = ref.resealed_response(answer, csb_delta=1)
    return data


def _r_message_for_another_csb(ref: Any, answer: bytes) -> bytes:
    data: bytes = ref.forged(answer, next_csb_id)
    return data


@dataclass(frozen=True)
class UpdatingMode:
    """One mode with updates, as the update checks drive it."""

    keyed: KeyedMode
    rules: Mapping[str, tuple[str, ...]]
    """Requirement IDs each check cites here, by check (CHECKS)."""
    moved_answer: Callable[[Any, bytes, float], bytes]
    """The reference responder's last answer with its T moved by the seconds given,
    MACed or signed anew."""
    answer_for_another_csb: Callable[[Any, bytes], bytes]
    """The reference responder's last answer under the next CSB ID, MACed or signed anew."""


CHECKS = (
    "forged-update",
    "unknown-csb",
    "update-t",
    "forged-answer",
    "answer-t",
    "answer-csb",
    "update-csb-t",
    "update-no-rand",
)
"""The checks: of the SUT responder (a forged update, an update of an unknown CSB, an
update's T outside the skew) and of the SUT initiator (a forged answer to its update,
an answer to its update with another T, or under another CSB ID; its update's CSB ID, T
and RAND)."""

_KEYED = {keyed.name or keyed.mode: keyed for keyed in KEYED}
VERIFY = ("RFC3830-5.3-verify-mac", "RFC3830-5.3-auth-failure-error")
V_MAC = ("RFC3830-5.2-verification-mac",)
WINDOW = ("RFC3830-5.4-timestamp-window", "RFC3830-6.12-error-numbers")
HMAC = ("RFC4650-3-hmac-coverage",)
DHHMAC_T = ("RFC4650-5.3-replay-protection",)
ECHO = ("RFC3830-6.1-csb-id-echo",)
COMPOSED = {
    "update-csb-t": ("RFC3830-4.5-update-same-csb-id", "RFC3830-4.5-update-new-timestamp"),
    "update-no-rand": ("RFC3830-4.5-update-no-rand",),
}
"""The update's HDR, T and RAND (RFC 3830 4.5; RFC 4650 3.1 takes 4.5's updates over)."""
UPDATING = (
    UpdatingMode(
        _KEYED["PSK"],
        {
            "forged-update": VERIFY,
            "unknown-csb": ("RFC3830-4.5-update",),
            "update-t": WINDOW,
            "forged-answer": V_MAC,
            "answer-t": V_MAC,
            "answer-csb": ECHO,
            **COMPOSED,
        },
        _verification_moved,
        _verification_for_another_csb,
    ),
    UpdatingMode(
        _KEYED["PK"],
        {
            "forged-update": VERIFY,
            "update-t": WINDOW,
            "forged-answer": V_MAC,
            "answer-t": V_MAC,
            "answer-csb": ECHO,
            **COMPOSED,
        },
        _verification_moved,
        _verification_for_another_csb,
    ),
    UpdatingMode(
        _KEYED["DH"],
        {
            "forged-update": VERIFY,
            "unknown-csb": ("RFC3830-4.5-update-dh",),
            "update-t": WINDOW,
            "forged-answer": ("RFC3830-3.3-r-message-payloads",),
            "answer-t": ("RFC3830-3.3-responder-timestamp",),
            "answer-csb": ECHO,
            **COMPOSED,
        },
        _r_message_moved,
        _r_message_for_another_csb,
    ),
    UpdatingMode(
        _KEYED["DH-HMAC"],
        {
            "forged-update": HMAC,
            "update-t": (*DHHMAC_T, "RFC3830-6.12-error-numbers"),
            "forged-answer": HMAC,
            "answer-t": DHHMAC_T,
            "answer-csb": ECHO,
            **COMPOSED,
        },
        _r_message_moved,
        _r_message_for_another_csb,
    ),
)
"""PSK, PK, DH (RFC 3830 4.5), DH-HMAC (RFC 4650 3.1, which takes 4.5's updates over),
each citing the IDs its initial-message tests of the same rule cite. "unknown-csb" only
where the CSB check alone refuses such an update: in PK and DH-HMAC the MAC keyed with
the initial RAND (4.1.4) refuses it too, so no single-fault mutant could show that test
fail (parity.json keeps those cells as gaps)."""


def cases(check: str, kinds: tuple[str, ...] = ("",)) -> list[Any]:
    """Test parameters (mode, kind) for `check` in every mode that has it, marked with
    the mode and its IDs."""
    return [
        pytest.param(
            updating,
            kind,
            id=f"{updating.keyed.mode}-{kind}" if kind else updating.keyed.mode,
            marks=[
                pytest.mark.mode(updating.keyed.mode),
                pytest.mark.requirement(*updating.rules[check]),
            ],
        )
        for updating in UPDATING
        if check in updating.rules
        for kind in kinds
    ]


def flipped(data: bytes) -> bytes:
    """`data` with the last bit flipped: the last byte of its MAC or signature."""
    return data[:-1] + bytes([data[-1] ^ 0x01])


def updates_applicable(sut: Sut) -> None:
    caps = sut.capabilities()
    if not caps.updates:
        not_applicable(f"{caps.name} does not implement CSB updates")


# -- the SUT as responder ----------------------------------------------------------------


def _established(updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence) -> Any:
    """The reference initiator, with a CSB the SUT took."""
    updates_applicable(sut)
    ref = updating.keyed.initiator(profile, sut)
    with vehicle(another_clause=True):  # refused with Invalid TS: the window's, not the update's
        reply = send_to_responder(sut, ref, ref.i_message(), evidence)
        sut_took(reply, "a valid initial message")
        if reply.message is not None:
            reference_took(ref.take_response(reply.message), "the SUT's answer")
    return ref


def forged_update_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """After an exchange the SUT took, the reference's update with its MAC or signature
    broken is refused, with Auth failure if an Error message is sent (5.3)."""
    ref = _established(updating, sut, profile, evidence)
    evidence.note("the update's last bit (its MAC or signature) flipped")
    reply = send_to_responder(sut, ref, flipped(updating.keyed.update(ref, True)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, AUTH_FAILURE)


def update_of_an_unknown_csb_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update (no RAND) for a CSB the SUT never established cannot be keyed (4.1.4
    needs the initial RAND): refused (4.5)."""
    updates_applicable(sut)
    ref = updating.keyed.initiator(profile, sut)
    ref.i_message()  # never sent: the SUT has no such CSB
    reply = send_to_responder(sut, ref, updating.keyed.update(ref, True), evidence)
    with vehicle():  # its T is current: refused for it, the window's, not the CSB's
        t_not_refused(reply)
    expect_rejection(reply, evidence, ref.csb_id, None)


def update_outside_the_window_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence, side: str
) -> None:
    """After an exchange the SUT took, an update stamped MARGIN seconds outside its skew
    window (stale or future) is refused, with Invalid TS if an Error message is sent
    (5.3, 5.4, 6.12): the update's T is checked as an initial message's."""
    ref = _established(updating, sut, profile, evidence)
    offset = SIDES[side] * (profile.max_skew + MARGIN)
    evidence.note(f"update stamped {offset:+.1f} s off; SUT skew window {profile.max_skew} s")
    env, clock = ref.peer.env, ref.peer.env.clock
    ref.peer.env = replace(env, clock=lambda: clock() + offset)  # a T before its last too
    reply = send_to_responder(sut, ref, updating.keyed.update(ref, True), evidence)
    expect_rejection(reply, evidence, ref.csb_id, INVALID_TS)


# -- the SUT as initiator ----------------------------------------------------------------


def _exchanged(sut: Sut, ref: Any, data: bytes, evidence: Evidence) -> None:
    """Vehicle steps: the reference responder takes the SUT's I_MESSAGE `data` and the SUT
    its answer (the initial exchange an update builds on)."""
    with vehicle():
        reply = ref.take(data)
        reference_took(reply.outcome, "the SUT's I_MESSAGE")
        if reply.message is not None:
            evidence.to_sut("answer", reply.message)
        outcome = sut.complete(reply.message)
        assert outcome.accepted, f"the SUT rejects a valid answer: {outcome.detail}"


def _answer_to_an_update(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> tuple[Any, bytes]:
    """The reference responder and its answer to the SUT's update of a CSB they set up."""
    updates_applicable(sut)
    keyed = updating.keyed
    ref = keyed.responder(profile)
    _exchanged(sut, ref, initiate(sut, keyed.params(), evidence), evidence)
    with vehicle(UPDATES[keyed.mode]):
        update = evidence.from_sut("update", sut.update()) or b""
        reply = ref.take(update)
        reference_took(reply.outcome, "the SUT's update")
    if reply.message is None:
        not_applicable("the SUT's update asks for no answer (V=0, RFC 3830 3.1)")
    return ref, reply.message


def forged_answer_to_an_update_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer to the SUT's update with its V, SIGNr or HMAC broken is refused (5.2;
    3.3; RFC 4650 3)."""
    _, answer = _answer_to_an_update(updating, sut, profile, evidence)
    forged = evidence.to_sut("answer to the update (last bit flipped)", flipped(answer))
    outcome = sut.complete(forged)
    assert not outcome.accepted, "the SUT took an answer to its update that does not verify"


def answer_to_an_update_with_another_timestamp_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence, side: str
) -> None:
    """The answer to the SUT's update with its T moved max_skew - MARGIN seconds (a T
    its clock would take), MACed or signed anew, is refused: it is not the update's T
    (5.2, 3.3; RFC 4650 5.3)."""
    if profile.max_skew <= 2 * MARGIN:
        not_applicable(f"max_skew {profile.max_skew} s leaves no room {MARGIN} s inside it")
    ref, answer = _answer_to_an_update(updating, sut, profile, evidence)
    seconds = SIDES[side] * (profile.max_skew - MARGIN)
    evidence.note(f"the answer's T moved by {seconds:+.1f} s from the update's")
    forged = updating.moved_answer(ref, answer, seconds)
    outcome = sut.complete(evidence.to_sut("answer to the update (T moved, sealed anew)", forged))
    assert not outcome.accepted, f"the SUT took an answer whose T is {seconds:+.0f} s off its own"


def answer_to_an_update_for_another_csb_is_refused(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer to the SUT's update under the next CSB ID, MACed or signed anew, answers
    no update of the SUT's and is refused (6.1)."""
    ref, answer = _answer_to_an_update(updating, sut, profile, evidence)
    forged = updating.answer_for_another_csb(ref, answer)
    outcome = sut.complete(evidence.to_sut("answer to the update (another CSB ID)", forged))
    assert not outcome.accepted, "the SUT took an answer to its update for another CSB"


def _initial_and_update(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> tuple[Message, Message]:
    """The SUT's initial I_MESSAGE, whose exchange with the reference it completed, and
    its update of that CSB, both strictly decoded."""
    updates_applicable(sut)
    keyed = updating.keyed
    ref = keyed.responder(profile)
    data = initiate(sut, keyed.params(), evidence)
    _exchanged(sut, ref, data, evidence)
    with vehicle(UPDATES[keyed.mode]):
        update = evidence.from_sut("update", sut.update()) or b""
    return strict_decode(data, "the I_MESSAGE"), strict_decode(update, "the update")


def update_keeps_the_csb_id_and_takes_a_new_timestamp(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update uses the CSB ID of the initial exchange and a new T (4.5)."""
    first, update = _initial_and_update(updating, sut, profile, evidence)
    assert update.hdr.csb_id == first.hdr.csb_id, "the update changed the CSB ID"
    t0, t1 = first.first(Timestamp), update.first(Timestamp)
    assert t0 is not None and t1 is not None, "a message without T"
    assert t1.value != t0.value, "the update reuses the initial timestamp"


def update_carries_no_rand(
    updating: UpdatingMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A new RAND MUST NOT be included in an update (4.5)."""
    _, update = _initial_and_update(updating, sut, profile, evidence)
    assert update.first(Rand) is None, "the update carries a RAND payload"
