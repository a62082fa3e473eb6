"""PK mode, the SUT as responder: the suite's reference initiator sends signed I_MESSAGEs.

RFC 3830 3.2 (the exchange), 4.3.2 (certificate chains), 5.2 (signature, KEMAC
MAC, verification MAC), 5.3 (the responder's checks), 6.12; the timestamp window and
replays (5.4) are in test_timing_responder.py.
Every forgery is signed with the initiator's certified key, so a SUT that
rejects it rejects the one fault it carries. The optional CHASH (3.2, 6.8) rides
along unless the SUT declares it cannot take one (`takes_chash`); its own test,
`test_takes_an_i_message_with_chash`, sends it to every SUT.
"""

from __future__ import annotations

import pytest

from conformance.checks import check_srtp_keys, expect_rejection
from conformance.evidence import Evidence
from conformance.reference import send_to_responder, sut_responds
from conformance.reference_pk import (
    PkReferenceInitiator,
    answer_is_valid,
    bad_certificates,
    pk_params,
)
from conformance.testpki import MALLORY
from conformance.vehicle import t_not_refused, vehicle
from mikey.wire import (
    Chash,
    EncrAlg,
    ErrorNo,
    Id,
    IdType,
    Rand,
    SignType,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("PK"), pytest.mark.role("responder")]

CERT_FAULTS = frozenset({ErrorNo.INVALID_CERT, ErrorNo.AUTH_FAILURE})
"""Invalid Cert names the fault (Table 6.12); Auth failure is the closest 5.3 allows."""


def supported(sut: Sut, encr: EncrAlg) -> None:
    if encr not in sut.capabilities().encr_algs:
        pytest.skip(f"not-applicable: the SUT does not implement {encr.name}")


@pytest.mark.requirement(
    "RFC3830-3.2-pk-mandatory",
    "RFC3830-3.2-r-message-payloads",
    "RFC3830-4.1.4-kemac-key-derivation",
    "RFC3830-4.2.5-rsa-pkcs1-mandatory",
    "RFC3830-4.2.6-rsa-pkcs1-sign-mandatory",
    "RFC3830-5.2-verification-mac",
    "RFC3830-5.2-pk-mac-next-payload-zero",
    "RFC3830-6.2-pk-idi-first",
    "RFC3830-6.2-pk-mac-coverage",
    "RFC3830-6.7-cert-der",
    "RFC3830-6.7-cert-types-mandatory",
    "RFC3830-6.1-csb-id-echo",
    "RFC3830-5.2-responder-timestamp",
)
@pytest.mark.parametrize("encr", [EncrAlg.AES_CM_128, EncrAlg.NULL], ids=lambda e: e.name)
def test_valid_i_message_gets_a_verification_message(
    sut: Sut, profile: Profile, evidence: Evidence, encr: EncrAlg
) -> None:
    """A valid signed I_MESSAGE with V=1 is answered by a valid verification message."""
    supported(sut, encr)
    ref = PkReferenceInitiator(profile, pk_params(encr_alg=encr), responder=sut)
    reply = sut_responds(sut, ref, evidence)  # refused for its T: the window rule's (5.4)
    answer_is_valid(ref, reply.message)


@pytest.mark.requirement("RFC3830-3.2-i-message-payloads")
def test_takes_an_i_message_with_chash(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi (3.2):
    a valid I_MESSAGE with CHASH, the SHA-1 hash of the responder's certificate (6.8), is
    taken and answered. CHASH is this test's subject, so it is sent even to a SUT that
    declares `takes_chash` False (the other tests leave it out for such a SUT)."""
    ref = PkReferenceInitiator(profile, send_chash=True)
    message = ref.i_message()
    assert ref.message.first(Chash) is not None, "harness: the reference sent no CHASH"
    reply = send_to_responder(sut, ref, message, evidence)
    with vehicle():  # refused for its current T: the window rule's, not CHASH's
        t_not_refused(reply)
    assert reply.accepted is not False, f"valid I_MESSAGE with CHASH rejected: {reply.detail}"
    answer_is_valid(ref, reply.message)


@pytest.mark.requirement("RFC3830-4.2.6-rsa-pss")
def test_takes_an_rsa_pss_signature(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """RSA/PSS (S type 1) is RECOMMENDED besides PKCS#1 v1.5 (4.2.6)."""
    ref = PkReferenceInitiator(profile, s_type=SignType.RSA_PSS, responder=sut)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    with vehicle():  # refused for its current T: the window rule's, not RSA/PSS's
        t_not_refused(reply)
    answer_is_valid(ref, reply.message)


@pytest.mark.requirement("RFC3830-6.1-v-flag")
def test_no_verification_message_when_v_is_clear(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """With V=0 the responder sends no verification message (6.1)."""
    ref = PkReferenceInitiator(profile, pk_params(v=False), responder=sut)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    with vehicle():  # refused for its current T: the window rule's, not the V flag's
        t_not_refused(reply)
    assert reply.accepted is not False, f"valid I_MESSAGE rejected: {reply.detail}"
    assert reply.message is None, "V=0 but the SUT answered"


@pytest.mark.requirement("RFC3830-4.3.2-chain-validation", "RFC3830-6.12-error-numbers")
@pytest.mark.parametrize(
    ("bad", "errors"),
    [
        ("expired", CERT_FAULTS),
        ("not_yet_valid", CERT_FAULTS),
        ("wrong_key_usage", CERT_FAULTS),
        ("unknown_ca", CERT_FAULTS),
        ("identity_mismatch", CERT_FAULTS | {ErrorNo.INVALID_ID}),
    ],
)
def test_rejects_a_certificate_it_cannot_trust(
    sut: Sut, profile: Profile, evidence: Evidence, bad: str, errors: frozenset[ErrorNo]
) -> None:
    """CERTi for the initiator's own key (so SIGNi verifies under it) that is expired,
    not yet valid, not for signing, from an unknown CA or for another identity than IDi
    must not authenticate the initiator (4.3.2)."""
    ref = PkReferenceInitiator(
        profile,
        credential=getattr(bad_certificates(profile, Role.INITIATOR), bad),
        responder=sut,
    )
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    expect_rejection(reply, evidence, ref.csb_id, errors)


@pytest.mark.requirement("RFC3830-4.3.2-chain-validation", "RFC3830-6.7-cert-der")
def test_rejects_a_truncated_certificate(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A CERT payload holding half a DER certificate is no certificate (6.7)."""
    truncated = bad_certificates(profile, Role.INITIATOR).truncated
    ref = PkReferenceInitiator(profile, responder=sut)
    message = ref.forge(ref.with_certificates(truncated))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, CERT_FAULTS)


@pytest.mark.requirement(
    "RFC3830-5.3-verify-mac", "RFC3830-5.3-auth-failure-error", "RFC3830-5.2-mac-coverage"
)
@pytest.mark.parametrize("fault", ["signature-bit", "other-bytes", "other-key"])
def test_rejects_a_signature_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """SIGNi with a bit flipped, a valid signature of other bytes (RAND changed after
    signing), or a signature by another key than the certified one (5.2, 5.3)."""
    ref = PkReferenceInitiator(profile, responder=sut)
    if fault == "other-key":
        message = ref.signed_by_another_key()
    else:
        flipped = bytearray(ref.i_message())
        at = len(flipped) - 1 if fault == "signature-bit" else ref.offset_of(Rand) + 4
        flipped[at] ^= 0x01
        message = bytes(flipped)
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-5.3-verify-mac", "RFC3830-4.1.4-kemac-key-derivation")
def test_rejects_an_envelope_under_another_key(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A PKE encrypted under another public key than the responder's cannot give the
    envelope key the KEMAC is keyed with (3.2): the KEMAC MAC fails."""
    ref = PkReferenceInitiator(profile, responder=sut)
    own_key = ref.pk.credential.certificate.public_key()
    reply = send_to_responder(sut, ref, ref.forge(ref.pke_under(own_key)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-3.2-encrypted-idi-verify")
def test_rejects_an_encrypted_idi_that_is_not_the_expected_one(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The KEMAC carries IDi = Mallory (correctly encrypted and MACed) while the clear IDi
    and the certificate say the initiator: "The encrypted IDi MUST always be verified to
    be equal with the expected IDi" (3.2)."""
    ref = PkReferenceInitiator(profile, responder=sut)
    message = ref.forge(ref.kemac_with_idi(Id(IdType.URI, MALLORY.encode())))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-5.2-pk-mac-next-payload-zero", "RFC3830-6.2-pk-mac-coverage")
def test_rejects_a_kemac_mac_taken_over_its_next_payload_field(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """ "Before calculating the MAC, the Next payload field is set to zero" (5.2): a KEMAC
    MAC over the real Next payload value does not verify."""
    ref = PkReferenceInitiator(profile, responder=sut)
    reply = send_to_responder(sut, ref, ref.forge(ref.kemac_mac_over_next_payload()), evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-3.2-i-message-payloads", "RFC3830-3-rand-in-initial-message")
@pytest.mark.parametrize("missing", ["T", "RAND", "KEMAC", "PKE"])
def test_rejects_an_i_message_without_a_mandatory_payload(
    sut: Sut, profile: Profile, evidence: Evidence, missing: str
) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi
    (3.2): without T, RAND, KEMAC or PKE it cannot be taken, even correctly signed."""
    ref = PkReferenceInitiator(profile, responder=sut)
    reply = send_to_responder(sut, ref, ref.forge(ref.without(missing)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-4.1.3-tek-derivation", "RFC3830-4.1.2-prf")
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT derives the same SRTP master key and salt from the TGK as the reference."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    ref = PkReferenceInitiator(profile, responder=sut)
    reply = sut_responds(sut, ref, evidence)
    with vehicle():
        answer_is_valid(ref, reply.message)
    check_srtp_keys(sut, Role.RESPONDER, ref.srtp_keys, ref.cs_ids, evidence)


@pytest.mark.requirement("RFC3830-4.5-update-pk")
def test_takes_an_update_with_a_new_envelope_key(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """HDR, T, [IDi|CERTi], [IDr], {SP}, [KEMAC], [CHASH], PKE, SIGNi (4.5) with a new
    envelope key and no RAND is taken for an established CSB."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = PkReferenceInitiator(profile, responder=sut)
    first = sut_responds(sut, ref, evidence)
    with vehicle():
        answer_is_valid(ref, first.message)
    reply = send_to_responder(sut, ref, ref.update_message(), evidence)
    assert reply.message is not None, "V=1 but the update was not answered"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the update's verification message is wrong: {outcome.reason}"
