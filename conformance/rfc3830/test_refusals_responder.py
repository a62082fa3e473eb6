"""Messages the SUT as responder must refuse, in every mode that has the rule.

RFC 3830 6.1 (data types), 3.1-3.3 (grammars), 6.10 (distinct Policy no), 4.2.4 (the NULL
MAC); RFC 4650 3, 4.1; RFC 4738 3.1; RFC 6509 2.2.2 (conformance.refusal_checks).
"""

from __future__ import annotations

import pytest

from conformance import refusal_checks as checks
from conformance.evidence import Evidence
from conformance.refusal_checks import (
    DATA_TYPES,
    DH_MODES,
    GRAMMAR_FAULTS,
    NULL_MAC_MODES,
    Refusing,
    cases,
)
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize(("refusing", "kind"), cases("data_type_rule", DATA_TYPES))
def test_a_message_of_another_data_type_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """An initiating message retyped as an answer or an Error message is not taken."""
    checks.message_of_another_data_type_is_refused(refusing, sut, profile, evidence, kind)


@pytest.mark.parametrize(("refusing", "kind"), cases("grammar_rule", GRAMMAR_FAULTS))
def test_payloads_outside_the_grammar_are_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """An ERR payload, a second T, or a second RAND in the initiating message: refused."""
    checks.payloads_outside_the_grammar_are_refused(refusing, sut, profile, evidence, kind)


@pytest.mark.parametrize(("refusing", "kind"), cases("identity_rule"))
def test_a_message_for_another_responder_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """An initiating message whose IDr names another party is refused (Invalid ID)."""
    checks.message_for_another_responder_is_refused(refusing, sut, profile, evidence)


@pytest.mark.parametrize(("refusing", "kind"), cases("grammar_rule", modes=DH_MODES))
def test_an_initial_message_without_dhi_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """An initial DH or DH-HMAC message without DHi is not taken (3.3; RFC 4650 3)."""
    checks.initial_message_without_dhi_is_refused(refusing, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-6.10-policy-no-distinct")
@pytest.mark.parametrize(("refusing", "kind"), cases(None))
def test_two_sp_payloads_with_one_policy_no_are_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """Two SP payloads sharing a Policy no (6.10) are not taken."""
    checks.two_policies_with_one_number_are_refused(refusing, sut, profile, evidence)


@pytest.mark.requirement("RFC3830-4.2.4-null-mac-restricted")
@pytest.mark.parametrize(("refusing", "kind"), cases(None, modes=NULL_MAC_MODES))
def test_the_null_mac_over_encrypted_key_data_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, refusing: Refusing, kind: str
) -> None:
    """A KEMAC with the NULL MAC over AES-CM encrypted Key data is not taken (4.2.4)."""
    checks.null_mac_over_encryption_is_refused(refusing, sut, profile, evidence)
