"""PSK mode, the SUT as initiator: the suite's reference responder takes its I_MESSAGEs.

RFC 3830 3.1 (the exchange), 4.5 (updates), 5.2 (creating messages,
timestamps), 6.1 (HDR, CSB ID), 6.11 (RAND).
"""

from __future__ import annotations

import pytest

from conformance.checks import check_srtp_keys, strict_decode
from conformance.evidence import Evidence
from conformance.reference import (
    ReferenceResponder,
    exchange_params,
    initiate,
    reference_answers,
)
from conformance.vehicle import reference_took, vehicle
from mikey.wire import (
    DataType,
    EncrAlg,
    Kemac,
    KeyType,
    Rand,
    Timestamp,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("initiator")]

I_MESSAGE_ORDER = "HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC"
ENCRYPTIONS = [
    pytest.param(EncrAlg.AES_CM_128, marks=pytest.mark.requirement("RFC3830-4.2.3-aes-cm-iv")),
    pytest.param(EncrAlg.AES_KW_128, marks=pytest.mark.requirement("RFC3830-4.2.3-aes-kw-iv")),
    EncrAlg.NULL,
]
KEY_TYPES = [
    KeyType.TGK,
    pytest.param(
        KeyType.TGK_SALT, marks=pytest.mark.requirement("RFC3830-4.1.3-salt-from-key-data")
    ),
]


@pytest.mark.requirement(
    "RFC3830-3.1-psk-mandatory",
    "RFC3830-4.1.4-kemac-key-derivation",
    "RFC3830-5.2-mac-coverage",
)
@pytest.mark.parametrize("encr", ENCRYPTIONS, ids=lambda e: e.name)
def test_i_message_is_taken_by_the_reference_responder(
    sut: Sut, profile: Profile, evidence: Evidence, encr: EncrAlg
) -> None:
    """The SUT's I_MESSAGE decodes strictly and authenticates under the pre-shared key."""
    if encr not in sut.capabilities().encr_algs:
        pytest.skip(f"not-applicable: the SUT does not implement {encr.name}")
    ref = ReferenceResponder(profile)
    message = initiate(sut, exchange_params(encr_alg=encr), evidence)
    strict_decode(message, "the I_MESSAGE")
    with vehicle():  # refused for its T: the clock rule's (5.4), else this test's own
        reference_took(ref.take(message).outcome, "the I_MESSAGE")


@pytest.mark.requirement(
    "RFC3830-3.1-i-message-payloads",
    "RFC3830-3-rand-in-initial-message",
    "RFC3830-6.2-kemac-last",
    "RFC3830-5.2-mac-payload-last",
)
def test_i_message_has_the_payloads_of_3_1_in_order(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC (3.1): T, RAND and KEMAC are
    there, and KEMAC is the last payload (6.2). The order of the others is only
    recommended (5.2) and not checked."""
    msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
    assert msg.hdr.data_type == DataType.PSK_INIT, f"data type {msg.hdr.data_type.name}"
    kinds = [type(p).__name__ for p in msg.payloads]
    for kind in (Timestamp, Rand, Kemac):
        assert msg.first(kind) is not None, f"no {kind.__name__} payload ({I_MESSAGE_ORDER})"
    assert isinstance(msg.payloads[-1], Kemac), f"KEMAC is not last ({I_MESSAGE_ORDER}): {kinds}"


@pytest.mark.requirement("RFC3830-6.11-rand-length-16")
def test_rand_is_at_least_128_bits(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """RAND len SHOULD be at least 16 (6.11; 4.1.1 assumes at least 128 bits)."""
    msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
    rand = msg.first(Rand)
    assert rand is not None, "I_MESSAGE without RAND"
    assert len(rand.rand) >= 16, f"RAND is {len(rand.rand)} bytes"


@pytest.mark.requirement("RFC3830-5.2-unique-timestamp")
def test_every_i_message_has_a_unique_timestamp(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """All messages from the initiator MUST use a unique timestamp (5.2)."""
    stamps = []
    for _ in range(3):
        msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
        t = msg.first(Timestamp)
        assert t is not None, "I_MESSAGE without T"
        stamps.append(t.value)
    assert len(set(stamps)) == len(stamps), f"timestamps repeat: {[hex(s) for s in stamps]}"


@pytest.mark.requirement("RFC3830-6.11-rand-per-csb")
def test_every_csb_has_a_fresh_rand(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The RAND MUST be independently generated per CSB (6.11)."""
    rands = []
    for _ in range(3):
        msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
        rand = msg.first(Rand)
        assert rand is not None, "I_MESSAGE without RAND"
        rands.append(rand.rand)
    assert len(set(rands)) == len(rands), "RAND repeats across CSBs"


@pytest.mark.requirement("RFC3830-6.1-csb-id-unique", "RFC3830-6.1-csb-id-collision-check")
def test_every_csb_has_a_distinct_csb_id(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The CSB ID MUST be unique between each initiator-responder pair (6.1)."""
    ids = []
    for _ in range(5):
        msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
        ids.append(msg.hdr.csb_id)
    assert len(set(ids)) == len(ids), f"CSB IDs repeat: {[hex(i) for i in ids]}"


@pytest.mark.requirement("RFC3830-5.2-verification-mac")
def test_takes_a_valid_verification_message(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The reference responder's verification message is accepted (3.1, 5.2)."""
    ref = ReferenceResponder(profile)
    answer = reference_answers(sut, ref, exchange_params(), evidence)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE", answer))
    assert outcome.accepted, f"the SUT rejects a valid verification message: {outcome.detail}"


@pytest.mark.requirement("RFC3830-5.2-verification-mac")
@pytest.mark.parametrize("where", ["ver-data", "timestamp"])
def test_rejects_a_verification_message_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """A verification message whose MAC fails (a bit flipped in V, or a T that is not
    the initiator's with the MAC made over it) is rejected."""
    ref = ReferenceResponder(profile)
    answer = reference_answers(sut, ref, exchange_params(), evidence)
    if where == "ver-data":
        forged = answer[:-1] + bytes([answer[-1] ^ 0x80])
    else:
        forged = ref.resealed_response(answer, timestamp_delta=1)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (forged)", forged))
    assert not outcome.accepted, "the SUT accepted a verification message that does not verify"


@pytest.mark.requirement("RFC3830-6.1-csb-id-echo")
def test_rejects_a_verification_message_for_another_csb(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A verification message with another CSB ID (correctly MACed) answers no CSB of
    the SUT's and must not be taken (6.1: the responder uses the same CSB ID)."""
    ref = ReferenceResponder(profile)
    answer = reference_answers(sut, ref, exchange_params(), evidence)
    forged = ref.resealed_response(answer, csb_delta=1)
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (other CSB)", forged))
    assert not outcome.accepted, "the SUT accepted a verification message for another CSB"


@pytest.mark.requirement("RFC3830-4.1.3-tek-derivation", "RFC3830-4.1.2-prf")
@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda k: k.name)
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence, key_type: KeyType
) -> None:
    """The SUT's SRTP master key and salt equal the reference responder's (4.1.3)."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    if key_type not in sut.capabilities().key_types:
        pytest.skip(f"not-applicable: the SUT does not send {key_type.name}")
    ref = ReferenceResponder(profile)
    answer = reference_answers(sut, ref, exchange_params(key_type=key_type), evidence)
    with vehicle("RFC3830-5.2-verification-mac"):
        outcome = sut.complete(evidence.to_sut("R_MESSAGE", answer))
        assert outcome.accepted, f"the SUT rejects the verification message: {outcome.detail}"
    csb = ref.csb
    assert csb is not None
    check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


@pytest.mark.requirement("RFC3830-4.5-update-same-csb-id", "RFC3830-4.5-update-new-timestamp")
def test_update_keeps_the_csb_id_and_takes_a_new_timestamp(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update uses the same CSB ID as the initial exchange and a new timestamp (4.5)."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    first = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
    update = strict_decode(evidence.from_sut("update", sut.update()) or b"", "the update")
    assert update.hdr.csb_id == first.hdr.csb_id, "the update changed the CSB ID"
    t0, t1 = first.first(Timestamp), update.first(Timestamp)
    assert t0 is not None and t1 is not None, "a message without T"
    assert t1.value != t0.value, "the update reuses the initial timestamp"


@pytest.mark.requirement("RFC3830-4.5-update-no-rand")
def test_update_carries_no_rand(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A new RAND MUST NOT be included in an update (4.5)."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    initiate(sut, exchange_params(), evidence)
    update = strict_decode(evidence.from_sut("update", sut.update()) or b"", "the update")
    assert update.first(Rand) is None, "the update carries a RAND payload"
