"""Messages the SUT as responder must refuse, one body per rule over every mode with it.

The reference initiator of each mode (conformance.timing_checks.MODES) builds its
message, changes it in one way and MACs or signs it anew, so only the rule the change
breaks tells it from a valid message (conformance/rfc3830/test_refusals_responder.py):

- a data type the responder does not take (RFC 3830 6.1 Table 6.1.a, RFC 4650 4.1, RFC
  4738 3.9.1, RFC 6509 4.1): the mode's own answer reflected back, and an Error message
  (data type 5.1.2) -- neither starts an exchange;
- a payload the mode's initiating message may not carry (an ERR), a second T, a second
  RAND: each mode's grammar (RFC 3830 3.1, 3.2, 3.3, RFC 4650 3, RFC 4738 3.1, RFC 6509
  2.1) has one T, at most one RAND, and no ERR (an Error message's, 5.1.2);
- an IDr that names another responder: the message is not for the SUT (RFC 3830 3.1-3.3
  identify the parties by the ID payloads; Table 6.12 Invalid ID);
- an initial message of the DH family without DHi (RFC 3830 3.3, RFC 4650 3);
- two SP payloads with one Policy no: "each security policy payload must be given a
  distinct number" (RFC 3830 6.10), so the second does not name a policy of its own;
- the NULL MAC over encrypted Key data in a KEMAC (PSK and PK): the NULL MAC "MUST NOT be
  used unless the underlying protocols can guarantee security" (RFC 3830 4.2.4), and
  over AES-CM it leaves the encrypted TGK unauthenticated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.checks import expect_rejection, not_applicable
from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from conformance.timing_checks import MODES, TimedMode
from mikey.wire import (
    DataType,
    Dh,
    EncrAlg,
    Error,
    ErrorNo,
    Id,
    Kemac,
    MacAlg,
    Message,
    Rand,
    SecurityPolicy,
    Timestamp,
)
from suts.base import Profile, Sut


@dataclass(frozen=True)
class Refusing:
    """One mode's responder, as these checks drive it."""

    timed: TimedMode
    answer_type: DataType
    """A data type its responder does not take: its own answer's (MIKEY-SAKKE has none,
    RFC 6509 2.1: another mode's answer type, which no responder takes; not an initiating
    type, which a device that dispatches on the data type would rightly take as that
    mode's message)."""
    data_type_rule: str
    grammar_rule: str
    """The requirement ID of the initiating message's payloads."""
    identity_rule: str | None
    """The requirement ID of the IDr the initiator sends; None: no ID payloads (SAKKE)."""


RFC3830_DT = "RFC3830-6.1-data-type"
SAKKE_RULE = "RFC6509-2.2.2-rfc3830-processing"
ANSWER_TYPES = {
    "PSK": (
        DataType.PSK_RESP,
        RFC3830_DT,
        "RFC3830-3.1-i-message-payloads",
        "RFC3830-3.1-id-fields",
    ),
    "PK": (
        DataType.PK_RESP,
        RFC3830_DT,
        "RFC3830-3.2-i-message-payloads",
        "RFC3830-3.2-id-fields",
    ),
    "DH": (
        DataType.DH_RESP,
        RFC3830_DT,
        "RFC3830-3.3-i-message-payloads",
        "RFC3830-3.3-id-fields",
    ),
    "DH-HMAC": (
        DataType.DHHMAC_RESP,
        "RFC4650-4.1-data-types",
        "RFC4650-3-i-message-payloads",
        "RFC4650-3-initiator-includes-idr",
    ),
    "RSA-R": (
        DataType.RSA_R_RESP,
        RFC3830_DT,
        "RFC4738-3.1-i-message",
        "RFC3830-3.2-id-fields",
    ),
    "SAKKE": (DataType.PSK_RESP, SAKKE_RULE, SAKKE_RULE, None),
}
REFUSING = tuple(Refusing(t, *ANSWER_TYPES[t.mode]) for t in MODES)
"""Every mode, as a responder."""

DATA_TYPES = ("answer-type", "error-message")
GRAMMAR_FAULTS = ("foreign-payload", "second-t", "second-rand")
NULL_MAC_MODES = frozenset({"PSK", "PK"})
DH_MODES = frozenset({"DH", "DH-HMAC"})
"""The DH family: an initial message carries DHi (RFC 3830 3.3, RFC 4650 3)."""
"""The modes whose KEMAC carries encrypted Key data under a MAC the initiator chooses."""


def cases(
    rule: str | None, kinds: tuple[str, ...] = ("",), modes: frozenset[str] | None = None
) -> list[Any]:
    """(refusing, kind) parameters, marked with the mode and, when `rule` names an
    attribute, that requirement ID (else the test's own marks)."""
    params = []
    for r in REFUSING:
        if modes is not None and r.timed.mode not in modes:
            continue
        marks = [pytest.mark.mode(r.timed.mode)]
        if rule is not None:
            if getattr(r, rule) is None:
                continue
            marks.append(pytest.mark.requirement(getattr(r, rule)))
        for kind in kinds:
            name = f"{r.timed.mode}-{kind}" if kind else r.timed.mode
            params.append(pytest.param(r, kind, id=name, marks=marks))
    return params


def _refused(
    r: Refusing,
    sut: Sut,
    profile: Profile,
    evidence: Evidence,
    mutate: Any,
    allowed: frozenset[ErrorNo] | None,
) -> None:
    ref = r.timed.reference(profile, 0.0, sut)
    reply = send_to_responder(sut, ref, ref.forge(mutate), evidence)
    expect_rejection(reply, evidence, ref.csb_id, allowed)


def message_of_another_data_type_is_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence, kind: str
) -> None:
    """The mode's initiating message with the data type of an answer (Invalid DT if
    answered) or of an Error message (any answer but a taken one), sealed anew."""
    data_type = r.answer_type if kind == "answer-type" else DataType.ERROR
    evidence.note(f"HDR data type {data_type.name}")

    def retyped(msg: Message) -> Message:
        return replace(msg, hdr=replace(msg.hdr, data_type=data_type))

    allowed = frozenset({ErrorNo.INVALID_DT}) if kind == "answer-type" else None
    _refused(r, sut, profile, evidence, retyped, allowed)


def _after_t(msg: Message, *extra: Any) -> Message:
    """`msg` with `extra` payloads right after its (first) T."""
    i = next(i for i, p in enumerate(msg.payloads) if isinstance(p, Timestamp))
    return replace(msg, payloads=(*msg.payloads[: i + 1], *extra, *msg.payloads[i + 1 :]))


def _grammar_fault(kind: str) -> Any:
    def mutate(msg: Message) -> Message:
        if kind == "foreign-payload":
            return _after_t(msg, Error(ErrorNo.UNSPECIFIED))
        if kind == "second-t":
            return _after_t(msg, msg.first(Timestamp))
        rand = msg.first(Rand) or Rand(bytes(range(16)))
        rest = replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Rand)))
        return _after_t(rest, rand, rand)

    return mutate


def payloads_outside_the_grammar_are_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence, kind: str
) -> None:
    """The initiating message with an ERR payload, a second T, or two RANDs, after its T,
    sealed anew: not the mode's grammar (Unspecified error if answered)."""
    evidence.note(f"fault: {kind}")
    _refused(r, sut, profile, evidence, _grammar_fault(kind), frozenset({ErrorNo.UNSPECIFIED}))


OTHER_RESPONDER = b"sip:mallory@mikey.test"
"""An identity that is neither party's."""


def with_id_data(msg: Message, which: int, data: bytes = OTHER_RESPONDER) -> Message:
    """`msg` with its `which`-th ID payload (0 the first, -1 the last) carrying `data`."""
    at = [i for i, p in enumerate(msg.payloads) if isinstance(p, Id)][which]
    old = msg.payloads[at]
    assert isinstance(old, Id)
    new = replace(old, data=data)
    return replace(msg, payloads=(*msg.payloads[:at], new, *msg.payloads[at + 1 :]))


def another_responder(msg: Message) -> Message:
    """An initiating message whose IDr (its last ID payload, RFC 3830 3.1-3.3, RFC 4650
    3) names OTHER_RESPONDER."""
    return with_id_data(msg, -1)


def message_for_another_responder_is_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The initiating message with an IDr that is not the SUT's identity (the profile's
    id_responder), sealed anew: not for the SUT (Invalid ID if answered, Table 6.12)."""
    evidence.note(f"IDr {OTHER_RESPONDER.decode()}, the SUT is {profile.id_responder.data!r}")
    allowed = frozenset({ErrorNo.INVALID_ID, ErrorNo.AUTH_FAILURE})
    _refused(r, sut, profile, evidence, another_responder, allowed)


def initial_message_without_dhi_is_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An initial message of the DH family without its DHi, sealed anew: no TGK can be
    agreed (RFC 3830 3.3, RFC 4650 3), refused."""

    def without_dhi(msg: Message) -> Message:
        return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Dh)))

    allowed = frozenset({ErrorNo.UNSPECIFIED, ErrorNo.INVALID_DH})
    _refused(r, sut, profile, evidence, without_dhi, allowed)


def two_policies_with_one_number_are_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The message with its SP payload twice (one Policy no, two payloads), sealed anew."""
    probe = r.timed.reference(profile, 0.0, sut)
    probe.i_message()
    if probe.message.first(SecurityPolicy) is None:
        not_applicable("the reference initiator offers no SP payload in this mode")

    def doubled(msg: Message) -> Message:
        i = next(i for i, p in enumerate(msg.payloads) if isinstance(p, SecurityPolicy))
        return replace(msg, payloads=(*msg.payloads[: i + 1], *msg.payloads[i:]))

    allowed = frozenset({ErrorNo.UNSPECIFIED, ErrorNo.INVALID_SP, ErrorNo.INVALID_SPPAR})
    _refused(r, sut, profile, evidence, doubled, allowed)


def null_mac_over_encryption_is_refused(
    r: Refusing, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The KEMAC's MAC alg NULL (no MAC) over AES-CM-128 encrypted Key data (4.2.4)."""
    if EncrAlg.AES_CM_128 not in sut.capabilities().encr_algs:
        not_applicable("the SUT does not implement AES-CM-128")

    def unauthenticated(msg: Message) -> Message:
        payloads = tuple(
            replace(p, mac_alg=MacAlg.NULL, mac=b"") if isinstance(p, Kemac) else p
            for p in msg.payloads
        )
        return replace(msg, payloads=payloads)

    allowed = frozenset({ErrorNo.INVALID_MAC, ErrorNo.INVALID_EA, ErrorNo.AUTH_FAILURE})
    _refused(r, sut, profile, evidence, unauthenticated, allowed)
