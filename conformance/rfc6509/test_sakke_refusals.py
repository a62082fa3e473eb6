"""MIKEY-SAKKE, the SUT as responder: IDR payloads it must refuse (RFC 6509 2.2.1).

"The ID Role MUST be the Initiator (value 1) for the IDRi payload and Responder (value 2)
for the IDRr payload": one IDR payload per role, so two IDRr payloads leave it open which
one names the responder.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import expect_rejection
from conformance.evidence import Evidence
from conformance.rfc6509.reference import SakkeReferenceInitiator, params, send_to_responder
from mikey.wire import ErrorNo, Idr, IdRole, Message
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("SAKKE"), pytest.mark.role("responder")]


def idrr_twice(msg: Message) -> Message:
    """`msg` with its IDRr payload repeated right after it."""
    at = next(
        i for i, p in enumerate(msg.payloads) if isinstance(p, Idr) and p.id_role == IdRole.IDRR
    )
    return replace(msg, payloads=(*msg.payloads[: at + 1], *msg.payloads[at:]))


@pytest.mark.requirement("RFC6509-2.2.1-idr-roles")
def test_two_idrr_payloads_are_refused(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An I_MESSAGE with its IDRr payload twice, signed anew: refused (Invalid ID)."""
    ref = SakkeReferenceInitiator(profile, params())
    reply = send_to_responder(sut, ref, ref.forge(idrr_twice), evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.INVALID_ID}))
