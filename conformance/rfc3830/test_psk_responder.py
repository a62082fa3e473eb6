"""PSK mode, the SUT as responder: the suite's reference initiator sends I_MESSAGEs.

RFC 3830 3.1 (the exchange), 5.2 (verification MAC), 5.3 (the responder's
checks), 5.3 (the replay cache takes authenticated messages only), 6.1 (HDR), 6.12
(error numbers). The timestamp window and replays (5.4): test_timing_responder.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import check_srtp_keys, expect_rejection, strict_decode
from conformance.evidence import Evidence
from conformance.reference import (
    ReferenceInitiator,
    exchange_params,
    send_to_responder,
    sut_responds,
)
from conformance.vehicle import t_not_refused, vehicle
from mikey.wire import (
    DataType,
    EncrAlg,
    ErrorNo,
    KeyType,
    MacAlg,
    Rand,
    SrtpIdEntry,
    Timestamp,
    Verification,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("responder")]

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


def supported(sut: Sut, encr: EncrAlg) -> None:
    if encr not in sut.capabilities().encr_algs:
        pytest.skip(f"not-applicable: the SUT does not implement {encr.name}")


@pytest.mark.requirement(
    "RFC3830-3.1-psk-mandatory",
    "RFC3830-3.1-r-message-payloads",
    "RFC3830-4.1.4-kemac-key-derivation",
    "RFC3830-5.2-verification-mac",
    "RFC3830-5.2-mac-payload-last",
    "RFC3830-6.1-csb-id-echo",
)
@pytest.mark.parametrize("encr", ENCRYPTIONS, ids=lambda e: e.name)
def test_valid_i_message_gets_a_verification_message(
    sut: Sut, profile: Profile, evidence: Evidence, encr: EncrAlg
) -> None:
    """A valid I_MESSAGE with V=1 is answered by a valid verification message."""
    supported(sut, encr)
    ref = ReferenceInitiator(profile, exchange_params(encr_alg=encr))
    reply = sut_responds(sut, ref, evidence)  # refused for its T: the window rule's (5.4)
    assert reply.message is not None, "V=1 but the SUT sent no verification message (3.1)"
    msg = strict_decode(reply.message, "the R_MESSAGE")
    assert msg.hdr.data_type == DataType.PSK_RESP, f"R_MESSAGE of type {msg.hdr.data_type.name}"
    assert msg.hdr.csb_id == ref.csb_id, "the responder must use the same CSB ID (6.1)"
    assert isinstance(msg.payloads[-1], Verification), "V is not the last payload (3.1, 5.2)"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the reference initiator rejects the R_MESSAGE: {outcome.reason}"


@pytest.mark.requirement("RFC3830-5.2-responder-timestamp")
def test_verification_message_echoes_the_initiator_timestamp(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The responder does not create a new timestamp but uses the initiator's (5.2)."""
    ref = ReferenceInitiator(profile, exchange_params())
    reply = sut_responds(sut, ref, evidence, answer=True)
    assert reply.message is not None
    msg = strict_decode(reply.message, "the R_MESSAGE")
    t = msg.first(Timestamp)
    assert t is not None, "R_MESSAGE without T payload (3.1: HDR, T, [IDr], V)"
    assert t.value == ref.timestamp.value, (
        f"R_MESSAGE T {t.value:#x} is not the initiator's {ref.timestamp.value:#x}"
    )


@pytest.mark.requirement("RFC3830-6.1-v-flag")
def test_no_verification_message_when_v_is_clear(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """With V=0 the initiator expects no response; the SUT takes the keys silently."""
    ref = ReferenceInitiator(profile, exchange_params(v=False))
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    with vehicle():  # refused for its current T: the window rule's, not the V flag's
        t_not_refused(reply)
    assert reply.accepted is not False, f"the SUT rejected a valid I_MESSAGE: {reply.detail}"
    if reply.message is not None:
        msg = strict_decode(reply.message, "the SUT's answer")
        assert msg.hdr.data_type != DataType.PSK_RESP, "V=0 but a verification message came back"


@pytest.mark.requirement("RFC3830-6.1-v-flag")
def test_verification_message_when_v_is_set(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """With V=1 the responder sends the verification message (3.1, 6.1)."""
    ref = ReferenceInitiator(profile, exchange_params(v=True))
    reply = sut_responds(sut, ref, evidence)
    assert reply.message is not None, "V=1 but no verification message"
    msg = strict_decode(reply.message, "the R_MESSAGE")
    assert msg.first(Verification) is not None, "R_MESSAGE without V payload"


@pytest.mark.requirement("RFC3830-5.3-verify-mac", "RFC3830-6.12-error-numbers")
@pytest.mark.parametrize("where", ["mac", "rand", "csb-id"])
def test_rejects_a_message_whose_mac_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """One flipped bit, in the MAC or in the bytes it covers, fails authentication."""
    ref = ReferenceInitiator(profile, exchange_params())
    data = bytearray(ref.i_message())
    index = {"mac": len(data) - 1, "csb-id": 7, "rand": ref.offset_of(Rand) + 3}[where]
    data[index] ^= 0x01
    reply = send_to_responder(sut, ref, bytes(data), evidence)
    csb_id = ref.csb_id if where != "csb-id" else None
    expect_rejection(reply, evidence, csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-5.3-verify-mac")
def test_rejects_a_message_under_another_pre_shared_key(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A message keyed with a different pre-shared key fails authentication."""
    other = replace(profile, psk=bytes(b ^ 0x5A for b in profile.psk))
    ref = ReferenceInitiator(other, exchange_params())
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC3830-5.3-replay-cache-authenticated-only")
def test_a_forgery_does_not_poison_the_replay_cache(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Only authenticated messages enter the replay cache (5.3): a forged copy first,
    then the genuine message, which must still be taken."""
    ref = ReferenceInitiator(profile, exchange_params())
    genuine = ref.i_message()
    forged = genuine[:-1] + bytes([genuine[-1] ^ 0x01])
    send_to_responder(sut, ref, forged, evidence)
    reply = send_to_responder(sut, ref, genuine, evidence)
    with vehicle():  # the genuine message's T is current: refused for it, nothing checked
        t_not_refused(reply)
    assert reply.message is not None, "the genuine message was not answered"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"genuine message after a forgery not taken: {outcome.reason}"


@pytest.mark.requirement("RFC3830-6.12-error-numbers", "RFC3830-5.1.2-error-message-form")
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("data-type", ErrorNo.INVALID_DT),
        ("prf-func", ErrorNo.INVALID_PRF),
        ("encr-alg", ErrorNo.INVALID_EA),
    ],
)
def test_unsupported_parameter_gets_the_matching_error(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str, error: ErrorNo
) -> None:
    """A correctly MACed message with an unsupported value is rejected; an Error message,
    if sent, names the matching error number of Table 6.12."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge_bytes(ref.corrupt_field(fault))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({error}))


@pytest.mark.requirement("RFC3830-3.1-i-message-payloads", "RFC3830-3-rand-in-initial-message")
@pytest.mark.parametrize("missing", ["T", "RAND", "KEMAC"])
def test_rejects_an_i_message_without_a_mandatory_payload(
    sut: Sut, profile: Profile, evidence: Evidence, missing: str
) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC (3.1): without T, RAND or
    KEMAC it cannot be taken, even with a valid MAC."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge(ref.without(missing))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-3.1-i-message-payloads")
@pytest.mark.parametrize("foreign", ["CHASH", "DH", "second T"])
def test_rejects_a_payload_the_psk_i_message_does_not_have(
    sut: Sut, profile: Profile, evidence: Evidence, foreign: str
) -> None:
    """I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC (3.1): a payload of another
    method (CHASH, DH) or a second T, correctly MACed, makes it no PSK I_MESSAGE."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge(ref.with_extra(foreign))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-6.2-kemac-last")
def test_rejects_kemac_that_is_not_the_last_payload(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """In the pre-shared key method KEMAC is the last payload (6.2)."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge(ref.kemac_moved_before_rand())
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-6.1-next-payload")
def test_rejects_a_wrong_next_payload(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A Next payload field that announces the wrong payload breaks the chain (6.1)."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge_bytes(ref.corrupt_field("next-payload"))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-6.11-rand-length")
def test_rejects_a_lying_rand_length(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A RAND len larger than the RAND breaks the message, even with a valid MAC (6.11)."""
    ref = ReferenceInitiator(profile, exchange_params())
    message = ref.forge_bytes(ref.corrupt_field("rand-len"))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement(
    "RFC3830-4.1.3-tek-derivation", "RFC3830-4.1.2-prf", "RFC3830-4.2.3-aes-cm-iv"
)
@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda k: k.name)
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence, key_type: KeyType
) -> None:
    """The SUT derives the same SRTP master key and salt from the TGK as the
    reference (4.1.3), using the salt carried in the Key data when present."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    ref = ReferenceInitiator(profile, exchange_params(key_type=key_type))
    sut_responds(sut, ref, evidence, verify=True)
    check_srtp_keys(sut, Role.RESPONDER, ref.srtp_keys, ref.cs_ids, evidence)


@pytest.mark.requirement("RFC3830-4.5-update")
def test_takes_an_update_of_an_established_csb(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update message (same CSB ID, new timestamp, no RAND) is taken (4.5)."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = ReferenceInitiator(profile, exchange_params())
    sut_responds(sut, ref, evidence)
    reply = send_to_responder(sut, ref, ref.update_message(), evidence)
    assert reply.message is not None, "V=1 but the update was not answered"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the update's verification message is wrong: {outcome.reason}"


@pytest.mark.requirement("RFC3830-4.5-update")
def test_rejects_an_update_of_an_unknown_csb(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update message (no RAND) for a CSB the responder never established cannot be
    keyed (4.1.4 needs the initial RAND) and must be rejected."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = ReferenceInitiator(profile, exchange_params())
    ref.i_message()
    reply = send_to_responder(sut, ref, ref.update_message(), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement(
    "RFC3830-4.2.1-sha1-mandatory",
    "RFC3830-4.2.2-prf-mandatory",
    "RFC3830-4.2.3-aes-cm-mandatory",
    "RFC3830-4.2.4-hmac-sha1-mandatory",
)
def test_takes_the_mandatory_transforms(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The MIKEY-1 PRF (on SHA-1), AES-CM-128 and HMAC-SHA-1-160 are mandatory to
    implement (4.2): an I_MESSAGE using them is taken, whatever the SUT declares."""
    params = exchange_params(encr_alg=EncrAlg.AES_CM_128, mac_alg=MacAlg.HMAC_SHA_1_160, v=True)
    ref = ReferenceInitiator(profile, params)
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    with vehicle():  # refused for its current T: the window rule's, not the transforms'
        t_not_refused(reply)
    assert reply.message is not None, f"no verification message: {reply.detail}"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the mandatory transforms are not taken: {reply.detail}"


@pytest.mark.requirement("RFC3830-6.1.1-ssrc-zero-fill")
def test_fills_in_the_ssrcs_the_initiator_left_zero(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """SSRCs not chosen by the initiator are sent as zero and the responder fills them in
    its response; the ones the initiator chose stay as they were (6.1.1)."""
    cs_map = (SrtpIdEntry(0, 0, 0), SrtpIdEntry(0, 0x5EED5EED, 0))
    ref = ReferenceInitiator(profile, exchange_params(cs_map=cs_map))
    reply = sut_responds(sut, ref, evidence, answer=True)
    assert reply.message is not None
    answer = strict_decode(reply.message, "the R_MESSAGE").hdr.cs_map
    assert len(answer) == len(cs_map), f"{len(answer)} SRTP-ID entries, not {len(cs_map)}"
    assert answer[0].ssrc != 0, "the responder did not fill in the SSRC the initiator left zero"
    assert answer[1].ssrc == cs_map[1].ssrc, "the responder changed an SSRC the initiator chose"
