"""Security policies the SUT responder does not support, in every mode.

RFC 3830 5.1.2, 5.3, 6.10 and 6.10.1 (Table 6.12: Invalid SP, Invalid SPpar), kept by
RFC 4650, RFC 4738 3.4 and RFC 6509. One body parametrized over the modes and faults
(conformance.policy_checks.POLICY_MODES).
"""

from __future__ import annotations

import pytest

from conformance import policy_checks as checks
from conformance.evidence import Evidence
from conformance.policy_checks import cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("mode", "fault"), cases())
def test_rejects_a_security_policy_it_does_not_support(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str, fault: str
) -> None:
    """An I_MESSAGE proposing SP parameters the responder does not support is not taken:
    no answer, no CSB, and an Error message, if sent, says Invalid SPpar (10), or Invalid
    SP (9) for an unknown Prot type (5.3, 6.10.1, Table 6.12)."""
    checks.rejects_an_unsupported_policy(mode, fault, sut, profile, evidence)
