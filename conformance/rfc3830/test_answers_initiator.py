"""Answers the SUT as initiator must refuse, in every mode whose Initiator takes one.

RFC 3830 5.1.2 (Error messages), 6.1 (data types, the CSB ID), 3.1-3.3 (the answers' grammars), 5.2
(the verification MAC); RFC 4650 3, 4.1; RFC 4738 3.1, 3.9.1 (conformance.answer_checks).
"""

from __future__ import annotations

import pytest

from conformance import answer_checks as checks
from conformance.answer_checks import V0_MODES, Answering, cases, error_cases
from conformance.evidence import Evidence
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.requirement("RFC3830-5.1.2-initiator-takes-error")
@pytest.mark.parametrize(("mode", "form"), error_cases())
def test_an_error_message_establishes_no_csb(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str, form: str
) -> None:
    """An unauthenticated Error message answering the I_MESSAGE is refused (5.1.2)."""
    checks.error_message_establishes_nothing(mode, sut, profile, evidence, form)


@pytest.mark.parametrize(("answering", "kind"), cases("data_type_rule"))
def test_an_answer_with_an_initiating_data_type_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: Answering, kind: str
) -> None:
    """The answer with the I_MESSAGE's data type, sealed anew, is refused (6.1)."""
    checks.answer_with_an_initiating_data_type_is_refused(answering, sut, profile, evidence)


@pytest.mark.parametrize(("answering", "kind"), cases("payload_rule"))
def test_an_answer_with_two_timestamps_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: Answering, kind: str
) -> None:
    """The answer with its T payload twice, sealed anew, is refused (3.1-3.3)."""
    checks.answer_with_a_second_timestamp_is_refused(answering, sut, profile, evidence)


@pytest.mark.parametrize(("answering", "kind"), cases("identity_rule"))
def test_an_answer_from_another_responder_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: Answering, kind: str
) -> None:
    """The answer with an IDr naming another party, sealed anew, is refused."""
    checks.answer_from_another_responder_is_refused(answering, sut, profile, evidence)


@pytest.mark.parametrize(("answering", "kind"), cases("csb_rule"))
def test_an_answer_for_another_csb_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: Answering, kind: str
) -> None:
    """An answer under another CSB ID than the I_MESSAGE's, correctly MACed or signed,
    answers no CSB of the SUT's and is refused (6.1)."""
    checks.answer_for_another_csb_is_refused(answering, sut, profile, evidence)


@pytest.mark.parametrize(("answering", "kind"), cases("mac_rule"))
def test_an_answer_with_the_null_mac_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, answering: Answering, kind: str
) -> None:
    """The answer MACed with the NULL MAC, not the KEMAC's algorithm, is refused (5.2)."""
    checks.answer_with_the_null_mac_is_refused(answering, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-6.1-v-flag")
@pytest.mark.parametrize("mode", [pytest.param(m, marks=pytest.mark.mode(m)) for m in V0_MODES])
def test_a_verification_message_for_v0_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, mode: str
) -> None:
    """A verification message answering an I_MESSAGE sent with V = 0 is refused (6.1)."""
    checks.verification_for_v0_is_refused(mode, sut, profile, evidence)
