"""DH method, the SUT as initiator: the suite's reference responder answers, signed.

RFC 3830 3 (RAND), 3.3 (the exchange), 4.2.7 (groups), 4.3.2 (certificates),
4.5 (updates), 6.5 (SIGN last).
"""

from __future__ import annotations

import pytest

from conformance import dh_exchange_checks as checks
from conformance.dh_exchange import DH_METHOD, groups
from conformance.evidence import Evidence
from conformance.reference_dh import OUT_OF_RANGE
from conformance.reference_pk import bad_certificates
from mikey.wire import Dh, DhGroup, Rand, Sign, Timestamp
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("DH"), pytest.mark.role("initiator")]

GROUPS = groups(pytest.mark.requirement("RFC3830-4.2.7-oakley5-mandatory"))


@pytest.mark.requirement(
    "RFC3830-3.3-i-message-payloads", "RFC3830-3-rand-in-initial-message", "RFC3830-6.5-sign-last"
)
@pytest.mark.parametrize("group", GROUPS)
def test_i_message_is_taken_by_the_reference_responder(
    sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> None:
    """HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi in the chosen group, SIGNi
    last, verified by the reference responder (certificate and signature)."""
    msg = checks.i_message_in_group(DH_METHOD, sut, profile, evidence, group)
    for kind in (Timestamp, Rand, Dh):
        assert msg.first(kind) is not None, f"no {kind.__name__} payload (3.3)"
    assert isinstance(msg.payloads[-1], Sign), "SIGN is not the last payload (6.5)"


@pytest.mark.requirement("RFC3830-3.3-dh-xi-random")
def test_every_i_message_has_a_fresh_dhi(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """xi is drawn anew: three I_MESSAGEs give three different DHi (3.3)."""
    checks.every_i_message_has_a_fresh_dhi(DH_METHOD, sut, evidence)


@pytest.mark.requirement("RFC3830-3.3-tgk-dh")
def test_takes_a_valid_r_message_and_derives_the_reference_keys(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference R_MESSAGE is taken, and the SUT's SRTP keys are the reference's."""
    checks.takes_a_valid_r_message(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-3.3-r-message-payloads")
@pytest.mark.parametrize("where", ["signature", "dhr"])
def test_rejects_an_r_message_whose_signature_fails(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """A bit flipped in SIGNr, or in DHr after signing: SIGNr fails (3.3, 5.2)."""
    checks.rejects_a_flipped_r_message(
        DH_METHOD, sut, profile, evidence, in_dhr=where == "dhr", what="signature"
    )


@pytest.mark.requirement("RFC3830-3.3-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_a_dhr_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A signed R_MESSAGE whose DHr is 0, 1, p-1, p or 2^n - 1 is refused."""
    checks.rejects_a_dhr_outside_the_group(DH_METHOD, sut, profile, evidence, value)


@pytest.mark.requirement("RFC3830-3.3-group-chosen-by-initiator")
def test_rejects_a_dhr_of_another_group(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A signed R_MESSAGE whose DHr is a valid OAKLEY 2 value, answering an OAKLEY 5 DHi:
    the group is the initiator's to choose (3.3), so the answer is refused."""
    checks.rejects_a_dhr_of_another_group(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-4.3.2-chain-validation")
@pytest.mark.parametrize(
    "bad", ["expired", "not_yet_valid", "wrong_key_usage", "unknown_ca", "identity_mismatch"]
)
def test_rejects_a_responder_certificate_it_cannot_trust(
    sut: Sut, profile: Profile, evidence: Evidence, bad: str
) -> None:
    """CERTr for the responder's own key (so SIGNr verifies under it) that is expired, not
    yet valid, not for signing, from an unknown CA or for another identity (4.3.2)."""
    credential = getattr(bad_certificates(profile, Role.RESPONDER), bad)
    _, answer = DH_METHOD.answered(sut, profile, evidence, credential=credential)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (bad CERTr)", answer))
    assert not outcome.accepted, f"the SUT accepted an R_MESSAGE with a CERTr that is {bad}"


@pytest.mark.requirement("RFC3830-4.5-update-dh")
def test_a_rekeying_update_has_no_rand_and_a_fresh_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Update I_MESSAGE = HDR, T, [IDi|CERTi], [IDr], {SP}, [DHi], SIGNi (4.5): no RAND,
    the CSB's ID, a DHi of its own, and the reference responder takes it."""
    update = checks.rekeying_update(DH_METHOD, sut, profile, evidence)
    assert update.first(Rand) is None, "the update carries a RAND (4.5)"


@pytest.mark.requirement("RFC3830-3.3-r-message-payloads")
def test_rejects_an_r_message_that_does_not_echo_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """R_MESSAGE = ..., DHr, DHi, SIGNr (3.3): a signed answer whose DHi is not the SUT's
    (here: DHr twice) answers no I_MESSAGE of the SUT's and is refused."""
    checks.rejects_an_r_message_that_does_not_echo_dhi(DH_METHOD, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-3.3-r-message-payloads")
@pytest.mark.parametrize("how", ["left-out", "another"])
def test_rejects_an_r_message_without_its_idi(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """R_MESSAGE = HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr (3.3): a signed answer that
    leaves IDi out or names another initiator is refused."""
    checks.rejects_an_r_message_without_its_idi(DH_METHOD, sut, profile, evidence, how)


@pytest.mark.requirement("RFC3830-3.3-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_an_update_answer_with_a_dhr_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """The answer to a re-keying update whose DHr is 0, 1, p-1, p or 2^n - 1 is refused,
    as an initial answer's would be."""
    checks.rejects_an_update_answer_with_a_dhr_outside_the_group(
        DH_METHOD, sut, profile, evidence, value
    )
