"""The answer's CSB ID, the SUT as initiator, in every mode whose Initiator takes one.

RFC 3830 6.1 (the Responder uses the Initiator's CSB ID), RFC 4738 3.6 (RSA-R); one body
parametrized over the modes (conformance.answer_checks.ECHOING). MIKEY-SAKKE has no
answer (RFC 6509 2.1).
"""

from __future__ import annotations

import pytest

from conformance import answer_checks as checks
from conformance.answer_checks import CsbEchoMode, cases
from conformance.evidence import Evidence
from suts.base import Profile, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize("echo", cases())
def test_an_answer_for_another_csb_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, echo: CsbEchoMode
) -> None:
    """An answer under another CSB ID than the I_MESSAGE's, correctly MACed or signed,
    answers no CSB of the SUT's and is refused (6.1)."""
    checks.answer_for_another_csb_is_refused(echo, sut, profile, evidence)
