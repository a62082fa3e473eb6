"""RSA-R mode, the SUT as responder: the reference initiator asks it for the TGK (RFC 4738).

RFC 4738 3.5 (processing the I_MESSAGE), 3.6 (the R_MESSAGE the responder sends). The
timestamp window and replays: conformance/rfc3830/test_timing_responder.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import expect_rejection, strict_decode
from conformance.evidence import Evidence
from conformance.reference_pk import bad_certificates
from conformance.reference_rsar import RsaRReferenceInitiator
from conformance.v_flag_checks import answered_although_v_is_clear
from conformance.vehicle import t_not_refused, vehicle
from mikey.wire import (
    DataType,
    ErrorNo,
    GeneralExtension,
    Kemac,
    Pke,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("RSA-R"), pytest.mark.role("responder")]


def send(sut: Sut, ref: RsaRReferenceInitiator, data: bytes, evidence: Evidence) -> bytes | None:
    reply = sut.respond(evidence.to_sut("I_MESSAGE", data), ref.params)
    evidence.from_sut("answer", reply.message)
    # T is current: refused for it, the window's (RFC 3830 5.4), though 3.5 names it too
    with vehicle(another_clause=True):
        t_not_refused(reply)
    return reply.message


@pytest.mark.requirement(
    "RFC4738-3.1-r-message",
    "RFC4738-3.5-r-message-sent",
    "RFC4738-3.6-csb-id",
    "RFC4738-3.6-fill-cs",
    "RFC4738-3.6-no-genext-unicast",
    "RFC4738-3.6-t-same",
    "RFC4738-3.6-kemac",
    "RFC4738-3.6-signr",
    "RFC4738-3.6-certr-matches-key",
    "RFC4738-3.6-sp-in-r-message",
    "RFC4738-3.6-rand-from-responder",
    "RFC4738-3.6-no-second-rand",
)
@pytest.mark.parametrize("initiator_rand", [True, False], ids=["rand-in-i", "no-rand-in-i"])
def test_valid_i_message_gets_an_r_message_with_the_tgk(
    sut: Sut, profile: Profile, evidence: Evidence, initiator_rand: bool
) -> None:
    """A signed, current I_MESSAGE is answered with HDR, T, [RAND], [IDr|CERTr], [SP],
    KEMAC, PKE, SIGNr that the reference initiator verifies and opens (3.5, 3.6)."""
    ref = RsaRReferenceInitiator(profile, initiator_rand=initiator_rand)
    i_message = ref.i_message()
    answer = send(sut, ref, i_message, evidence)
    assert answer is not None, "no R_MESSAGE (3.5: the Responder MUST send one)"
    msg = strict_decode(answer, "the R_MESSAGE")
    assert msg.hdr.data_type == DataType.RSA_R_RESP, f"R_MESSAGE of type {msg.hdr.data_type}"
    assert msg.hdr.csb_id == ref.csb_id, "the CSB ID is not the I_MESSAGE's (3.6)"
    assert msg.hdr.n_cs > 0, "the Responder did not fill in the crypto sessions (3.6)"
    assert not msg.all(GeneralExtension), "a General Extension in unicast (3.6)"
    assert ref.message is not None and msg.first(Timestamp) == ref.message.first(Timestamp)
    assert (msg.first(Rand) is None) == initiator_rand, "RAND must come from one side (3.6)"
    for kind in (Kemac, Pke, SecurityPolicy):
        assert msg.first(kind) is not None, f"no {kind.__name__} in the R_MESSAGE (3.6)"
    assert isinstance(msg.payloads[-1], Sign), "SIGNr is not the last payload"
    outcome = ref.take_response(answer)
    assert outcome.accepted, f"the reference initiator rejects the R_MESSAGE: {outcome.reason}"


@pytest.mark.requirement("RFC4738-3.4-signed", "RFC4738-3.4-certi-matches-key")
@pytest.mark.parametrize("fault", ["signature-bit", "other-bytes"])
def test_rejects_a_signature_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """SIGNi with a bit flipped, or the I_MESSAGE changed after signing, is refused."""
    ref = RsaRReferenceInitiator(profile)
    data = bytearray(ref.i_message())
    data[len(data) - 1 if fault == "signature-bit" else 12] ^= 0x01  # 12: in the T value
    reply = sut.respond(evidence.to_sut("I_MESSAGE (forged)", bytes(data)), ref.params)
    evidence.from_sut("answer", reply.message)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC4738-3.4-certi-matches-key", "RFC3830-4.3.2-chain-validation")
@pytest.mark.parametrize("bad", ["expired", "unknown_ca", "identity_mismatch"])
def test_rejects_an_initiator_certificate_it_cannot_trust(
    sut: Sut, profile: Profile, evidence: Evidence, bad: str
) -> None:
    """CERTi for the initiator's own key that is expired, from an unknown CA or for
    another identity does not authenticate the initiator: no TGK is sent to its key."""
    credential = getattr(bad_certificates(profile, Role.INITIATOR), bad)
    ref = RsaRReferenceInitiator(profile, credential=credential)
    data = ref.i_message()
    reply = sut.respond(evidence.to_sut("I_MESSAGE", data), ref.params)
    evidence.from_sut("answer", reply.message)
    allowed = frozenset({ErrorNo.INVALID_CERT, ErrorNo.INVALID_ID, ErrorNo.AUTH_FAILURE})
    expect_rejection(reply, evidence, ref.csb_id, allowed)


@pytest.mark.requirement("RFC4738-3.4-v-bit")
def test_the_v_bit_is_ignored(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An I_MESSAGE with V=0, signed, is answered all the same: the V bit is ignored by
    the Responder, a response being mandatory (3.4)."""
    ref = RsaRReferenceInitiator(profile)
    message = ref.forge(lambda msg: replace(msg, hdr=replace(msg.hdr, v=False)))
    answered_although_v_is_clear(ref, message, sut, evidence)
