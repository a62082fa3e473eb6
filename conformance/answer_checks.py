"""What an Initiator checks of the answer it gets, in every mode whose Initiator takes one.

RFC 3830 6.1: the CSB ID "is chosen by the Initiator" and the Responder "uses the same
CSB ID in the response"; RFC 4738 3.6 says it of the RSA-R R_MESSAGE; RFC 4650 4.1 takes
RFC 3830's HDR over for DH-HMAC. An answer under another CSB ID, MACed or signed anew
(so that no other check of the SUT's stands in), answers no message of the SUT's and
must be refused. MIKEY-SAKKE has no answer (RFC 6509 2.1).

A `CsbEchoMode` is one mode as the check drives it: the reference responder's answer to
the SUT's I_MESSAGE, moved to the next CSB ID and sealed anew, and the requirement IDs
the check cites there. conformance/rfc3830/test_answers_initiator.py holds the test,
one body parametrized over ECHOING.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.dh_exchange import DH_HMAC, DH_METHOD, DhFamily
from conformance.evidence import Evidence
from conformance.reference import ReferenceResponder, exchange_params, initiate
from conformance.reference_pk import PkReferenceResponder, pk_params
from conformance.reference_rsar import RSA_R, RsaRReferenceResponder
from mikey.wire import Message
from suts.base import ExchangeParams, Profile, Sut


def next_csb_id(msg: Message) -> Message:
    """`msg` under the next CSB ID."""
    return replace(msg, hdr=replace(msg.hdr, csb_id=(msg.hdr.csb_id + 1) & 0xFFFFFFFF))


def _verification_for_another_csb(
    ref: ReferenceResponder, params: ExchangeParams, sut: Sut, evidence: Evidence
) -> bytes:
    """The verification message to the SUT's I_MESSAGE, under the next CSB ID, V anew."""
    reply = ref.take(initiate(sut, params, evidence))
    assert reply.outcome.accepted, f"the reference responder rejects: {reply.outcome.reason}"
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    return ref.resealed_response(reply.message, csb_delta=1)


def _psk(sut: Sut, profile: Profile, evidence: Evidence) -> bytes:
    return _verification_for_another_csb(
        ReferenceResponder(profile), exchange_params(), sut, evidence
    )


def _pk(sut: Sut, profile: Profile, evidence: Evidence) -> bytes:
    return _verification_for_another_csb(PkReferenceResponder(profile), pk_params(), sut, evidence)


def _dh_family(dh: DhFamily[Any, Any]) -> Callable[[Sut, Profile, Evidence], bytes]:
    def moved(sut: Sut, profile: Profile, evidence: Evidence) -> bytes:
        ref, answer = dh.answered(sut, profile, evidence)
        return bytes(ref.forged(answer, next_csb_id))

    return moved


def _rsar(sut: Sut, profile: Profile, evidence: Evidence) -> bytes:
    ref = RsaRReferenceResponder(profile)
    reply = ref.take(initiate(sut, RSA_R, evidence))
    assert reply.outcome.accepted, f"the reference responder rejects: {reply.outcome.reason}"
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    return ref.for_another_csb(reply.message)


@dataclass(frozen=True)
class CsbEchoMode:
    """One mode whose Initiator takes an answer, as the CSB ID check drives it."""

    mode: str
    answer_for_another_csb: Callable[[Sut, Profile, Evidence], bytes]
    """The reference responder's answer to the SUT's I_MESSAGE under the next CSB ID,
    MACed or signed anew."""
    rule: tuple[str, ...]
    """Requirement IDs: the answer carries the I_MESSAGE's CSB ID."""


RFC3830_ECHO = ("RFC3830-6.1-csb-id-echo",)
ECHOING = (
    CsbEchoMode("PSK", _psk, RFC3830_ECHO),
    CsbEchoMode("PK", _pk, RFC3830_ECHO),
    CsbEchoMode("DH", _dh_family(DH_METHOD), RFC3830_ECHO),
    CsbEchoMode("DH-HMAC", _dh_family(DH_HMAC), RFC3830_ECHO),
    CsbEchoMode("RSA-R", _rsar, ("RFC4738-3.6-csb-id",)),
)
"""Every mode whose Initiator takes an answer (not MIKEY-SAKKE)."""


def cases() -> list[Any]:
    """Test parameters, one per mode, marked with the mode and its requirement IDs."""
    return [
        pytest.param(
            echo,
            id=echo.mode,
            marks=[pytest.mark.mode(echo.mode), pytest.mark.requirement(*echo.rule)],
        )
        for echo in ECHOING
    ]


def answer_for_another_csb_is_refused(
    echo: CsbEchoMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference's answer to the SUT's I_MESSAGE under the next CSB ID, MACed or
    signed anew, is refused (RFC 3830 6.1; RFC 4738 3.6)."""
    forged = echo.answer_for_another_csb(sut, profile, evidence)
    outcome = sut.complete(evidence.to_sut("answer (another CSB ID, sealed anew)", forged))
    assert not outcome.accepted, "the SUT took an answer for another CSB than its I_MESSAGE's"
