"""DH method, the SUT as responder: the suite's reference initiator sends signed I_MESSAGEs.

RFC 3830 3.3 (the exchange), 4.2.6/4.2.7 (signatures, groups), 4.3.2 (certificates),
4.5 (updates), 5.3 (signature), 6.1 (V), 6.5 (SIGN last); the timestamp window and
replays (5.4) are in test_timing_responder.py.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from conformance import dh_exchange_checks as checks
from conformance.checks import expect_rejection
from conformance.dh_exchange import DH_METHOD, groups
from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from conformance.reference_dh import OUT_OF_RANGE
from conformance.reference_pk import bad_certificates
from conformance.v_flag_checks import answered_although_v_is_clear
from mikey.crypto.signature import signature_sign
from mikey.wire import Dh, DhGroup, ErrorNo, Sign, SignType
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("DH"), pytest.mark.role("responder")]

CERT_FAULTS = frozenset({ErrorNo.INVALID_CERT, ErrorNo.AUTH_FAILURE})
"""Invalid Cert names the fault (Table 6.12); Auth failure is the closest 5.3 allows."""
GROUPS = groups(pytest.mark.requirement("RFC3830-4.2.7-oakley5-mandatory"))


@pytest.mark.requirement(
    "RFC3830-3.3-r-message-payloads",
    "RFC3830-3.3-group-chosen-by-initiator",
    "RFC3830-6.5-sign-last",
    "RFC3830-6.1-dh-response-mandatory",
)
@pytest.mark.parametrize("group", GROUPS)
def test_valid_i_message_gets_a_signed_r_message(
    sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> None:
    """HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr in the initiator's group, SIGNr last,
    verified by the reference initiator (certificate and signature)."""
    msg = checks.answers_in_the_group(DH_METHOD, sut, profile, evidence, group)
    assert isinstance(msg.payloads[-1], Sign), "SIGN is not the last payload (6.5)"


@pytest.mark.requirement("RFC3830-6.1-v-ignored-dh", "RFC3830-6.1-dh-response-mandatory")
def test_the_v_flag_is_ignored(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An I_MESSAGE with V=0 is answered all the same (6.1)."""
    ref = DH_METHOD.reference(profile, v=False)
    answered_although_v_is_clear(ref, ref.i_message(), sut, evidence)


@pytest.mark.parametrize(
    "s_type",
    [
        pytest.param(
            SignType.RSA_PKCS1_1_5,
            id="PKCS1",
            marks=pytest.mark.requirement("RFC3830-4.2.6-rsa-pkcs1-sign-mandatory"),
        ),
        pytest.param(
            SignType.RSA_PSS, id="PSS", marks=pytest.mark.requirement("RFC3830-4.2.6-rsa-pss")
        ),
    ],
)
def test_takes_each_signature_type(
    sut: Sut, profile: Profile, evidence: Evidence, s_type: SignType
) -> None:
    """SIGNi with RSA PKCS#1 v1.5 (mandatory) and RSA-PSS (recommended) is taken (4.2.6)."""
    ref = DH_METHOD.reference(profile, s_type=s_type)
    DH_METHOD.r_message(sut, ref, ref.i_message(), evidence)


@pytest.mark.requirement("RFC3830-3.3-dh-xr-random")
def test_every_exchange_gets_a_fresh_dhr(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """xr is drawn anew: three exchanges give three different DHr (3.3)."""
    checks.every_exchange_gets_a_fresh_dhr(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-5.3-verify-mac", "RFC3830-5.3-auth-failure-error")
@pytest.mark.parametrize("where", ["signature", "dhi", "another-key"])
def test_rejects_a_signature_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """A bit flipped in SIGNi or in DHi after signing, or SIGNi by a key CERTi does not
    certify: the signature fails (5.3)."""
    ref = DH_METHOD.reference(profile)
    if where == "another-key":
        ref.i_message()
        covered = ref.peer.unsealed_bytes()
        own = ref.dh.credential.private_key()
        assert isinstance(own, rsa.RSAPrivateKey)
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=own.key_size)
        data = covered + signature_sign(SignType.RSA_PKCS1_1_5, stranger, covered)
    else:
        raw = bytearray(ref.i_message())
        raw[-1 if where == "signature" else ref.offset_of(Dh) + 5] ^= 0x01
        data = bytes(raw)
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-3.3-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_a_dhi_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A signed I_MESSAGE whose DHi is 0, 1, p-1, p or 2^n - 1 is refused."""
    checks.rejects_a_dhi_outside_the_group(DH_METHOD, sut, profile, evidence, value)


@pytest.mark.requirement("RFC3830-4.3.2-chain-validation")
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
    """CERTi for the initiator's own key (so SIGNi verifies under it) that is expired, not
    yet valid, not for signing, from an unknown CA or for another identity (4.3.2)."""
    credential = getattr(bad_certificates(profile, Role.INITIATOR), bad)
    ref = DH_METHOD.reference(profile, credential=credential)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    expect_rejection(reply, evidence, ref.csb_id, errors)


@pytest.mark.requirement("RFC3830-4.5-dh-update-dhr", "RFC3830-4.5-update-dh")
def test_an_update_with_dhi_gets_dhr_and_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """If the initiator includes DHi, the responder MUST include DHr and DHi (4.5)."""
    checks.an_update_with_dhi_gets_a_fresh_dhr(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-4.5-dh-update-no-dhr")
def test_an_update_without_dhi_gets_no_dh(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """If the initiator does not include DHi, the responder MUST NOT include DHr or DHi."""
    checks.an_update_without_dhi_gets_no_dh(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-3.3-tgk-dh")
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's SRTP master key and salt equal the reference initiator's: both hold
    g^(xi*xr) as TGK (3.3) and derive by 4.1.3."""
    checks.derived_srtp_keys_match_the_reference(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-3.3-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_an_update_with_a_dhi_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A re-keying update whose DHi is 0, 1, p-1, p or 2^n - 1 is refused, as an initial
    message's would be."""
    checks.rejects_an_update_with_a_dhi_outside_the_group(DH_METHOD, sut, profile, evidence, value)
