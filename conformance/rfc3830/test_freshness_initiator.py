"""What every I_MESSAGE makes anew, the SUT as initiator, in every mode.

RFC 3830 5.2 (a unique T), 6.1 (a unique CSB ID), 6.11 (a fresh RAND of at least 128
bits), kept by RFC 4650, RFC 4738 and RFC 6509. One body per check, parametrized over
the modes (conformance.freshness_checks.FRESH_MODES).
"""

from __future__ import annotations

import pytest

from conformance import freshness_checks as checks
from conformance.evidence import Evidence
from conformance.freshness_checks import cases
from suts.base import Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize("mode", cases("timestamp"))
def test_every_i_message_has_a_unique_timestamp(sut: Sut, evidence: Evidence, mode: str) -> None:
    """All messages from the initiator MUST use a unique timestamp (5.2)."""
    checks.every_i_message_has_a_unique_timestamp(mode, sut, evidence)


@pytest.mark.parametrize("mode", cases("csb-id"))
def test_every_csb_has_a_distinct_csb_id(sut: Sut, evidence: Evidence, mode: str) -> None:
    """The CSB ID MUST be unique between each initiator-responder pair (6.1)."""
    checks.every_csb_has_a_distinct_csb_id(mode, sut, evidence)


@pytest.mark.parametrize("mode", cases("rand"))
def test_every_csb_has_a_fresh_rand(sut: Sut, evidence: Evidence, mode: str) -> None:
    """The RAND MUST be independently generated per CSB (6.11)."""
    checks.every_csb_has_a_fresh_rand(mode, sut, evidence)


@pytest.mark.parametrize("mode", cases("rand-length"))
def test_rand_is_at_least_128_bits(sut: Sut, evidence: Evidence, mode: str) -> None:
    """RAND len SHOULD be at least 16 (6.11; 4.1.1 assumes at least 128 bits)."""
    checks.rand_is_at_least_128_bits(mode, sut, evidence)
