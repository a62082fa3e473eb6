"""The T of the Responder's answer, in every mode whose Responder answers.

RFC 3830 5.2: "The Responder does not create a new timestamp, but uses the timestamp
used by the Initiator"; 3.3 says it of the DH R_MESSAGE, RFC 4738 3.6 of the RSA-R one
("The T payload is exactly the same as that received in the I_MESSAGE"), and RFC 4650 3
builds the DH-HMAC R_message as RFC 3830 3.3's. MIKEY-SAKKE has no answer (RFC 6509 2.1).

conformance/rfc3830/test_answers_responder.py holds the test, one body parametrized over
ECHOING_RESPONDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.checks import strict_decode
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.reference import ReferenceInitiator, exchange_params, send_to_responder
from conformance.reference_pk import PkReferenceInitiator
from conformance.reference_rsar import RsaRReferenceInitiator
from mikey.wire import Timestamp, decode_message
from suts.base import Profile, Sut

RFC3830_5_2 = ("RFC3830-5.2-responder-timestamp",)
ECHOING_RESPONDERS: dict[str, tuple[Callable[[Profile, Sut], Any], tuple[str, ...]]] = {
    "PSK": (lambda p, s: ReferenceInitiator(p, exchange_params()), RFC3830_5_2),
    "PK": (lambda p, s: PkReferenceInitiator(p, responder=s), RFC3830_5_2),
    "DH": (lambda p, s: DH_METHOD.reference(p), ("RFC3830-3.3-responder-timestamp",)),
    "DH-HMAC": (lambda p, s: DH_HMAC.reference(p), ("RFC3830-3.3-responder-timestamp",)),
    "RSA-R": (lambda p, s: RsaRReferenceInitiator(p), ("RFC4738-3.6-t-same",)),
}
"""Every mode whose Responder answers: its reference initiator facing the SUT, and the
requirement IDs the check cites there."""


def cases() -> list[Any]:
    """Test parameters, one per mode, marked with the mode and its requirement IDs."""
    return [
        pytest.param(mode, id=mode, marks=[pytest.mark.mode(mode), pytest.mark.requirement(*ids)])
        for mode, (_, ids) in ECHOING_RESPONDERS.items()
    ]


def answer_carries_the_initiator_timestamp(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer to a valid I_MESSAGE (V=1) carries that I_MESSAGE's T, not one of the
    Responder's own (5.2)."""
    ref = ECHOING_RESPONDERS[mode][0](profile, sut)
    message = ref.i_message()
    sent = decode_message(message).first(Timestamp)
    reply = send_to_responder(sut, ref, message, evidence)
    assert reply.message is not None, f"no answer to a valid I_MESSAGE with V=1: {reply.detail}"
    t = strict_decode(reply.message, "the answer").first(Timestamp)
    assert t is not None, "the answer has no T payload"
    assert sent is not None and t == sent, f"the answer's T {t} is not the I_MESSAGE's {sent}"
