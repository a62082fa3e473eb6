"""What comes back to the SUT as initiator: answers it must refuse, in every mode with one.

The reference responder answers the SUT's I_MESSAGE, then the answer is changed in one
way and MACed or signed anew, so only the rule the change breaks tells it from a valid
answer (conformance/rfc3830/test_answers_initiator.py holds the tests):

- an Error message (RFC 3830 5.1.2: HDR, T, {ERR}, {SP}, [V|SIGNr]) for the SUT's CSB or
  for another: "the Initiator SHOULD therefore always be prepared to receive such a
  message"; whatever it then does, it establishes no CSB on it;
- the answer with the data type of an initiator's message (a reflected message): the data
  type names the message (RFC 3830 6.1 Table 6.1.a, RFC 4650 4.1, RFC 4738 3.9.1);
- the answer with a second T payload: each answer's grammar has exactly one T (RFC 3830
  3.1, 3.2, 3.3, RFC 4650 3, RFC 4738 3.1);
- the answer with an IDr naming another party than the one the SUT addressed (the ID
  payloads identify the parties, RFC 3830 3.1-3.3, RFC 4650 3);
- a verification message to an I_MESSAGE sent with V = 0 (RFC 3830 6.1, 5.4);
- the answer MACed with the NULL MAC, where a MAC authenticates it (the V of PSK and PK,
  the KEMAC of DH-HMAC): the responder MACs with the algorithm the Initiator chose in its
  KEMAC (RFC 3830 5.2, RFC 4650 3); a NULL MAC authenticates nothing.

MIKEY-SAKKE has no answer (RFC 6509 2.1): only the Error message check applies to it.
An `Answering` is one mode as these checks drive it: the SUT's I_MESSAGE, the
reference's answer and how to forge it anew.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.checks import not_applicable
from conformance.dh_exchange import DH_HMAC, DH_METHOD, DhFamily
from conformance.evidence import Evidence
from conformance.reference import (
    MessageMutation,
    ReferenceResponder,
    exchange_params,
    initiate,
    reference_answers,
)
from conformance.reference_pk import PkReferenceResponder, pk_params
from conformance.reference_rsar import RSA_R, RsaRReferenceResponder
from conformance.refusal_checks import OTHER_RESPONDER, with_id_data
from conformance.rfc6509.reference import params as sakke_params
from conformance.vehicle import reference_took, vehicle
from mikey.modes.error_message import error_header, error_message
from mikey.modes.rsar_common import sign_r_message
from mikey.wire import (
    DataType,
    ErrorNo,
    Kemac,
    MacAlg,
    Message,
    Timestamp,
    Verification,
    decode_message,
    encode_message,
)
from suts.base import ExchangeParams, Profile, Sut

Forge = Callable[[MessageMutation], bytes]
"""The reference's answer changed by a mutation, MACed or signed anew."""


@dataclass(frozen=True)
class Answer:
    """The reference's answer to the SUT's I_MESSAGE, and how to forge it anew."""

    message: bytes
    forge: Forge
    for_another_csb: Callable[[], bytes]
    """The answer under the next CSB ID, with every key derived from the CSB ID (the V or
    KEMAC keys, RFC 3830 4.1.4) derived anew: only the CSB ID rule tells it apart."""


Answerer = Callable[[Sut, Evidence], Answer]
"""Drives the SUT's I_MESSAGE to the reference responder; its answer."""


def next_csb_id(msg: Message) -> Message:
    """`msg` under the next CSB ID."""
    return replace(msg, hdr=replace(msg.hdr, csb_id=(msg.hdr.csb_id + 1) & 0xFFFFFFFF))


def _resealed(ref: ReferenceResponder, answer: bytes) -> Forge:
    return lambda mutate: ref.peer.reseal_verification(mutate(decode_message(answer)))


def _verified(ref: ReferenceResponder, params: ExchangeParams) -> Answerer:
    def answer(sut: Sut, evidence: Evidence) -> Answer:
        message = reference_answers(sut, ref, params, evidence)
        return Answer(
            message, _resealed(ref, message), lambda: ref.resealed_response(message, csb_delta=1)
        )

    return answer


def _psk(profile: Profile) -> Answerer:
    return _verified(ReferenceResponder(profile), exchange_params())


def _pk(profile: Profile) -> Answerer:
    return _verified(PkReferenceResponder(profile), pk_params())


def _dh_family(family: DhFamily[Any, Any]) -> Callable[[Profile], Answerer]:
    def for_profile(profile: Profile) -> Answerer:
        def answer(sut: Sut, evidence: Evidence) -> Answer:
            ref, data = family.answered(sut, profile, evidence)
            return Answer(
                data,
                lambda mutate: ref.forged(data, mutate),
                lambda: bytes(ref.forged(data, next_csb_id)),
            )

        return answer

    return for_profile


def _rsar(profile: Profile) -> Answerer:
    ref = RsaRReferenceResponder(profile)

    def answer(sut: Sut, evidence: Evidence) -> Answer:
        with vehicle():
            reply = ref.take(initiate(sut, RSA_R, evidence))
            reference_took(reply.outcome, "the SUT's I_MESSAGE")
            assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
        i_message, pk = ref.peer.last_message, ref.pk
        assert i_message is not None
        key = pk.credential.private_key()

        def forge(mutate: MessageMutation) -> bytes:
            msg = mutate(decode_message(reply.message or b""))
            return sign_r_message(msg, i_message, pk.s_type, key, pk.hash_name)

        return Answer(reply.message, forge, lambda: ref.for_another_csb(reply.message or b""))

    return answer


@dataclass(frozen=True)
class Answering:
    """One mode whose Initiator takes an answer, as these checks drive it."""

    mode: str
    params: Callable[[], ExchangeParams]
    responder: Callable[[Profile], Answerer]
    i_type: DataType
    """The data type of the mode's initiating message (the reflected answer's)."""
    payload_rule: str
    """The requirement ID of the answer's grammar."""
    data_type_rule: str = "RFC3830-6.1-data-type"
    mac_rule: str | None = None
    """The requirement ID of the answer's MAC; None: the answer is signed, not MACed."""
    identity_rule: str | None = None
    """The requirement ID of the answer's IDr; None: not checked here."""
    csb_rule: str = "RFC3830-6.1-csb-id-echo"
    """The requirement ID of the answer's CSB ID, the I_MESSAGE's (RFC 3830 6.1)."""


ANSWERING = (
    Answering(
        "PSK",
        exchange_params,
        _psk,
        DataType.PSK_INIT,
        "RFC3830-3.1-r-message-payloads",
        mac_rule="RFC3830-5.2-verification-mac",
        identity_rule="RFC3830-3.1-id-fields",
    ),
    Answering(
        "PK",
        pk_params,
        _pk,
        DataType.PK_INIT,
        "RFC3830-3.2-r-message-payloads",
        mac_rule="RFC3830-5.2-verification-mac",
        identity_rule="RFC3830-3.2-id-fields",
    ),
    Answering(
        "DH",
        lambda: exchange_params(mode="DH"),
        _dh_family(DH_METHOD),
        DataType.DH_INIT,
        "RFC3830-3.3-r-message-payloads",
        identity_rule="RFC3830-3.3-id-fields",
    ),
    Answering(
        "DH-HMAC",
        lambda: exchange_params(mode="DH-HMAC"),
        _dh_family(DH_HMAC),
        DataType.DHHMAC_INIT,
        "RFC4650-3-r-message-payloads",
        data_type_rule="RFC4650-4.1-data-types",
        mac_rule="RFC4650-3-hmac-in-kemac",
        identity_rule="RFC4650-3-idr-in-r-message",
    ),
    Answering(
        "RSA-R",
        lambda: RSA_R,
        _rsar,
        DataType.RSA_R_INIT,
        "RFC4738-3.1-r-message",
        csb_rule="RFC4738-3.6-csb-id",
    ),
)
"""Every mode whose Initiator takes an answer (not MIKEY-SAKKE, RFC 6509 2.1)."""

ERROR_FORMS: dict[str, tuple[int, tuple[ErrorNo, ...]]] = {
    "own-csb": (0, (ErrorNo.AUTH_FAILURE,)),
    "other-csb": (1, (ErrorNo.AUTH_FAILURE,)),
    "no-err": (0, ()),
}
"""The Error messages sent: (CSB ID offset from the I_MESSAGE's, ERR payloads). {ERR} is
zero or more (RFC 3830 5.1.2); an initiator that reads an ERR it does not have crashes
(found by mutation testing, docs/mutation.md)."""

INITIATING: dict[str, Callable[[], ExchangeParams]] = {
    **{a.mode: a.params for a in ANSWERING},
    "SAKKE": lambda: sakke_params(),
}
"""Every mode's exchange parameters: an Error message may answer any I_MESSAGE (RFC 3830
5.1.2), MIKEY-SAKKE's too, which expects no other answer (RFC 6509 2.1)."""


def error_cases() -> list[Any]:
    """(mode, form) parameters for every mode and Error message form, marked with the
    mode."""
    return [
        pytest.param(mode, form, id=f"{mode}-{form}", marks=pytest.mark.mode(mode))
        for mode in INITIATING
        for form in ERROR_FORMS
    ]


def cases(rule: str | None, kinds: tuple[str, ...] = ("",)) -> list[Any]:
    """(answering, kind) parameters for every mode that has `rule` (an attribute naming
    a requirement ID, e.g. "payload_rule"; None: every mode), marked with the mode and
    that requirement ID."""
    params = []
    for a in ANSWERING:
        marks = [pytest.mark.mode(a.mode)]
        if rule is not None:
            if getattr(a, rule) is None:
                continue
            marks.append(pytest.mark.requirement(getattr(a, rule)))
        for kind in kinds:
            name = f"{a.mode}-{kind}" if kind else a.mode
            params.append(pytest.param(a, kind, id=name, marks=marks))
    return params


def expect_refused(sut: Sut, evidence: Evidence, what: str, data: bytes) -> None:
    """The SUT takes `data` as the answer and refuses it: it establishes no CSB."""
    outcome = sut.complete(evidence.to_sut(what, data))
    assert not outcome.accepted, f"the SUT took {what}"


def error_message_establishes_nothing(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence, form: str
) -> None:
    """An unauthenticated Error message of `form` (ERROR_FORMS) with the I_MESSAGE's T is
    taken without a crash and is not an answer that establishes the CSB (5.1.2)."""
    offset, errors = ERROR_FORMS[form]
    if errors and not sut.capabilities().takes_err_payloads:
        not_applicable("the SUT's adapter declares it hangs on ERR payloads (takes_err_payloads)")
    sent = decode_message(initiate(sut, INITIATING[mode](), evidence))
    hdr = error_header(sent.hdr, None)
    hdr = replace(hdr, csb_id=(hdr.csb_id + offset) & 0xFFFFFFFF)
    t = sent.first(Timestamp)
    assert t is not None, "the SUT's I_MESSAGE has no T"
    data = error_message(hdr, t, errors)
    expect_refused(sut, evidence, f"an Error message ({form})", data)


def answer_with_an_initiating_data_type_is_refused(
    answering: Answering, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer, its HDR data type the I_MESSAGE's (a reflection), sealed anew."""
    forge = answering.responder(profile)(sut, evidence).forge

    def reflected(msg: Message) -> Message:
        return replace(msg, hdr=replace(msg.hdr, data_type=answering.i_type))

    expect_refused(
        sut, evidence, f"the answer as data type {answering.i_type.name}", forge(reflected)
    )


def answer_with_a_second_timestamp_is_refused(
    answering: Answering, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer with its T payload twice (the grammar has one), sealed anew."""
    forge = answering.responder(profile)(sut, evidence).forge

    def doubled(msg: Message) -> Message:
        i = next(i for i, p in enumerate(msg.payloads) if isinstance(p, Timestamp))
        return replace(msg, payloads=(*msg.payloads[: i + 1], *msg.payloads[i:]))

    expect_refused(sut, evidence, "the answer with two T payloads", forge(doubled))


def another_responder(msg: Message) -> Message:
    """An answer whose IDr (its first ID payload: RFC 3830 3.1-3.3, RFC 4650 3) names
    OTHER_RESPONDER."""
    return with_id_data(msg, 0)


def answer_from_another_responder_is_refused(
    answering: Answering, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer with an IDr that is not the responder the SUT addressed, sealed anew."""
    forge = answering.responder(profile)(sut, evidence).forge
    expect_refused(
        sut, evidence, f"the answer from {OTHER_RESPONDER.decode()}", forge(another_responder)
    )


V0_MODES: dict[str, tuple[Callable[..., ExchangeParams], Callable[[Profile], Any]]] = {
    "PSK": (exchange_params, ReferenceResponder),
    "PK": (pk_params, PkReferenceResponder),
}
"""The modes whose V flag asks for the verification message or not (RFC 3830 3.1, 3.2)."""


def verification_for_v0_is_refused(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A valid verification message answering an I_MESSAGE the SUT sent with V = 0 (no
    verification message expected, 6.1): it answers no message that asked for one, and
    "servers that assume the role of MIKEY Initiators [...] will refuse all incoming
    messages that are not a response to a message previously sent" (5.4)."""
    params, responder = V0_MODES[mode]
    ref = responder(profile)
    i_message = initiate(sut, params(v=False), evidence)
    if decode_message(i_message).hdr.v:  # an RTSP server keys by its own configuration
        not_applicable("the SUT sent V=1: its adapter cannot ask it for V=0")
    with vehicle():
        reference_took(ref.take(i_message).outcome, "V=0")
    peer = ref.peer
    forged = peer.reseal_verification(peer.compose_response(peer.last_message))
    expect_refused(
        sut, evidence, "a verification message the I_MESSAGE (V=0) did not ask for", forged
    )


def answer_for_another_csb_is_refused(
    answering: Answering, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer under the next CSB ID, MACed or signed anew: it answers no message of
    the SUT's (RFC 3830 6.1: the Responder uses the Initiator's CSB ID; RFC 4738 3.6)."""
    moved = answering.responder(profile)(sut, evidence).for_another_csb()
    expect_refused(sut, evidence, "the answer under another CSB ID", moved)


def null_mac(msg: Message) -> Message:
    """`msg` with its V, or else (no V) its KEMAC, MACed with the NULL MAC: no MAC."""
    has_v = any(isinstance(p, Verification) for p in msg.payloads)

    def nulled(p: Any) -> Any:
        if isinstance(p, Verification):
            return Verification(MacAlg.NULL, b"")
        if isinstance(p, Kemac) and not has_v:
            return replace(p, mac_alg=MacAlg.NULL, mac=b"")
        return p

    return replace(msg, payloads=tuple(nulled(p) for p in msg.payloads))


def answer_with_the_null_mac_is_refused(
    answering: Answering, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer MACed with the NULL MAC instead of the KEMAC's MAC algorithm."""
    answer = answering.responder(profile)(sut, evidence).message
    data = encode_message(null_mac(decode_message(answer)))
    expect_refused(sut, evidence, "the answer with the NULL MAC", data)
