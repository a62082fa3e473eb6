"""PSK mode, the SUT as responder: at most one RAND and two ID payloads in an I_MESSAGE.

RFC 3830 3.1: I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC. A second RAND, or a
third ID, correctly MACed, makes it no PSK I_MESSAGE; each alone must be refused (found
by mutation testing, docs/mutation.md: a responder that refused only both together).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import expect_rejection
from conformance.evidence import Evidence
from conformance.reference import (
    MessageMutation,
    ReferenceInitiator,
    exchange_params,
    send_to_responder,
)
from mikey.wire import Id, Message, Rand
from suts.base import Profile, Sut

pytestmark = [
    pytest.mark.mode("PSK"),
    pytest.mark.role("responder"),
    pytest.mark.requirement("RFC3830-3.1-i-message-payloads"),
]


def one_more(kind: type[Rand] | type[Id]) -> MessageMutation:
    """Insert, before KEMAC, a copy of the message's first `kind` payload."""

    def insert(msg: Message) -> Message:
        extra = msg.first(kind)
        assert extra is not None, f"the reference I_MESSAGE has no {kind.__name__}"
        return replace(msg, payloads=(*msg.payloads[:-1], extra, msg.payloads[-1]))

    return insert


@pytest.mark.parametrize(("extra", "kind"), [("second RAND", Rand), ("third ID", Id)])
def test_rejects_one_rand_or_id_payload_too_many(
    sut: Sut, profile: Profile, evidence: Evidence, extra: str, kind: type[Rand] | type[Id]
) -> None:
    """An I_MESSAGE with IDi and IDr plus a second RAND, or a third ID: refused (3.1)."""
    ref = ReferenceInitiator(profile, exchange_params(include_ids=True))
    message = ref.forge(one_more(kind))
    evidence.note(f"I_MESSAGE with a {extra}, MACed")
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)
