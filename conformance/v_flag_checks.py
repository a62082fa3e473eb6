"""The V flag where an answer is mandatory: the DH method (RFC 3830 6.1: "the V flag
SHALL be ignored" by a DH Responder, its R_MESSAGE being mandatory) and RSA-R (RFC 4738
3.4: the V bit is "ignored by the Responder, as a response is MANDATORY in this mode").

One body, used by test_dh_responder.py and test_rsar_responder.py: an I_MESSAGE with V=0,
signed, is answered all the same. That the answer is one the reference initiator takes is
the vehicle (the mode's valid exchange, or the T echo when its T is refused): the rule
checked here is only that V=0 still gets an answer.
"""

from __future__ import annotations

from typing import Any

from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from conformance.vehicle import reference_took, t_not_refused, vehicle
from suts.base import Sut


def answered_although_v_is_clear(ref: Any, message: bytes, sut: Sut, evidence: Evidence) -> None:
    """`message` (V=0) from the reference initiator `ref` gets an answer (`ref` taking it is
    the vehicle)."""
    reply = send_to_responder(sut, ref, message, evidence)
    with vehicle():  # T is current: refused for it, the window rule's (RFC 3830 5.4)
        t_not_refused(reply)
    assert reply.message is not None, f"no answer to an I_MESSAGE with V=0: {reply.detail}"
    with vehicle():
        reference_took(ref.take_response(reply.message), "the answer to an I_MESSAGE with V=0")
