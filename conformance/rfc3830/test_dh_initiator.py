"""DH method, the SUT as initiator: the suite's reference responder answers, signed.

RFC 3830 3 (RAND), 3.3 (the exchange), 4.2.7 (groups), 4.3.2 (certificates),
4.5 (updates), 6.5 (SIGN last).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.checks import check_srtp_keys, strict_decode
from conformance.evidence import Evidence
from conformance.reference import exchange_params, initiate
from conformance.reference_dh import OUT_OF_RANGE, ReferenceDhResponder, out_of_range, replace_dh
from conformance.reference_pk import bad_certificates
from mikey.crypto.dh import DhKeyPair
from mikey.wire import DataType, Dh, DhGroup, Message, Rand, Sign, Timestamp
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("DH"), pytest.mark.role("initiator")]

GROUPS = [
    pytest.param(
        DhGroup.OAKLEY_5,
        id="OAKLEY_5",
        marks=pytest.mark.requirement("RFC3830-4.2.7-oakley5-mandatory"),
    ),
    pytest.param(DhGroup.OAKLEY_1, id="OAKLEY_1"),
    pytest.param(DhGroup.OAKLEY_2, id="OAKLEY_2"),
]


def i_message(sut: Sut, evidence: Evidence, **changes: object) -> tuple[bytes, Message]:
    data = initiate(sut, exchange_params(mode="DH", **changes), evidence)
    msg = strict_decode(data, "the I_MESSAGE")
    assert msg.hdr.data_type == DataType.DH_INIT, (
        f"I_MESSAGE of data type {msg.hdr.data_type.name}, not D-H init (6.1)"
    )
    return data, msg


def answered(
    sut: Sut, profile: Profile, evidence: Evidence, **changes: Any
) -> tuple[ReferenceDhResponder, bytes]:
    """The reference responder's signed R_MESSAGE to the SUT's I_MESSAGE."""
    ref = ReferenceDhResponder(profile, **changes)
    data, _ = i_message(sut, evidence)
    reply = ref.take(data)
    assert reply.outcome.accepted, f"the reference responder rejects: {reply.outcome.reason}"
    assert reply.message is not None
    return ref, reply.message


@pytest.mark.requirement(
    "RFC3830-3.3-i-message-payloads", "RFC3830-3-rand-in-initial-message", "RFC3830-6.5-sign-last"
)
@pytest.mark.parametrize("group", GROUPS)
def test_i_message_is_taken_by_the_reference_responder(
    sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> None:
    """HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi in the chosen group, SIGNi
    last, verified by the reference responder (certificate and signature)."""
    data, msg = i_message(sut, evidence, dh_group=group)
    for kind in (Timestamp, Rand, Dh):
        assert msg.first(kind) is not None, f"no {kind.__name__} payload (3.3)"
    assert isinstance(msg.payloads[-1], Sign), "SIGN is not the last payload (6.5)"
    dhi = msg.first(Dh)
    assert dhi is not None and dhi.group == group, f"DHi {dhi}, want one in {group.name}"
    reply = ReferenceDhResponder(profile).take(data)
    assert reply.outcome.accepted, f"the reference responder rejects it: {reply.outcome.reason}"


@pytest.mark.requirement("RFC3830-3.3-dh-xi-random")
def test_every_i_message_has_a_fresh_dhi(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """xi is drawn anew: three I_MESSAGEs give three different DHi (3.3)."""
    values = []
    for _ in range(3):
        _, msg = i_message(sut, evidence)
        dhi = msg.first(Dh)
        assert dhi is not None, "I_MESSAGE without DHi"
        values.append(dhi.value)
    assert len(set(values)) == len(values), "the initiator's DH value repeats"


@pytest.mark.requirement("RFC3830-3.3-tgk-dh")
def test_takes_a_valid_r_message_and_derives_the_reference_keys(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference R_MESSAGE is taken, and the SUT's SRTP keys are the reference's."""
    ref, answer = answered(sut, profile, evidence)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE", answer))
    assert outcome.accepted, f"the SUT rejects a valid R_MESSAGE: {outcome.detail}"
    if not sut.capabilities().exports_keys:
        return
    csb = ref.csb
    assert csb is not None
    check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


@pytest.mark.requirement("RFC3830-3.3-r-message-payloads")
@pytest.mark.parametrize("where", ["signature", "dhr"])
def test_rejects_an_r_message_whose_signature_fails(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """A bit flipped in SIGNr, or in DHr after signing: SIGNr fails (3.3, 5.2)."""
    ref, answer = answered(sut, profile, evidence)
    data = bytearray(answer)
    data[-1 if where == "signature" else answer.index(ref.last_dhr().value) + 5] ^= 0x01
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (forged)", bytes(data)))
    assert not outcome.accepted, "the SUT accepted an R_MESSAGE whose signature fails"


@pytest.mark.requirement("RFC3830-3.3-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_a_dhr_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A signed R_MESSAGE whose DHr is 0, 1, p-1, p or 2^n - 1 is refused."""
    ref, answer = answered(sut, profile, evidence)
    bad = out_of_range(DhGroup.OAKLEY_5, value)
    forged = ref.forged(answer, replace_dh(0, lambda dh: replace(dh, value=bad)))
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (forged)", forged))
    assert not outcome.accepted, f"the SUT accepted DHr = {value}"


@pytest.mark.requirement("RFC3830-3.3-group-chosen-by-initiator")
def test_rejects_a_dhr_of_another_group(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A signed R_MESSAGE whose DHr is a valid OAKLEY 2 value, answering an OAKLEY 5 DHi:
    the group is the initiator's to choose (3.3), so the answer is refused."""
    ref, answer = answered(sut, profile, evidence)
    other = DhKeyPair.generate(DhGroup.OAKLEY_2, ref.peer.env.random)
    forged = ref.forged(answer, replace_dh(0, lambda dh: Dh(other.group, other.public_value)))
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (other group)", forged))
    assert not outcome.accepted, "the SUT accepted a DHr of another group than its DHi"


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
    _, answer = answered(sut, profile, evidence, credential=credential)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (bad CERTr)", answer))
    assert not outcome.accepted, f"the SUT accepted an R_MESSAGE with a CERTr that is {bad}"


@pytest.mark.requirement("RFC3830-4.5-update-dh")
def test_a_rekeying_update_has_no_rand_and_a_fresh_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Update I_MESSAGE = HDR, T, [IDi|CERTi], [IDr], {SP}, [DHi], SIGNi (4.5): no RAND,
    the CSB's ID, a DHi of its own, and the reference responder takes it."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref, answer = answered(sut, profile, evidence)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE", answer))
    assert outcome.accepted, f"the SUT rejects a valid R_MESSAGE: {outcome.detail}"
    first = ref.peer.last_message.first(Dh) if ref.peer.last_message else None
    data = evidence.from_sut("update", sut.update()) or b""
    update = strict_decode(data, "the update")
    assert update.first(Rand) is None, "the update carries a RAND (4.5)"
    dhi = update.first(Dh)
    assert first is not None and dhi is not None and dhi.value != first.value, "no fresh DHi"
    reply = ref.take(data)
    assert reply.outcome.accepted, f"the reference rejects the update: {reply.outcome.reason}"
