"""The T and the CS ID map of the Responder's answer, in every mode whose Responder answers.

RFC 3830 5.2: "The Responder does not create a new timestamp, but uses the timestamp
used by the Initiator"; 3.3 says it of the DH R_MESSAGE, RFC 4738 3.6 of the RSA-R one
("The T payload is exactly the same as that received in the I_MESSAGE"), and RFC 4650 3
builds the DH-HMAC R_message as RFC 3830 3.3's. RFC 3830 6.1.1: "SSRCs that are not
chosen by the Initiator are set to zero and the Responder fills in these fields in the
response message" (RFC 4738 3.6 likewise). MIKEY-SAKKE has no answer (RFC 6509 2.1).

conformance/rfc3830/test_answers_responder.py holds the tests, one body per check
parametrized over ECHOING_RESPONDERS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from conformance.checks import strict_decode
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.reference import ReferenceInitiator, exchange_params, sut_responds
from conformance.reference_pk import PkReferenceInitiator
from conformance.reference_rsar import RSA_R, RsaRReferenceInitiator
from mikey.wire import SrtpIdEntry, Timestamp, decode_message
from suts.base import Profile, Sut

RFC3830_5_2 = ("RFC3830-5.2-responder-timestamp",)
ECHOING_RESPONDERS: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "PSK": (
        lambda p, s, **c: ReferenceInitiator(p, exchange_params(**c)),
        RFC3830_5_2,
    ),
    "PK": (
        lambda p, s, **c: PkReferenceInitiator(p, exchange_params(mode="PK", **c), responder=s),
        RFC3830_5_2,
    ),
    "DH": (lambda p, s, **c: DH_METHOD.reference(p, **c), ("RFC3830-3.3-responder-timestamp",)),
    "DH-HMAC": (
        lambda p, s, **c: DH_HMAC.reference(p, **c),
        ("RFC3830-3.3-responder-timestamp",),
    ),
    "RSA-R": (
        lambda p, s, **c: RsaRReferenceInitiator(p, replace(RSA_R, **c)),
        ("RFC4738-3.6-t-same",),
    ),
}
"""Every mode whose Responder answers: its reference initiator facing the SUT (profile,
SUT, exchange parameter changes), and the requirement IDs the T check cites there."""
ZERO_FILL = ("RFC3830-6.1.1-ssrc-zero-fill",)


def cases(ids: tuple[str, ...] | None = None) -> list[Any]:
    """Test parameters, one per mode, marked with the mode and `ids` (default: the mode's
    own of the T check)."""
    return [
        pytest.param(
            mode, id=mode, marks=[pytest.mark.mode(mode), pytest.mark.requirement(*(ids or own))]
        )
        for mode, (_, own) in ECHOING_RESPONDERS.items()
    ]


def answer_carries_the_initiator_timestamp(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The answer to a valid I_MESSAGE (V=1) carries that I_MESSAGE's T, not one of the
    Responder's own (5.2)."""
    ref = ECHOING_RESPONDERS[mode][0](profile, sut)
    message = ref.i_message()
    sent = decode_message(message).first(Timestamp)
    reply = sut_responds(sut, ref, evidence, message, answer=True)
    assert reply.message is not None
    t = strict_decode(reply.message, "the answer").first(Timestamp)
    assert t is not None, "the answer has no T payload"
    assert sent is not None and t == sent, f"the answer's T {t} is not the I_MESSAGE's {sent}"


def answer_fills_in_the_zero_ssrcs(
    mode: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Of an I_MESSAGE's two SRTP-ID entries, the first with SSRC 0 and the second with
    one the initiator chose, the answer fills in the first and keeps the second (6.1.1)."""
    cs_map = (SrtpIdEntry(0, 0, 0), SrtpIdEntry(0, 0x5EED5EED, 0))
    ref = ECHOING_RESPONDERS[mode][0](profile, sut, cs_map=cs_map)
    reply = sut_responds(sut, ref, evidence, answer=True)
    assert reply.message is not None
    answer = strict_decode(reply.message, "the answer").hdr.cs_map
    assert len(answer) == len(cs_map), f"{len(answer)} SRTP-ID entries, not {len(cs_map)}"
    assert answer[0].ssrc != 0, "the responder did not fill in the SSRC the initiator left zero"
    assert answer[1].ssrc == cs_map[1].ssrc, "the responder changed an SSRC the initiator chose"
