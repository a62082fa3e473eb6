"""COUNTER timestamps in PSK and PK, both roles: T enters the computations as 64 bits.

RFC 3830 Table 6.6 makes COUNTER (TS type 2, a 32-bit value) optional, and its note
says "COUNTER SHALL be padded (with leading zeros) to a 64-bit value when used as
input". In PSK and PK the timestamp is an input twice: the KEMAC's AES-CM IV, "IV = (S
XOR (0x0000 || CSB ID || T)) || 0x0000 ... T is the 64-bit timestamp sent by the
Initiator" (4.2.3), and the verification MAC over "Identity_i || Identity_r ||
Timestamp" (5.2; our reading: T as its 64-bit value, mikey.modes.psk_common). A peer
that pads differently derives another IV, so it decrypts the TGK to garbage, and
computes another V. The exchanges use AES-CM-128 and V=1, so both inputs are used.

The suite's counter has its high bit set (HIGH_COUNTER): a sign-extending peer fills
the upper half with ones, one that shifts the counter into the upper half or uses it
as 32 bits moves it, and only leading zeros give the reference's IV and V. A SUT
initiator picks its own counter. A SUT that does not declare COUNTER among its
`ts_types` is not applicable.
"""

from __future__ import annotations

from typing import TypeVar

import pytest

from conformance.checks import check_srtp_keys, not_applicable, strict_decode
from conformance.evidence import Evidence
from conformance.reference import (
    HarnessError,
    ReferenceInitiator,
    ReferenceResponder,
    exchange_params,
    initiate,
    send_to_responder,
)
from conformance.reference_pk import PkReferenceInitiator, PkReferenceResponder, pk_params
from mikey.wire import EncrAlg, Timestamp, TsType
from suts.base import ExchangeParams, Profile, Role, Sut

pytestmark = pytest.mark.requirement("RFC3830-6.6-counter-padding")

HIGH_COUNTER = 0xF00D_0001
"""The first COUNTER the reference initiator stamps: high bit set (module docstring)."""

Initiator = TypeVar("Initiator", bound=ReferenceInitiator)


def require_counter(sut: Sut) -> None:
    caps = sut.capabilities()
    if TsType.COUNTER not in caps.ts_types:
        not_applicable(f"{caps.name} does not take COUNTER timestamps (optional, Table 6.6)")


def counter_params(mode: str) -> ExchangeParams:
    """An exchange with a COUNTER T, AES-CM-128 key transport and V=1."""
    make = pk_params if mode == "PK" else exchange_params
    return make(ts_type=TsType.COUNTER, encr_alg=EncrAlg.AES_CM_128, v=True)


def high_counter(ref: Initiator) -> Initiator:
    """`ref` with its COUNTER starting at HIGH_COUNTER."""
    ref.peer.env.counter_start = HIGH_COUNTER
    return ref


def sut_responds(sut: Sut, ref: ReferenceInitiator, evidence: Evidence) -> None:
    """The SUT takes the COUNTER-stamped I_MESSAGE, its V verifies, the keys agree."""
    require_counter(sut)
    data = ref.i_message()
    t = ref.timestamp
    if t.ts_type != TsType.COUNTER or not t.value & 0x8000_0000:
        raise HarnessError(f"the reference stamped {t}, not a COUNTER with its high bit set")
    evidence.note(f"COUNTER {t.value:#010x}: T as 64 bits is {t.value:#018x}")
    reply = send_to_responder(sut, ref, data, evidence)
    assert reply.accepted is not False, (
        f"the SUT rejects a valid COUNTER-stamped I_MESSAGE (a KEMAC IV from T padded "
        f"otherwise than with leading zeros opens it to garbage, 4.2.3, 6.6): {reply.detail}"
    )
    assert reply.message is not None, "V=1 but no verification message came back (3.1)"
    strict_decode(reply.message, "the R_MESSAGE")
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, (
        f"the verification message does not verify with T as a 64-bit value with leading "
        f"zeros (5.2, 6.6): {outcome.reason}"
    )
    if sut.capabilities().exports_keys:
        check_srtp_keys(sut, Role.RESPONDER, ref.srtp_keys, ref.cs_ids, evidence)


def sut_initiates(sut: Sut, ref: ReferenceResponder, mode: str, evidence: Evidence) -> None:
    """The SUT's COUNTER-stamped I_MESSAGE opens at the reference, which the reference's
    V then completes; the keys agree."""
    require_counter(sut)
    message = initiate(sut, counter_params(mode), evidence)
    t = strict_decode(message, "the I_MESSAGE").first(Timestamp)
    assert t is not None, "I_MESSAGE without T (3.1, 3.2)"
    assert t.ts_type == TsType.COUNTER, f"asked for a COUNTER T, the SUT stamped {t.ts_type.name}"
    evidence.note(f"the SUT's COUNTER {t.value:#010x}: T as 64 bits is {t.value:#018x}")
    reply = ref.take(message)
    assert reply.outcome.accepted, (
        f"the reference responder, with T padded to 64 bits with leading zeros (4.2.3, 6.6), "
        f"rejects the I_MESSAGE: {reply.outcome.reason}"
    )
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    outcome = sut.complete(evidence.to_sut("R_MESSAGE", reply.message))
    assert outcome.accepted, (
        f"the SUT rejects a verification message computed with T as a 64-bit value with "
        f"leading zeros (5.2, 6.6): {outcome.detail}"
    )
    csb = ref.csb
    if csb is None:
        raise HarnessError("the reference responder took the message but holds no CSB")
    if sut.capabilities().exports_keys:
        check_srtp_keys(sut, Role.INITIATOR, csb.srtp_keys, csb.cs_ids(), evidence)


MODES = [pytest.param(mode, marks=pytest.mark.mode(mode), id=mode) for mode in ("PSK", "PK")]


def reference_initiator(sut: Sut, profile: Profile, mode: str) -> ReferenceInitiator:
    """The reference initiator of `mode` for the responder `sut` (PK: CHASH as it takes
    one, reference_pk.vehicle_chash)."""
    if mode == "PK":
        return PkReferenceInitiator(profile, counter_params(mode), responder=sut)
    return ReferenceInitiator(profile, counter_params(mode))


REFERENCE_RESPONDER: dict[str, type[ReferenceResponder]] = {
    "PSK": ReferenceResponder,
    "PK": PkReferenceResponder,
}


@pytest.mark.role("responder")
@pytest.mark.parametrize("mode", MODES)
def test_responder_pads_the_counter(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """An I_MESSAGE with a high-bit COUNTER T is taken and answered with a V that
    verifies; the SRTP keys are the reference's."""
    ref = high_counter(reference_initiator(sut, profile, mode))
    sut_responds(sut, ref, evidence)


@pytest.mark.role("initiator")
@pytest.mark.parametrize("mode", MODES)
def test_initiator_pads_the_counter(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """A SUT asked for a COUNTER T sends an I_MESSAGE the reference opens, and takes the
    reference's V; the SRTP keys agree."""
    sut_initiates(sut, REFERENCE_RESPONDER[mode](profile), mode, evidence)
