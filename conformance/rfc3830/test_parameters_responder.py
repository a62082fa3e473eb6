"""Unsupported parameters and their Table 6.12 numbers, the SUT as responder, in every
mode whose Responder answers with Error messages.

RFC 3830 5.1.2, 6.1, 6.2 and 6.12, kept by RFC 4650 4.1 and RFC 4738 3.1. One body
parametrized over the modes and faults (conformance.parameter_checks.PARAMETER_MODES).
"""

from __future__ import annotations

import pytest

from conformance import parameter_checks as checks
from conformance.evidence import Evidence
from conformance.parameter_checks import ParameterMode, cases
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("mode", "fault"), cases())
def test_an_unsupported_parameter_gets_the_matching_error(
    sut: Sut, profile: Profile, evidence: Evidence, mode: ParameterMode, fault: str
) -> None:
    """A correctly MACed or signed message with an unsupported data type, PRF or Encr alg
    is rejected; an Error message, if sent, names the matching number of Table 6.12."""
    checks.unsupported_parameter_gets_its_error(mode, fault, sut, profile, evidence)
