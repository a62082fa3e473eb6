"""PK mode, the SUT as initiator: the suite's reference responder takes its I_MESSAGEs.

RFC 3830 3.2 (the exchange), 4.5 (updates), 5.2 (signature, KEMAC MAC), 6.2
(KEMAC in the public-key method), 6.5 (SIGN), 6.7 (CERT).
"""

from __future__ import annotations

import pytest
from cryptography import x509

from conformance.checks import check_srtp_keys, strict_decode
from conformance.evidence import Evidence
from conformance.key_checks import keys_if_exported
from conformance.reference import initiate, reference_answers
from conformance.reference_pk import PkReferenceResponder, pk_params
from conformance.vehicle import UPDATES, reference_took, vehicle
from mikey.wire import Cert, DataType, Kemac, Pke, Rand, Sign, Timestamp
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("PK"), pytest.mark.role("initiator")]

I_MESSAGE_ORDER = "HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi"


def exchange(sut: Sut, profile: Profile, evidence: Evidence) -> PkReferenceResponder:
    """One PK exchange the SUT starts; the reference responder must take the I_MESSAGE."""
    ref = PkReferenceResponder(profile)
    answer = reference_answers(sut, ref, pk_params(), evidence)
    with vehicle():
        outcome = sut.complete(evidence.to_sut("R_MESSAGE", answer))
        assert outcome.accepted, f"the SUT rejects a valid verification message: {outcome.detail}"
    return ref


@pytest.mark.requirement(
    "RFC3830-3.2-pk-mandatory",
    "RFC3830-4.1.4-kemac-key-derivation",
    "RFC3830-4.2.5-rsa-pkcs1-mandatory",
    "RFC3830-4.2.6-rsa-pkcs1-sign-mandatory",
    "RFC3830-5.2-mac-coverage",
    "RFC3830-5.2-pk-mac-next-payload-zero",
    "RFC3830-6.2-pk-idi-first",
    "RFC3830-6.2-pk-mac-coverage",
    "RFC3830-5.2-verification-mac",
)
def test_i_message_is_taken_and_the_verification_message_accepted(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's I_MESSAGE verifies (SIGNi, CERTi chain), opens (PKE) and authenticates
    (KEMAC MAC, encrypted IDi) at the reference responder; the SUT takes its V."""
    exchange(sut, profile, evidence)


@pytest.mark.requirement(
    "RFC3830-3.2-i-message-payloads",
    "RFC3830-3-rand-in-initial-message",
    "RFC3830-6.5-sign-last",
    "RFC3830-5.2-mac-payload-last",
)
def test_i_message_has_the_payloads_of_3_2_with_sign_last(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """T, RAND, KEMAC, PKE and SIGNi are there, and SIGN is the last payload (6.5)."""
    msg = strict_decode(initiate(sut, pk_params(), evidence), "the I_MESSAGE")
    assert msg.hdr.data_type == DataType.PK_INIT, f"data type {msg.hdr.data_type.name}"
    kinds = [type(p).__name__ for p in msg.payloads]
    for kind in (Timestamp, Rand, Kemac, Pke, Sign):
        assert len(msg.all(kind)) == 1, f"not one {kind.__name__} ({I_MESSAGE_ORDER}): {kinds}"
    assert isinstance(msg.payloads[-1], Sign), f"SIGN is not last ({I_MESSAGE_ORDER}): {kinds}"


@pytest.mark.requirement("RFC3830-6.7-cert-der", "RFC3830-6.7-cert-chain-separate")
def test_each_cert_payload_holds_one_der_certificate(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Certificates travel "as a bytes string using DER encoding" (6.7), each certificate
    of a chain in its own CERT payload."""
    msg = strict_decode(initiate(sut, pk_params(), evidence), "the I_MESSAGE")
    certs = msg.all(Cert)
    if not certs:
        pytest.skip("not-applicable: the SUT sends no CERTi (3.2 lets it rely on other means)")
    for n, cert in enumerate(certs):
        try:
            x509.load_der_x509_certificate(cert.data)
        except ValueError as exc:
            raise AssertionError(f"CERT payload {n} is not one DER certificate: {exc}") from None


@pytest.mark.requirement("RFC3830-5.2-verification-mac")
@pytest.mark.parametrize("where", ["ver-data", "timestamp"])
def test_rejects_a_verification_message_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """A verification message whose MAC fails (a bit flipped in V, or a T that is not
    the initiator's with V made over it) is rejected (3.2, 5.2)."""
    ref = PkReferenceResponder(profile)
    answer = reference_answers(sut, ref, pk_params(), evidence)
    if where == "ver-data":
        forged = answer[:-1] + bytes([answer[-1] ^ 0x80])
    else:
        forged = ref.resealed_response(answer, timestamp_delta=1)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (forged)", forged))
    assert not outcome.accepted, "the SUT accepted a verification message that does not verify"


@pytest.mark.requirement("RFC3830-4.1.3-tek-derivation", "RFC3830-4.1.2-prf")
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's SRTP master key and salt equal the reference responder's (4.1.3)."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    ref = exchange(sut, profile, evidence)
    csb = ref.csb
    assert csb is not None
    check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


@pytest.mark.requirement(
    "RFC3830-4.5-update-pk",
    "RFC3830-4.5-update-new-env-key",
    "RFC3830-6.2-pk-update-idi",
    "RFC3830-4.5-update-same-csb-id",
    "RFC3830-4.5-update-no-rand",
)
def test_update_brings_a_new_envelope_key(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An update without a cached envelope key is a PK message with "a new encrypted
    envelope key" (4.5), the same CSB ID, no RAND, and IDi still encrypted in the KEMAC
    (6.2); the reference responder takes it."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = exchange(sut, profile, evidence)
    first_key, first = ref.peer.last_env_key, ref.peer.last_message
    update = sut.update()
    evidence.from_sut("update I_MESSAGE", update)
    msg = strict_decode(update, "the update I_MESSAGE")
    assert first is not None and msg.hdr.csb_id == first.hdr.csb_id, "update of another CSB"
    assert msg.first(Rand) is None, "the update carries a RAND (4.5)"
    assert msg.first(Pke) is not None, "the update carries no PKE (4.5)"
    with vehicle("RFC3830-4.5-update-pk"):  # refused for its T: the clock rule's (5.4)
        reply = ref.take(update)
        reference_took(reply.outcome, "the update")
    same = ref.peer.last_env_key == first_key  # not in the assert: keys stay out of the report
    assert not same, "the update's PKE carries the same envelope key (4.5: a new one)"
    answer = evidence.to_sut("R_MESSAGE", reply.message) if reply.message else None
    with vehicle(UPDATES["PK"]):  # the SUT takes the answer to its own update
        outcome = sut.complete(answer)
        assert outcome.accepted, (
            f"the SUT rejects the update's verification message: {outcome.detail}"
        )
    keys_if_exported(sut, Role.INITIATOR, ref.csb, "the update", evidence)
