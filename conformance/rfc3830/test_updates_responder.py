"""An update's authentication, the SUT as responder, in every mode with updates.

RFC 3830 4.5 and 5.3, RFC 4650 3.1: an update's KEMAC MAC, SIGNi or HMAC is verified as
an initial message's is. One body parametrized over the modes
(conformance.update_checks.UPDATING).
"""

from __future__ import annotations

import pytest

from conformance import update_checks as checks
from conformance.evidence import Evidence
from conformance.update_checks import UpdateAuth, cases
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize("auth", cases(Role.RESPONDER))
def test_a_forged_update_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, auth: UpdateAuth
) -> None:
    """An update of an established CSB whose MAC or signature does not verify is refused,
    with Auth failure if an Error message is sent (4.5, 5.3)."""
    checks.forged_update_is_refused(auth, sut, profile, evidence)
