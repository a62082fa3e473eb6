"""Oracles: is the SUT's answer to one fuzz case wrong, and which rule does it break?

- crash / hang: the adapter raised SutFailure (the shim died or timed out), or
  an in-process SUT let an exception escape;
- differential, against the reference library playing the same role: the SUT
  accepts what the reference rejects (accepts-invalid), rejects what it
  accepts (rejects-valid), reads a message differently (different-structure),
  names another Error number (error-number, RFC 3830 6.12), or derives other
  SRTP keys (different-keys, RFC 3830 4.1.4).

The reference responder gets a fresh replay cache and a clock fixed at the
moment the case was stamped (ResponderCase.responder), and the SUT is reset
before each responder case, so replay and clock skew never make a difference.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from conformance.checks import answered, differences
from conformance.fuzz import blame
from conformance.fuzz import findings as F
from conformance.fuzz.cases import DecoderCase, ResponderCase
from conformance.fuzz.findings import Finding
from mikey.modes.base import Reply as RefReply
from mikey.modes.csb import Csb
from mikey.wire import DataType, DecodeError, Error, decode_message, message_to_dict
from suts.base import Profile, Role, Sut, SutFailure

HANG_WORDS = ("timed out", "timeout", "hang", "did not answer", "did not return")


class SutBroke(Exception):
    """The SUT failed outside the protocol; `finding` says how."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.reason)
        self.finding = finding


@contextmanager
def sut_call(rule: str, reference: str) -> Iterator[None]:
    """Turn a SutFailure (or an escaping exception) into a crash or hang finding."""
    try:
        yield
    except SutFailure as exc:
        text = str(exc)
        first = text.splitlines()[0] if text else "SutFailure"  # the rest: the shim's stderr
        oracle = F.HANG if any(w in first.lower() for w in HANG_WORDS) else F.CRASH
        raise SutBroke(Finding(oracle, rule, first, f"SutFailure: {text}", reference)) from exc
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        raise SutBroke(Finding(F.CRASH, rule, text, f"raised {text}", reference)) from exc


def reference_decode(data: bytes) -> tuple[dict[str, object] | None, DecodeError | None]:
    try:
        return message_to_dict(decode_message(data)), None
    except DecodeError as err:
        return None, err


def judge_decoder(sut: Sut, case: DecoderCase) -> Finding | None:
    """Decoder role: the SUT's reading of `case.data` against the reference decoder's."""
    ours, err = reference_decode(case.data)
    rule = blame.case_rule(case.ops, err, blame.FORMAT)
    reference = f"rejected: {err}" if err else "accepted"
    try:
        with sut_call(rule, reference):
            got = sut.decode(case.data)
    except SutBroke as broke:
        return broke.finding
    answer = "accepted" if got.accepted else f"rejected: {got.detail}"
    if got.accepted and err is not None:
        why = f"accepts bytes the reference rejects in {err.payload}"
        return Finding(F.ACCEPTS_INVALID, rule, why, answer, reference)
    if not got.accepted and err is None:
        why = f"rejects a valid message: {got.detail}"
        return Finding(F.REJECTS_VALID, rule, why, answer, reference)
    if got.accepted and ours is not None and got.structure is not None:
        found = differences(ours, got.structure)
        if found:
            where = found[0].split(":")[0]
            return Finding(F.DIFFERENT_STRUCTURE, rule, f"misreads {where}", found[0], reference)
    return None


def error_numbers(message: bytes | None) -> list[str] | None:
    """The Error numbers of an Error message (RFC 3830 5.1.2), None if it is not one."""
    if message is None:
        return None
    try:
        msg = decode_message(message)
    except DecodeError:
        return None
    if msg.hdr.data_type != DataType.ERROR:
        return None
    return [p.error_no.name for p in msg.payloads if isinstance(p, Error)]


def judge_responder(
    sut: Sut, case: ResponderCase, profile: Profile, clock: Callable[[], float] = time.time
) -> tuple[Finding | None, bytes]:
    """Responder role: the SUT's answer to the case's I_MESSAGE against the reference's."""
    now = clock()
    data, _ = case.build(profile, now)
    ref = case.responder(profile, now)
    expected: RefReply = ref.receive(data)
    outcome = expected.outcome
    _, err = reference_decode(data)
    # A message that decodes is judged by the responder's checks (5.3): the Error number
    # names the one that failed; one that does not decode, by its mutation.
    rule = blame.case_rule(case.ops, err, "") if err else blame.error_rule(outcome.error, case.ops)
    reference = "accepted" if outcome.accepted else f"rejected: {outcome.reason}"
    try:
        with sut_call(rule, reference):
            sut.reset()
            got = sut.respond(data, case.params)
    except SutBroke as broke:
        return broke.finding, data
    took = answered(got, case.params.v)
    answer = "accepted" if took else f"rejected: {got.detail}"
    if took and not outcome.accepted:
        why = f"accepts an I_MESSAGE the reference rejects: {outcome.reason}"
        return Finding(F.ACCEPTS_INVALID, rule, why, answer, reference), data
    if not took and outcome.accepted:
        why = f"rejects an I_MESSAGE the reference accepts: {got.detail}"
        return Finding(F.REJECTS_VALID, rule, why, answer, reference), data
    if not took:
        theirs, mine = error_numbers(got.message), error_numbers(expected.message)
        if theirs is not None and mine is not None and set(theirs) != set(mine):
            why = f"reports {'+'.join(theirs)} where the reference reports {'+'.join(mine)}"
            return Finding(F.ERROR_NUMBER, blame.ERROR_NUMBER, why, answer, reference), data
        return None, data
    return keys_finding(sut, ref.last_csb, reference), data


def keys_finding(sut: Sut, csb: Csb | None, reference: str) -> Finding | None:
    """Both established the CSB: the SRTP keys of each crypto session must agree."""
    if csb is None:
        return None
    for cs_id in csb.cs_ids():
        want = csb.srtp_keys(cs_id)
        try:
            with sut_call(blame.KEYS, reference):
                got = sut.srtp_keys(Role.RESPONDER, cs_id)
        except SutBroke as broke:
            return broke.finding
        if got is not None and got != want:
            why = f"derives other SRTP keys for crypto session {cs_id}"
            return Finding(F.DIFFERENT_KEYS, blame.KEYS, why, "(keys withheld)", reference)
    return None
