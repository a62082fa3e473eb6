"""The verification message's V names the KEMAC's MAC algorithm, the SUT as initiator,
in the modes whose answer is a verification message (PSK, PK).

RFC 3830 5.2: the Responder's V is computed with "the MAC algorithm" the Initiator's
KEMAC names, over the message and the trailer. A V that says NULL (no MAC at all), alone
or after a V of the right algorithm, authenticates nothing: the SUT must refuse it, or
anyone could answer its I_MESSAGE (found by mutation testing, docs/mutation.md: an
initiator that stopped comparing the two algorithms, or compared the first V).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.evidence import Evidence
from conformance.reference import ReferenceResponder, exchange_params, reference_answers
from conformance.reference_pk import PkReferenceResponder, pk_params
from mikey.wire import MacAlg, Verification, decode_message, encode_message
from suts.base import ExchangeParams, Profile, Sut

pytestmark = [
    pytest.mark.role("initiator"),
    pytest.mark.requirement("RFC3830-5.2-verification-mac"),
]

RESPONDERS: dict[str, tuple[Any, ExchangeParams]] = {
    "PSK": (ReferenceResponder, exchange_params()),
    "PK": (PkReferenceResponder, pk_params()),
}
NULL_V = Verification(MacAlg.NULL, b"")


def with_null_v(answer: bytes, keep_v: bool) -> bytes:
    """The verification message with its V replaced by a NULL V (or followed by one)."""
    msg = decode_message(answer)
    *rest, v = msg.payloads
    assert isinstance(v, Verification), "the reference verification message ends without V"
    return encode_message(replace(msg, payloads=(*rest, *((v,) if keep_v else ()), NULL_V)))


@pytest.mark.parametrize(
    ("responder", "params", "keep_v"),
    [
        pytest.param(*RESPONDERS[mode], keep, id=f"{mode}-{name}", marks=pytest.mark.mode(mode))
        for mode in RESPONDERS
        for name, keep in (("null-v", False), ("second-null-v", True))
    ],
)
def test_rejects_a_verification_message_whose_v_is_null(
    sut: Sut, profile: Profile, evidence: Evidence, responder: Any, params: ExchangeParams,
    keep_v: bool,
) -> None:  # fmt: skip
    """The reference's verification message with V replaced by a NULL V, or a NULL V
    after it: not authenticated with the KEMAC's MAC algorithm, refused (5.2)."""
    forged = with_null_v(reference_answers(sut, responder(profile), params, evidence), keep_v)
    outcome = sut.complete(evidence.to_sut("verification message, NULL V", forged))
    assert not outcome.accepted, "the SUT took a verification message whose V is NULL"
