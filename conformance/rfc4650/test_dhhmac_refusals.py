"""DH-HMAC messages the SUT must refuse, the rules of RFC 4650 3 and 4.2 that only
DH-HMAC has: IDr always in the I_message, KEMAC last and without encrypted data (both
directions). The DH family's shared refusal (an initial message without DHi) is in
conformance/rfc3830/test_refusals_responder.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.answer_checks import expect_refused
from conformance.checks import expect_rejection
from conformance.dh_exchange import DH_HMAC
from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from mikey.wire import ErrorNo, Id, Kemac, Message
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("DH-HMAC")]

ENCR_DATA = bytes(16)
"""Encr data a DH-HMAC KEMAC "SHALL" leave empty (RFC 4650 4.2)."""


def with_encr_data(msg: Message) -> Message:
    """`msg` with ENCR_DATA in its KEMAC (Encr alg still NULL)."""
    payloads = tuple(
        replace(p, encr_data=ENCR_DATA) if isinstance(p, Kemac) else p for p in msg.payloads
    )
    return replace(msg, payloads=payloads)


def kemac_first(msg: Message) -> Message:
    """`msg` with its KEMAC moved right after T."""
    kemac = [p for p in msg.payloads if isinstance(p, Kemac)]
    rest = [p for p in msg.payloads if not isinstance(p, Kemac)]
    return replace(msg, payloads=(rest[0], *kemac, *rest[1:]))


def without_ids(msg: Message) -> Message:
    return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Id)))


I_MESSAGE_FAULTS = {
    "without-ids": (without_ids, "RFC4650-3-initiator-includes-idr"),
    "kemac-not-last": (kemac_first, "RFC4650-4.2-kemac-last"),
    "kemac-encr-data": (with_encr_data, "RFC4650-4.2-kemac-no-encrypted-data"),
}
"""I_message faults: the change, and the rule it breaks."""


@pytest.mark.role("responder")
@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(k, marks=pytest.mark.requirement(rule))
        for k, (_, rule) in I_MESSAGE_FAULTS.items()
    ],
)
def test_an_i_message_against_4650_3_or_4_2_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """An I_message without IDi and IDr (IDr "SHALL" be there, 3), with KEMAC not last
    (4.2), or with Encr data in KEMAC (4.2), MACed anew: refused."""
    ref = DH_HMAC.reference(profile)
    mutate, _ = I_MESSAGE_FAULTS[fault]
    reply = send_to_responder(sut, ref, ref.forge(mutate), evidence)
    expect_rejection(
        reply, evidence, ref.csb_id, frozenset({ErrorNo.UNSPECIFIED, ErrorNo.INVALID_EA})
    )


@pytest.mark.role("initiator")
@pytest.mark.requirement("RFC4650-4.2-kemac-no-encrypted-data")
def test_an_r_message_with_encrypted_data_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference's R_message with Encr data in its KEMAC, MACed anew: refused (4.2)."""
    ref, answer = DH_HMAC.answered(sut, profile, evidence)
    expect_refused(
        sut, evidence, "the R_message with Encr data", ref.forged(answer, with_encr_data)
    )
