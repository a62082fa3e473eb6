"""RFC 4567 4.2: an answer the key management cannot process fails the SETUP with 463.

The SUT initiates (an RTSP server offers its I_MESSAGE in DESCRIBE); the
suite answers with key management data that is no MIKEY message at all, so
the key management must fail whatever the I_MESSAGE held. Through the SUT
interface that is an answer the initiator does not accept; suts/rtsp.py
reads only 463 Key Management Failure as that (any other error status is a
SutFailure, 2xx is acceptance).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.evidence import Evidence
from conformance.reference import exchange_params, initiate
from suts.base import Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("initiator")]

NOT_MIKEY: dict[str, Callable[[bytes], bytes]] = {
    "text": lambda i_message: b"not a MIKEY message",
    "truncated-header": lambda i_message: i_message[:8],  # a Common Header is 10+ bytes (6.1)
}


@pytest.mark.requirement("RFC4567-4.2-setup-463")
@pytest.mark.parametrize("kind", sorted(NOT_MIKEY))
def test_an_answer_that_is_not_mikey_fails_key_management(
    sut: Sut, evidence: Evidence, kind: str
) -> None:
    """Key management data that does not decode is never taken as the answer (4.2)."""
    i_message = initiate(sut, exchange_params(), evidence)
    outcome = sut.complete(evidence.to_sut(f"answer ({kind})", NOT_MIKEY[kind](i_message)))
    assert not outcome.accepted, (
        f"the SUT took key management data that is not MIKEY: {outcome.detail}"
    )
