"""RSA-R mode, the SUT as initiator: the reference responder sends it the TGK (RFC 4738).

RFC 4738 3.4 (the I_MESSAGE), 3.6 (SIGNr), 3.7 (what the initiator discards).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import check_srtp_keys, not_applicable, strict_decode
from conformance.evidence import Evidence
from conformance.reference import initiate
from conformance.reference_rsar import RSA_R, RsaRReferenceResponder
from conformance.vehicle import reference_took, vehicle
from mikey.wire import (
    DataType,
    Kemac,
    Pke,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
    decode_message,
)
from suts.base import ExchangeParams, Profile, Role, Sut

pytestmark = [pytest.mark.mode("RSA-R"), pytest.mark.role("initiator")]


def without_rand(sut: Sut) -> ExchangeParams:
    """The params of an I_MESSAGE without RAND (3.4), where the SUT can leave it out."""
    if not sut.capabilities().rand_optional:
        not_applicable("the SUT cannot leave RAND out of its I_MESSAGE (rand_optional)")
    return replace(RSA_R, initiator_rand=False)


def answered(
    sut: Sut, profile: Profile, evidence: Evidence, params: ExchangeParams = RSA_R
) -> tuple[RsaRReferenceResponder, bytes]:
    i_message = initiate(sut, params, evidence)
    if not params.initiator_rand:
        has_rand = strict_decode(i_message, "the I_MESSAGE").first(Rand) is not None
        assert not has_rand, "RAND in the I_MESSAGE, though the SUT declares rand_optional"
    ref = RsaRReferenceResponder(profile)
    with vehicle():
        reply = ref.take(i_message)
        reference_took(reply.outcome, "the I_MESSAGE")
        assert reply.message is not None
    return ref, reply.message


@pytest.mark.requirement(
    "RFC4738-3.1-i-message", "RFC4738-3.4-i-message-t", "RFC4738-3.4-v-bit", "RFC4738-3.4-signed"
)
def test_i_message_is_signed_stamped_and_asks_for_a_response(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """HDR (V=1), T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi: no key material (3.1, 3.4)."""
    msg = strict_decode(initiate(sut, RSA_R, evidence), "the I_MESSAGE")
    assert msg.hdr.data_type == DataType.RSA_R_INIT, f"data type {msg.hdr.data_type}"
    assert msg.hdr.v, "V is not set (3.4: a response is MANDATORY)"
    assert len(msg.all(Timestamp)) == 1, "no T payload (3.4)"
    assert not msg.all(Kemac) and not msg.all(Pke), "key material in an RSA-R I_MESSAGE (3.1)"
    assert isinstance(msg.payloads[-1], Sign), "SIGNi is not the last payload"


@pytest.mark.requirement("RFC4738-3.4-rand-unicast")
def test_unicast_i_message_carries_rand(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The RAND payload SHOULD be in a unicast I_MESSAGE (3.4)."""
    msg = strict_decode(initiate(sut, RSA_R, evidence), "the I_MESSAGE")
    assert msg.first(Rand) is not None, "no RAND: the initiator adds no entropy (3.4)"


@pytest.mark.requirement("RFC4738-3.6-signr", "RFC4738-3.6-kemac", "RFC3830-4.1.3-tek-derivation")
@pytest.mark.parametrize("initiator_rand", [True, False], ids=["rand-in-i", "no-rand-in-i"])
def test_takes_the_tgk_and_derives_the_reference_srtp_keys(
    sut: Sut, profile: Profile, evidence: Evidence, initiator_rand: bool
) -> None:
    """A valid R_MESSAGE is taken; the SRTP keys equal the reference responder's. Without
    RAND in the I_MESSAGE, the R_MESSAGE's RAND keys the CSB (3.5, 3.6)."""
    params = RSA_R if initiator_rand else without_rand(sut)
    ref, r_message = answered(sut, profile, evidence, params)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE", r_message))
    assert outcome.accepted, f"the SUT rejects a valid R_MESSAGE: {outcome.detail}"
    if not sut.capabilities().exports_keys:
        return
    csb = ref.peer.last_csb
    assert csb is not None
    check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


@pytest.mark.requirement("RFC4738-3.6-signr")
def test_rejects_an_r_message_whose_signr_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """SIGNr with a bit flipped is refused (3.6)."""
    _, r_message = answered(sut, profile, evidence)
    forged = r_message[:-1] + bytes([r_message[-1] ^ 0x01])
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (forged)", forged))
    assert not outcome.accepted, "the SUT took an R_MESSAGE whose SIGNr does not verify"


@pytest.mark.requirement("RFC4738-3.7-discard-rand")
def test_discards_an_r_message_with_a_second_rand(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The I_MESSAGE had a RAND, the R_MESSAGE (correctly signed) has one too (3.7)."""
    i_message = initiate(sut, RSA_R, evidence)
    if strict_decode(i_message, "the I_MESSAGE").first(Rand) is None:
        pytest.skip("not-applicable: the SUT's I_MESSAGE has no RAND")
    ref = RsaRReferenceResponder(profile)
    with vehicle():
        reply = ref.take(i_message)
        reference_took(reply.outcome, "the I_MESSAGE")
        assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (RAND)", ref.with_extra_rand(reply.message)))
    assert not outcome.accepted, "the SUT took an R_MESSAGE with a second RAND (3.7)"


@pytest.mark.requirement("RFC4738-3.7-discard-no-rand")
def test_discards_an_r_message_without_rand_when_it_sent_none(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Neither the I_MESSAGE nor the R_MESSAGE has RAND; the R_MESSAGE is otherwise valid
    (re-signed, its KEMAC keyed with an empty RAND): it is discarded (3.7)."""
    ref, r_message = answered(sut, profile, evidence, without_rand(sut))
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (no RAND)", ref.without_rand(r_message)))
    assert not outcome.accepted, "the SUT took an R_MESSAGE without RAND after sending none (3.7)"


@pytest.mark.requirement("RFC4738-3.7-discard-sp")
def test_discards_an_r_message_with_a_policy_not_offered(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The R_MESSAGE (correctly signed) chooses a policy the I_MESSAGE did not offer (3.7)."""
    ref, r_message = answered(sut, profile, evidence)
    msg = decode_message(r_message)
    payloads = tuple(
        replace(p, policy_no=(p.policy_no + 7) % 256) if isinstance(p, SecurityPolicy) else p
        for p in msg.payloads
    )
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (SP)", ref.resigned(r_message, payloads)))
    assert not outcome.accepted, "the SUT took a policy it did not offer (3.7)"
