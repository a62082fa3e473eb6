"""RSA-R group mode (RFC 4738 3.2, 3.4-3.6): a key distributor hands every member one CSB.

    I_MESSAGE = HDR, T, [RAND], [IDi|CERTi], [IDr], SIGNi
    R_MESSAGE = HDR, GenExt(CSB_ID), T, RAND, [IDr|CERTr], SP, KEMAC, PKE, SIGNr

The group's CSB ID (GenExt(CSB_ID)) and the responder's RAND key everything;
the member's RAND and its HDR's CSB ID do not. Tests apply to a SUT that
declares `rsar_group` (suts/base.py Capabilities).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.checks import check_srtp_keys, not_applicable, strict_decode
from conformance.evidence import Evidence
from conformance.reference import initiate
from conformance.reference_rsar import RSA_R, RsaRReferenceInitiator, RsaRReferenceResponder
from conformance.vehicle import reference_took, t_not_refused, vehicle
from mikey.modes.csb import Csb
from mikey.modes.rsar_common import new_csb_id
from mikey.wire import Message, Rand, SecurityPolicy
from suts.base import Profile, Role, Sut

pytestmark = pytest.mark.mode("RSA-R")

GROUP = replace(RSA_R, rsar_group=True)


def in_group_mode(sut: Sut) -> Sut:
    if not sut.capabilities().rsar_group:
        not_applicable("the SUT does not play RSA-R group mode (rsar_group)")
    return sut


def joined(
    sut: Sut, profile: Profile, evidence: Evidence
) -> tuple[RsaRReferenceInitiator, Message]:
    """A reference member (with RAND) asks the SUT for the group's keys; its R_MESSAGE."""
    ref = RsaRReferenceInitiator(profile, GROUP)
    reply = in_group_mode(sut).respond(
        evidence.to_sut("I_MESSAGE (member)", ref.i_message()), GROUP
    )
    evidence.from_sut("R_MESSAGE", reply.message)
    with vehicle():  # T is current: refused for it, the window rule's (RFC 3830 5.4)
        t_not_refused(reply)
    assert reply.message is not None, "no R_MESSAGE to a group member (3.5)"
    msg = strict_decode(reply.message, "the R_MESSAGE")
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the reference member rejects the R_MESSAGE: {outcome.reason}"
    return ref, msg


def group_csb(ref: RsaRReferenceInitiator) -> Csb:
    csb = ref.peer.csb
    assert isinstance(csb, Csb)
    return csb


@pytest.mark.role("responder")
@pytest.mark.requirement(
    "RFC4738-3.4-group-responder-rand",
    "RFC4738-3.4-group-rand-not-used",
    "RFC4738-3.5-multicast-ignore-i-rand",
    "RFC4738-3.5-multicast-rand",
    "RFC4738-3.6-group-csb-id-ext",
    "RFC4738-3.6-group-new-csb-id",
    "RFC4738-3.6-group-cs-map",
)
def test_group_r_message_carries_the_group_csb_id_and_rand(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """GenExt(CSB_ID) with a new CSB ID, the responder's own RAND (not the member's), an
    SP and the CS ID map; the TGK opens under keys from these (3.4-3.6)."""
    ref, msg = joined(sut, profile, evidence)
    assert ref.message is not None
    try:
        group_id = new_csb_id(msg)
    except ValueError as exc:
        raise AssertionError(str(exc)) from None
    assert group_id is not None, "no GenExt(CSB_ID) in the group R_MESSAGE (3.6)"
    assert msg.hdr.csb_id == ref.csb_id, "the HDR's CSB ID is not the I_MESSAGE's (3.6)"
    assert group_id != ref.csb_id, "GenExt(CSB_ID) repeats the member's CSB ID, not a new one"
    rand, member_rand = msg.first(Rand), ref.message.first(Rand)
    assert rand is not None, "no RAND in the group R_MESSAGE (3.4, 3.5)"
    assert member_rand is not None and rand != member_rand, "the member's RAND keys the group"
    assert msg.hdr.n_cs > 0, "the responder did not populate the CS ID map (3.6)"
    assert msg.first(SecurityPolicy) is not None, "no SP in the group R_MESSAGE (3.2)"
    if sut.capabilities().exports_keys:
        csb = group_csb(ref)
        check_srtp_keys(sut, Role.RESPONDER, csb.srtp_keys, csb.cs_ids(), evidence)


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC4738-3.6-group-same-csb")
def test_group_members_get_the_same_csb(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """Two members, two exchanges: one CSB ID, CS ID map, RAND and TGK for both (3.6)."""
    first, _ = joined(sut, profile, evidence)
    second, _ = joined(sut, profile, evidence)
    a, b = group_csb(first), group_csb(second)
    assert (a.csb_id, a.cs_map, a.cs_count) == (b.csb_id, b.cs_map, b.cs_count), (
        "the members got other CSB IDs or CS ID maps (3.6)"
    )
    assert a.rand == b.rand and a.key_data == b.key_data, "the members got other keys (3.6)"


@pytest.mark.role("initiator")
@pytest.mark.requirement("RFC4738-3.4-group-rand-not-used", "RFC4738-3.6-group-new-csb-id")
def test_group_member_takes_the_group_keys(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The SUT asks for a group's keys: the R_MESSAGE's GenExt(CSB_ID) and RAND key the
    TGK and the SRTP keys, its own RAND and CSB ID do not (3.4, 3.6)."""
    i_message = initiate(in_group_mode(sut), GROUP, evidence)
    ref = RsaRReferenceResponder(profile, GROUP)
    reply = ref.take(i_message)
    with vehicle():  # refused for its T: the clock rule's (RFC 3830 5.4)
        reference_took(reply.outcome, "the I_MESSAGE")
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (group)", reply.message))
    assert outcome.accepted, f"the SUT rejects the group's R_MESSAGE: {outcome.detail}"
    csb = ref.peer.group
    if sut.capabilities().exports_keys and csb is not None:
        check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)
