"""PSK mode: the ID payloads are sent (RFC 3830 3.1, SHOULD), both roles.

"The ID fields SHOULD be included, but they MAY be left out when it can be expected that
the peer already knows the other party's ID" (3.1). The suite's exchanges ask for them
(ExchangeParams.include_ids), so the SUT's I_MESSAGE carries IDi and its verification
message IDr (found by mutation testing, docs/mutation.md: an initiator that dropped its
IDs, a responder that dropped IDr).
"""

from __future__ import annotations

import pytest

from conformance.checks import strict_decode
from conformance.evidence import Evidence
from conformance.reference import (
    ReferenceInitiator,
    exchange_params,
    initiate,
    sut_responds,
)
from mikey.wire import Id
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.requirement("RFC3830-3.1-id-fields")]


@pytest.mark.role("initiator")
def test_i_message_carries_idi(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The SUT's I_MESSAGE, asked to identify the parties, carries IDi (3.1)."""
    message = initiate(sut, exchange_params(include_ids=True), evidence)
    msg = strict_decode(message, "the I_MESSAGE")
    assert msg.all(Id), "the SUT's I_MESSAGE carries no ID payload (IDi SHOULD be there, 3.1)"


@pytest.mark.role("responder")
def test_verification_message_carries_idr(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The SUT's verification message to an I_MESSAGE with IDi and IDr carries IDr (3.1)."""
    ref = ReferenceInitiator(profile, exchange_params(include_ids=True, v=True))
    reply = sut_responds(sut, ref, evidence, answer=True)
    assert reply.message is not None
    msg = strict_decode(reply.message, "the verification message")
    assert msg.all(Id), "the SUT's verification message has no IDr (SHOULD be there, 3.1)"
