"""The checks the DH method (RFC 3830 3.3) and DH-HMAC (RFC 4650) share, written once.

Each takes the mode (conformance.dh_exchange.DH_METHOD or DH_HMAC) and is the body of
one test in conformance/rfc3830/test_dh_*.py and conformance/rfc4650/test_dhhmac_*.py,
where the tests keep their own requirement markers: the rule is the same in both RFCs,
its catalog entry is each RFC's own (RFC 4650 1.1 and 3 take the DH values, the group
choice, the TGK and the updates over from RFC 3830 3.3 and 4.5).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.checks import check_srtp_keys, expect_rejection, strict_decode
from conformance.dh_exchange import DhFamily
from conformance.evidence import Evidence
from conformance.key_checks import keys_if_exported
from conformance.reference import send_to_responder
from conformance.reference_dh import out_of_range, replace_dh
from conformance.vehicle import UPDATES, reference_took, vehicle
from mikey.crypto.dh import DhKeyPair
from mikey.wire import Dh, DhGroup, ErrorNo, Id, IdType, Message
from suts.base import Profile, Role, Sut

Family = DhFamily[Any, Any]

INVALID_DH = frozenset({ErrorNo.INVALID_DH, ErrorNo.UNSPECIFIED})
"""What a responder may answer a DHi outside its group with (RFC 3830 Table 6.12)."""
FRESH = 3
"""How many exchanges show that a party draws its DH secret anew."""

# -- the SUT as initiator ----------------------------------------------------------------


def i_message_in_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> Message:
    """The SUT's I_MESSAGE in `group` carries a DHi of that group and is taken by the
    reference responder; returned for the mode's own payload checks."""
    data, msg = dh.i_message(sut, evidence, dh_group=group)
    dhi = msg.first(Dh)
    assert dhi is not None and dhi.group == group, f"DHi {dhi}, want one in {group.name}"
    reply = dh.responder(profile).take(data)
    with vehicle():  # refused for its T: the clock rule's (5.4), else this test's own
        reference_took(reply.outcome, f"the {dh.i_name}")
    return msg


def every_i_message_has_a_fresh_dhi(dh: Family, sut: Sut, evidence: Evidence) -> None:
    """xi is drawn anew: three I_MESSAGEs give three different DHi."""
    values = []
    for _ in range(FRESH):
        _, msg = dh.i_message(sut, evidence)
        dhi = msg.first(Dh)
        assert dhi is not None, f"{dh.i_name} without DHi"
        values.append(dhi.value)
    assert len(set(values)) == len(values), "the initiator's DH value repeats"


def takes_a_valid_r_message(dh: Family, sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The reference R_MESSAGE is taken, and the SUT's SRTP keys are the reference's."""
    ref = dh.completed(sut, profile, evidence)
    if not sut.capabilities().exports_keys:
        return
    csb = ref.csb
    assert csb is not None
    check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


def rejects_a_flipped_r_message(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, in_dhr: bool, what: str
) -> None:
    """One bit flipped in the R_MESSAGE's last byte (its signature or MAC) or in DHr
    after it was signed or MACed: `what` (the signature, the HMAC) fails."""
    ref, answer = dh.answered(sut, profile, evidence)
    data = bytearray(answer)
    data[answer.index(ref.last_dhr().value) + 5 if in_dhr else -1] ^= 0x01
    outcome = sut.complete(evidence.to_sut(f"{dh.r_name} (forged)", bytes(data)))
    assert not outcome.accepted, f"the SUT accepted an {dh.r_name} whose {what} fails"


def rejects_a_dhr_outside_the_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """An R_MESSAGE, signed or MACed anew, whose DHr is `value` of OUT_OF_RANGE."""
    ref, answer = dh.answered(sut, profile, evidence)
    bad = out_of_range(DhGroup.OAKLEY_5, value)
    forged = ref.forged(answer, replace_dh(0, lambda d: replace(d, value=bad)))
    outcome = sut.complete(evidence.to_sut(f"{dh.r_name} (forged)", forged))
    assert not outcome.accepted, f"the SUT accepted DHr = {value}"


def rejects_a_dhr_of_another_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An R_MESSAGE, signed or MACed anew, whose DHr is a valid OAKLEY 2 value answering
    an OAKLEY 5 DHi: the group is the initiator's to choose."""
    ref, answer = dh.answered(sut, profile, evidence)
    other = DhKeyPair.generate(DhGroup.OAKLEY_2, ref.peer.env.random)
    forged = ref.forged(answer, replace_dh(0, lambda d: Dh(other.group, other.public_value)))
    outcome = sut.complete(evidence.to_sut(f"{dh.r_name} (other group)", forged))
    assert not outcome.accepted, "the SUT accepted a DHr of another group than its DHi"


def rejects_an_r_message_that_does_not_echo_dhi(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """R_MESSAGE = ..., DHr, DHi, SIGNr or KEMAC: an answer, signed or MACed anew, whose
    DHi is not the SUT's (here: DHr twice) answers no I_MESSAGE of the SUT's."""
    ref, answer = dh.answered(sut, profile, evidence)
    dhr = ref.last_dhr()
    forged = ref.forged(answer, replace_dh(1, lambda _: dhr))
    outcome = sut.complete(evidence.to_sut(f"{dh.r_name} (forged)", forged))
    assert not outcome.accepted, f"the SUT accepted an {dh.r_name} echoing another DHi"


def rejects_an_r_message_without_its_idi(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """IDi is always in the R_MESSAGE (RFC 3830 3.3, RFC 4650 3): an answer, signed or
    MACed anew, that leaves it out ("left-out") or names another initiator ("another")."""
    ref, answer = dh.answered(sut, profile, evidence)
    stranger = Id(IdType.URI, b"sip:mallory@mikey.test")

    def change(msg: Message) -> Message:
        ids = [i for i, p in enumerate(msg.payloads) if isinstance(p, Id)]
        at = ids[-1]  # [IDr], IDi: IDi is the last ID payload
        new = () if how == "left-out" else (stranger,)
        return replace(msg, payloads=(*msg.payloads[:at], *new, *msg.payloads[at + 1 :]))

    forged = ref.forged(answer, change)
    outcome = sut.complete(evidence.to_sut(f"{dh.r_name} (forged)", forged))
    assert not outcome.accepted, f"the SUT accepted an {dh.r_name} whose IDi is {how}"


def rejects_an_update_answer_with_a_dhr_outside_the_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """After an exchange, the answer to the SUT's re-keying update, signed or MACed anew,
    whose DHr is `value` of OUT_OF_RANGE is refused as an initial answer's would be (RFC
    3830 3.3, 4.5; RFC 4650 1.1, 3.1). Not applicable if the SUT does not implement
    updates."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = dh.completed(sut, profile, evidence)
    with vehicle(UPDATES[dh.mode]):  # the SUT's update, taken and answered
        reply = ref.take(evidence.from_sut("update", sut.update()) or b"")
        reference_took(reply.outcome, "the SUT's update")
        assert reply.message is not None, f"no answer to the update: {reply.outcome.reason}"
    bad = out_of_range(DhGroup.OAKLEY_5, value)
    forged = ref.forged(reply.message, replace_dh(0, lambda d: replace(d, value=bad)))
    outcome = sut.complete(evidence.to_sut(f"answer to the update (DHr = {value})", forged))
    assert not outcome.accepted, f"the SUT took an answer to its update with DHr = {value}"


def rekeying_update(dh: Family, sut: Sut, profile: Profile, evidence: Evidence) -> Message:
    """After an exchange, the SUT's re-keying update carries a fresh DHi and is taken by
    the reference responder; returned for the mode's own checks. Not applicable if the
    SUT does not implement updates."""
    if not sut.capabilities().updates:
        pytest.skip("not-applicable: the SUT does not implement CSB updates")
    ref = dh.completed(sut, profile, evidence)
    first = ref.peer.last_message.first(Dh) if ref.peer.last_message else None
    data = evidence.from_sut("update", sut.update()) or b""
    update = strict_decode(data, "the update")
    dhi = update.first(Dh)
    assert first is not None and dhi is not None, "no DHi in the update"
    assert dhi.value != first.value, "the update's DHi is the initial exchange's"
    reply = ref.take(data)
    assert reply.outcome.accepted, f"the reference rejects the update: {reply.outcome.reason}"
    answer = evidence.to_sut("R_MESSAGE", reply.message) if reply.message else None
    outcome = sut.complete(answer)
    assert outcome.accepted, f"the SUT rejects the answer to its update: {outcome.detail}"
    keys_if_exported(sut, Role.INITIATOR, ref.csb, "the re-keying update", evidence)
    return update


# -- the SUT as responder ----------------------------------------------------------------


def answers_in_the_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> Message:
    """The SUT answers an I_MESSAGE in `group` with DHr, DHi of that group, in an
    R_MESSAGE the reference initiator takes; returned for the mode's own checks."""
    ref = dh.reference(profile, dh_group=group)
    answer, msg = dh.r_message(sut, ref, ref.i_message(), evidence)
    found = msg.all(Dh)
    assert [d.group for d in found] == [group, group], (
        f"DH payloads {found}: want DHr, DHi in {group}"
    )
    outcome = ref.take_response(answer)
    assert outcome.accepted, f"the reference initiator rejects the {dh.r_name}: {outcome.reason}"
    return msg


def every_exchange_gets_a_fresh_dhr(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """xr is drawn anew: three exchanges give three different DHr."""
    values = []
    for _ in range(FRESH):
        ref = dh.reference(profile)
        _, msg = dh.r_message(sut, ref, ref.i_message(), evidence)
        values.append(msg.all(Dh)[0].value)
    assert len(set(values)) == len(values), "the responder's DH value repeats"


def rejects_a_dhi_outside_the_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """An I_MESSAGE, signed or MACed anew, whose DHi is `value` of OUT_OF_RANGE."""
    ref = dh.reference(profile)
    bad = out_of_range(ref.settings.group, value)
    data = ref.forge(replace_dh(0, lambda d: replace(d, value=bad)))
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, INVALID_DH)


def rejects_an_update_with_a_dhi_outside_the_group(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """After an exchange the SUT took, a re-keying update, signed or MACed anew, whose DHi
    is `value` of OUT_OF_RANGE is refused as an initial message's would be (RFC 3830
    3.3, 4.5; RFC 4650 1.1, 3.1)."""
    ref, _ = dh.established(sut, profile, evidence)
    bad = out_of_range(ref.settings.group, value)
    update = ref.peer.compose_update(new_keys=True)
    data = ref.peer.seal(replace_dh(0, lambda d: replace(d, value=bad))(update))
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, INVALID_DH)


def an_update_with_dhi_gets_a_fresh_dhr(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update with a new DHi is answered with a new DHr and that DHi."""
    ref, first_answer = dh.established(sut, profile, evidence)
    first = first_answer.all(Dh)[0]
    answer, msg = dh.r_message(sut, ref, ref.update(new_keys=True), evidence)
    found = msg.all(Dh)
    assert len(found) == 2, f"the answer to a re-keying update has {len(found)} DH payloads"
    assert found[1] == ref.dhi(), "the second DH payload is not the update's DHi"
    assert found[0].value != first.value, "the update's DHr is the initial exchange's"
    outcome = ref.take_response(answer)
    assert outcome.accepted, f"the reference rejects the update's answer: {outcome.reason}"
    keys_if_exported(sut, Role.RESPONDER, ref.peer.csb, "the re-keying update", evidence)


def an_update_without_dhi_gets_no_dh(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An update without DHi is answered without DHr and DHi."""
    ref, _ = dh.established(sut, profile, evidence)
    answer, msg = dh.r_message(sut, ref, ref.update(new_keys=False), evidence)
    assert not msg.all(Dh), "DH payloads in the answer to an update without DHi"
    outcome = ref.take_response(answer)
    assert outcome.accepted, f"the reference rejects the update's answer: {outcome.reason}"
    step = "the update without DHi"
    keys_if_exported(sut, Role.RESPONDER, ref.peer.csb, step, evidence)


def derived_srtp_keys_match_the_reference(
    dh: Family, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's SRTP master keys and salts equal the reference initiator's: both hold
    g^(xi*xr) as TGK and derive by RFC 3830 4.1.3. Not applicable if the SUT cannot
    export them."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    ref, _ = dh.exchanged(sut, profile, evidence)
    check_srtp_keys(sut, Role.RESPONDER, ref.srtp_keys, ref.cs_ids, evidence)
