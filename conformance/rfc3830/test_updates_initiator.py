"""The answer to an update, the SUT as initiator, in every mode with updates.

RFC 3830 4.5, 5.2 and 3.3, RFC 4650 3 and 3.1: the answer to an update is verified as
the answer to an initial message is. One body parametrized over the modes
(conformance.update_checks.UPDATING).
"""

from __future__ import annotations

import pytest

from conformance import update_checks as checks
from conformance.evidence import Evidence
from conformance.update_checks import UpdateAuth, cases
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize("auth", cases(Role.INITIATOR))
def test_a_forged_answer_to_an_update_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, auth: UpdateAuth
) -> None:
    """The answer to the SUT's update with its V, SIGNr or HMAC broken is refused (4.5,
    5.2)."""
    checks.forged_answer_to_an_update_is_refused(auth, sut, profile, evidence)
