"""An update is authenticated like an initial message, both ways, in every mode with updates.

RFC 3830 4.5: an update is a message of the same exchange, "with the difference that the
CSB ID is the same as the one to be updated" and no RAND; its KEMAC MAC, SIGNi (PK, DH)
or HMAC (RFC 4650 3.1) is checked as an initial message's is (5.3), and the answer's V
(5.2), SIGNr (3.3) or HMAC (RFC 4650 3) as an initial answer's. A party that checks them
on initial messages only takes forged updates: new keys from anyone, or an update
answered by anyone. Each check flips the last bit of the update (its MAC or signature)
or of its answer; nothing else differs, so only the authentication check can refuse it.

The exchanges are the key checks' (conformance.key_checks.KEYED: the reference initiator
and its updates, the reference responder, the exchange asked of a SUT initiator); an
`UpdateAuth` adds the requirement IDs each role cites. conformance/rfc3830/
test_updates_responder.py and test_updates_initiator.py hold the tests. RSA-R (RFC 4738
3) and MIKEY-SAKKE (RFC 6509 2.1) define no updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from conformance.checks import expect_rejection, not_applicable
from conformance.evidence import Evidence
from conformance.key_checks import KEYED, KeyedMode
from conformance.reference import initiate, send_to_responder
from mikey.wire import ErrorNo
from suts.base import Profile, Role, Sut

AUTH_FAILURE = frozenset({ErrorNo.AUTH_FAILURE})
"""What an Error message answering a forged update names (RFC 3830 5.3, Table 6.12)."""


@dataclass(frozen=True)
class UpdateAuth:
    """One mode with updates, as the update authentication checks drive it."""

    keyed: KeyedMode
    as_responder: tuple[str, ...]
    """Requirement IDs: the SUT responder verifies an update's MAC or signature."""
    as_initiator: tuple[str, ...]
    """Requirement IDs: the SUT initiator verifies the answer to its update."""


_KEYED = {keyed.name or keyed.mode: keyed for keyed in KEYED}
VERIFY = ("RFC3830-5.3-verify-mac", "RFC3830-5.3-auth-failure-error")
HMAC = ("RFC4650-3-hmac-coverage",)
UPDATING = (
    UpdateAuth(_KEYED["PSK"], VERIFY, ("RFC3830-5.2-verification-mac",)),
    UpdateAuth(_KEYED["PK"], VERIFY, ("RFC3830-5.2-verification-mac",)),
    UpdateAuth(_KEYED["DH"], VERIFY, ("RFC3830-3.3-r-message-payloads",)),
    UpdateAuth(_KEYED["DH-HMAC"], HMAC, HMAC),
)
"""PSK, PK, DH (RFC 3830 4.5), DH-HMAC (RFC 4650 3.1), each with the IDs its own
authentication tests cite."""


def cases(role: Role) -> list[Any]:
    """Test parameters, one per mode, marked with the mode and the IDs `role` cites."""
    return [
        pytest.param(
            auth,
            id=auth.keyed.mode,
            marks=[
                pytest.mark.mode(auth.keyed.mode),
                pytest.mark.requirement(
                    *(auth.as_responder if role is Role.RESPONDER else auth.as_initiator)
                ),
            ],
        )
        for auth in UPDATING
    ]


def flipped(data: bytes) -> bytes:
    """`data` with the last bit flipped: the last byte of its MAC or signature."""
    return data[:-1] + bytes([data[-1] ^ 0x01])


def updates_applicable(sut: Sut) -> None:
    caps = sut.capabilities()
    if not caps.updates:
        not_applicable(f"{caps.name} does not implement CSB updates")


def forged_update_is_refused(
    auth: UpdateAuth, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """After an exchange the SUT took, the reference's update with its MAC or signature
    broken is refused, with Auth failure if an Error message is sent (5.3)."""
    updates_applicable(sut)
    keyed = auth.keyed
    ref = keyed.initiator(profile, sut)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    assert reply.accepted is not False, f"the SUT refused a valid initial message: {reply.detail}"
    if reply.message is not None:
        outcome = ref.take_response(reply.message)
        assert outcome.accepted, f"the reference rejects the SUT's answer: {outcome.reason}"
    evidence.note("the update's last bit (its MAC or signature) flipped")
    again = send_to_responder(sut, ref, flipped(keyed.update(ref, True)), evidence)
    expect_rejection(again, evidence, ref.csb_id, AUTH_FAILURE)


def forged_answer_to_an_update_is_refused(
    auth: UpdateAuth, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """After an exchange with the reference responder, the answer to the SUT's update
    with its V, SIGNr or HMAC broken is refused (5.2; 3.3; RFC 4650 3)."""
    updates_applicable(sut)
    keyed = auth.keyed
    ref = keyed.responder(profile)
    reply = ref.take(initiate(sut, keyed.params(), evidence))
    assert reply.outcome.accepted, f"the reference rejects the I_MESSAGE: {reply.outcome.reason}"
    answer = reply.message
    if answer is not None:
        evidence.to_sut("answer", answer)
    outcome = sut.complete(answer)
    assert outcome.accepted, f"the SUT rejects a valid answer: {outcome.detail}"
    update = evidence.from_sut("update", sut.update()) or b""
    reply = ref.take(update)
    assert reply.outcome.accepted, f"the reference rejects the update: {reply.outcome.reason}"
    if reply.message is None:
        not_applicable("the SUT's update asks for no answer (V=0, RFC 3830 3.1)")
    forged = evidence.to_sut("answer to the update (forged)", flipped(reply.message))
    outcome = sut.complete(forged)
    assert not outcome.accepted, "the SUT took an answer to its update that does not verify"
