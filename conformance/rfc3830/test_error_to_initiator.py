"""An Error message answering the SUT's I_MESSAGE, the SUT as initiator, in every mode
with an answer to it (RFC3830-5.1.2-initiator-takes-error: PSK, PK, DH).

RFC 3830 5.1.2: "The Initiator SHOULD therefore always be prepared to receive such a
message from the Responder", formed as HDR, T, {ERR}, {SP}, [V|SIGNr]. Unauthenticated,
it is not a verification message or R_MESSAGE: the SUT takes it without a crash and
establishes nothing. The case here has no ERR payload ({ERR}: zero or more; found by
mutation testing, docs/mutation.md: an initiator that crashed on it). An Error message
with ERR payloads is not sent here: it makes gst-rtsp-server's main loop spin for good
(tests/rtsp measures that apart), which would take a whole run against it down.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.evidence import Evidence
from conformance.reference import exchange_params, initiate
from conformance.reference_pk import pk_params
from mikey.modes.error_message import error_header, error_message
from mikey.wire import ErrorNo, Timestamp, decode_message
from suts.base import ExchangeParams, Profile, Sut

pytestmark = [
    pytest.mark.role("initiator"),
    pytest.mark.requirement("RFC3830-5.1.2-initiator-takes-error"),
]

MODES = {"PSK": exchange_params(), "PK": pk_params(), "DH": exchange_params(mode="DH")}
ERRORS = {"no-err": ()}


def cases() -> list[Any]:
    return [
        pytest.param(params, errors, id=f"{mode}-{name}", marks=pytest.mark.mode(mode))
        for mode, params in MODES.items()
        for name, errors in ERRORS.items()
    ]


@pytest.mark.parametrize(("params", "errors"), cases())
def test_an_error_message_is_taken_as_a_refusal(
    sut: Sut,
    profile: Profile,
    evidence: Evidence,
    params: ExchangeParams,
    errors: tuple[ErrorNo, ...],
) -> None:
    """An unauthenticated Error message with the I_MESSAGE's CSB ID and T: handled, no
    CSB established (5.1.2)."""
    sent = decode_message(initiate(sut, params, evidence))
    t = sent.first(Timestamp)
    assert t is not None, "the SUT's I_MESSAGE has no T"
    answer = error_message(error_header(sent.hdr, None), t, errors)
    outcome = sut.complete(evidence.to_sut("Error message", answer))
    assert not outcome.accepted, "the SUT took an Error message as the answer to its I_MESSAGE"
