"""MIKEY-SAKKE, the SUT as responder: the suite's reference initiator sends I_MESSAGEs.

RFC 6509 2.2.1 (the I_MESSAGE), 2.2.2 (the responder's processing), 3.1 (SSV = TGK),
3.2 (Identifiers), 4.2 (the SAKKE payload); RFC 6508 6.2.2 (the TEST point); RFC 6507
5.2.2 (ECCSI verification). Forgeries are signed anew unless the signature is the point.
The timestamp window and replays: conformance/rfc3830/test_timing_responder.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import expect_rejection, strict_decode
from conformance.evidence import Evidence
from conformance.rfc6509.reference import (
    OTHER_URI,
    MessageMutation,
    SakkeReferenceInitiator,
    params,
    previous_period,
    replacing,
    send_to_responder,
    timestamp_of,
)
from conformance.vehicle import t_not_refused, vehicle
from mikey.crypto import eccsi
from mikey.modes.sakke_common import with_signature
from mikey.modes.sakke_kms import key_period_of_ntp
from mikey.wire import (
    DataType,
    ErrorNo,
    Idr,
    IdRole,
    IdType,
    Message,
    Payload,
    Rand,
    Sakke,
    Sign,
    Timestamp,
    TsType,
    encode_message,
)
from suts.base import Profile, Reply, Role, Sut

pytestmark = [pytest.mark.mode("SAKKE"), pytest.mark.role("responder")]

AUTH = frozenset({ErrorNo.AUTH_FAILURE})
SAKKE_DATA_AT = 5  # Next payload, SAKKE params, ID scheme, SAKKE data length (4.2)
H_AT = SAKKE_DATA_AT + 257  # R_(b,S) is 0x04 || x || y, 2L+1 octets (RFC 6508 4)


def taken(reply: Reply) -> None:
    """The SUT took the message; refused for its current T, the test is inconclusive (the
    window rule's, RFC 6509 2.2.2 taking RFC 3830 5.4 over)."""
    with vehicle():
        t_not_refused(reply)
    assert reply.accepted is not False, f"the SUT rejected a valid I_MESSAGE: {reply.detail}"


@pytest.mark.requirement(
    "RFC6509-2.2.2-derive-ssv", "RFC6509-3.1-ssv-is-tgk", "RFC6509-2.1.1-p256-sha256"
)
@pytest.mark.parametrize("idr", [True, False], ids=["with-idr", "without-idr"])
def test_valid_i_message_is_taken_and_keys_agree(
    sut: Sut, profile: Profile, evidence: Evidence, idr: bool
) -> None:
    """A valid I_MESSAGE is taken silently; the SSV becomes the TGK, so the SUT's SRTP
    keys are the reference initiator's (RFC 3830 4.1.3)."""
    ref = SakkeReferenceInitiator(profile, params(include_ids=idr))
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    taken(reply)
    if reply.message is not None:
        msg = strict_decode(reply.message, "the SUT's answer")
        assert msg.hdr.data_type != DataType.ERROR, "a valid I_MESSAGE got an Error message"
    if not sut.capabilities().exports_keys:
        return
    theirs, ours = sut.srtp_keys(Role.RESPONDER, 1), ref.srtp_keys(1)
    evidence.srtp_keys(1, ours, theirs)
    same = theirs == ours  # not in the assert: the keys stay out of the report
    assert same, "SRTP keys differ from the reference's: the SSV is not the TGK (3.1)"


@pytest.mark.requirement("RFC6509-2.2.1-v-bit-zero")
def test_v_bit_is_ignored(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """V = 1 is ignored (2.2.1, 4.1): the message is taken and nothing is sent back."""
    ref = SakkeReferenceInitiator(profile, params())
    data = ref.forge(lambda msg: replace(msg, hdr=replace(msg.hdr, v=True)))
    reply = send_to_responder(sut, ref, data, evidence)
    taken(reply)
    assert reply.message is None, "V must be ignored: no verification message (2.2.1)"


@pytest.mark.requirement(
    "RFC6509-2.1-responder-validates-signature",
    "RFC6509-2.2.2-verify-signature",
    "RFC6507-5.2.2-jx-equals-r",
)
@pytest.mark.parametrize(
    ("where", "at"),
    [
        pytest.param(Sign, 2, id="r"),
        pytest.param(Sign, 2 + 32, id="s"),
        pytest.param(Sign, 2 + 64 + 40, id="pvt"),
        pytest.param(Rand, 5, id="rand"),
        pytest.param(Sakke, H_AT, id="sakke-data"),
    ],
)
def test_rejects_a_signature_that_does_not_verify(
    sut: Sut, profile: Profile, evidence: Evidence, where: type, at: int
) -> None:
    """One flipped bit in the signature (r, s, PVT) or in a signed byte (RAND, SAKKE data)
    after signing: the ECCSI signature fails (RFC 6507 5.2.2)."""
    ref = SakkeReferenceInitiator(profile, params())
    reply = send_to_responder(sut, ref, ref.tamper(where, at), evidence)
    expect_rejection(reply, evidence, ref.csb_id, AUTH)


@pytest.mark.requirement(
    "RFC6509-2.1-responder-validates-signature",
    "RFC6509-2.2.2-verify-signature",
    "RFC6507-5.2.2-pvt-on-curve",
)
@pytest.mark.parametrize("how", ["truncated", "pvt-off-curve", "another-signer"])
def test_rejects_a_forged_signature(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """A signature one octet short, one whose PVT is not on P-256, and one made with
    another user's key (a valid ECCSI signature, but not the initiator's)."""
    ref = SakkeReferenceInitiator(profile, params())
    if how == "another-signer":
        data = ref.forge(lambda msg: msg, signer=ref.identifier_of(OTHER_URI))
    else:
        signed = ref.i_message()
        msg = strict_decode(signed, "the reference I_MESSAGE")
        sign = msg.payloads[-1]
        assert isinstance(sign, Sign)
        sig = sign.signature
        if how == "truncated":
            forged = sig[:-1]
        else:  # the PVT's y plus one: no longer on the curve (RFC 6507 5.2.2 step 1)
            y = (int.from_bytes(sig[-eccsi.N :], "big") + 1) % eccsi.P256.p
            forged = sig[: -eccsi.N] + y.to_bytes(eccsi.N, "big")
        data = encode_message(with_signature(msg, forged))
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, AUTH)


@pytest.mark.requirement("RFC6509-3.2-identifier-month")
def test_rejects_an_identifier_of_another_month(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Signed under the initiator's Identifier of the previous month while T says this
    month: the Identifiers must carry the month of T (3.2)."""
    ref = SakkeReferenceInitiator(profile, params())
    signer = ref.identifier_of(ref.settings.uri_i, previous_period(ref.now()))
    reply = send_to_responder(sut, ref, ref.forge(lambda msg: msg, signer=signer), evidence)
    expect_rejection(reply, evidence, ref.csb_id, AUTH)


def _other_idr(role: IdRole) -> MessageMutation:
    """IDR of `role` names a third user."""

    def mutate(p: Payload) -> Payload:
        assert isinstance(p, Idr)
        return replace(p, data=OTHER_URI) if p.id_role == role else p

    return replacing(Idr, mutate)


@pytest.mark.requirement("RFC6509-2.2.1-idri-uri")
def test_rejects_an_idri_that_is_not_the_signer(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """IDRi names a third user while the initiator signed: the signature is checked
    against IDRi's Identifier and fails (2.2.1)."""
    ref = SakkeReferenceInitiator(profile, params())
    reply = send_to_responder(sut, ref, ref.forge(_other_idr(IdRole.IDRI)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC6509-2.2.1-idrr-uri")
def test_rejects_an_idrr_naming_another_responder(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """IDRr names a third user: the I_MESSAGE is not for this responder (2.2.1)."""
    ref = SakkeReferenceInitiator(profile, params())
    reply = send_to_responder(sut, ref, ref.forge(_other_idr(IdRole.IDRR)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC6509-2.2.1-idr-kms-roles")
def test_rejects_an_idrkmsi_naming_another_kms(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """IDRkmsi names a KMS that is not the root of trust of the signature (2.2.1)."""
    ref = SakkeReferenceInitiator(profile, params())

    def add(msg: Message) -> Message:
        kms = Idr(IdRole.IDRKMSI, IdType.URI, b"kms.elsewhere.test")
        return replace(msg, payloads=(*msg.payloads[:2], kms, *msg.payloads[2:]))

    reply = send_to_responder(sut, ref, ref.forge(add), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC6508-6.2.2-test-point")
@pytest.mark.parametrize("how", ["for-another-identity", "altered-hint"])
def test_rejects_sakke_data_whose_test_point_differs(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """SAKKE data encapsulated for another Identifier (IDRr still names the responder), or
    with one bit of H flipped, then signed: TEST != R_(b,S), the SSV must not be used."""
    ref = SakkeReferenceInitiator(profile, params())

    def mutate(msg: Message) -> Message:
        old = msg.first(Sakke)
        assert old is not None and ref.peer.ssv is not None
        if how == "for-another-identity":
            period = key_period_of_ntp(timestamp_of(msg).value, ref.now())
            new = ref.peer.sakke_payload(ref.peer.ssv, ref.identifier_of(OTHER_URI, period))
        else:
            data = bytearray(old.data)
            data[-1] ^= 0x01
            new = replace(old, data=bytes(data))
        return replacing(Sakke, lambda p: new)(msg)

    reply = send_to_responder(sut, ref, ref.forge(mutate), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC6509-4.2-sakke-data-format")
@pytest.mark.parametrize("how", ["extra-octet", "short-octet", "point-off-curve", "compressed"])
def test_rejects_malformed_sakke_data(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """SAKKE data that is not Encapsulated Data as RFC 6508 4 formats it (273 octets, R
    uncompressed and on E), signed: a trailing octet, a missing one, R's y plus one, and
    R in compressed form (0x02 || x)."""
    ref = SakkeReferenceInitiator(profile, params())

    def reformat(p: Payload) -> Payload:
        assert isinstance(p, Sakke)
        data = p.data
        forged = {
            "extra-octet": data + b"\x00",
            "short-octet": data[:-1],
            "point-off-curve": data[:256] + bytes([data[256] ^ 0x01]) + data[257:],
            "compressed": b"\x02" + data[1:129] + data[257:],
        }[how]
        return replace(p, data=forged)

    reply = send_to_responder(sut, ref, ref.forge(replacing(Sakke, reformat)), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC6509-2.2.1-ts-type-ntp")
def test_rejects_a_counter_timestamp(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """T of type COUNTER names no month: the Identifiers cannot be formed (2.2.1, 3.2)."""
    ref = SakkeReferenceInitiator(profile, params())
    counter = replacing(Timestamp, lambda p: Timestamp(TsType.COUNTER, 0x01020304))
    signer = ref.identifier_of(ref.settings.uri_i)
    reply = send_to_responder(sut, ref, ref.forge(counter, signer=signer), evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement(
    "RFC6509-2.2.1-hdr-and-timestamp",
    "RFC6509-2.2.1-rand",
    "RFC6509-2.2.1-sakke-payload",
    "RFC6509-2.2.1-signed",
)
@pytest.mark.parametrize("kind", [Timestamp, Rand, Sakke, Sign], ids=["T", "RAND", "SAKKE", "SIGN"])
def test_rejects_an_i_message_without_a_payload(
    sut: Sut, profile: Profile, evidence: Evidence, kind: type
) -> None:
    """T, RAND, SAKKE and SIGN are mandatory (2.1, 2.2.1); the rest is signed as usual."""
    ref = SakkeReferenceInitiator(profile, params())
    drop = replacing(kind, lambda p: None)
    signer = ref.identifier_of(ref.settings.uri_i)
    if kind is Sign:
        data = encode_message(drop(ref.peer.compose()))
    else:
        data = ref.forge(drop, signer=signer)
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, None, None)
