"""Keys after every step, the SUT as initiator: every mode with updates, and a CSB of two
crypto sessions set up once in every mode.

RFC 3830 4.5 (updates), 4.1.3 and 6.1.1 (each crypto session's TEK from the TGK and its
own CS ID), RFC 4650 3.1 (DH-HMAC re-keying). One body, parametrized over the modes
(conformance.key_checks.KEYED): the SUT sets up a CSB of two crypto sessions and updates
it twice; its SRTP keys are compared with the reference responder's after each step.
"""

from __future__ import annotations

import pytest

from conformance import key_checks as checks
from conformance.evidence import Evidence
from conformance.key_checks import (
    AskedUpdate,
    KeyedMode,
    SessionMode,
    asked_cases,
    cases,
    session_cases,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.role("initiator")]


@pytest.mark.parametrize("keyed", cases(Role.INITIATOR))
def test_srtp_keys_match_the_reference_after_every_update(
    sut: Sut, profile: Profile, evidence: Evidence, keyed: KeyedMode
) -> None:
    """After the initial exchange and each of two updates, the SUT's SRTP keys of both
    crypto sessions are the reference responder's (4.5, 4.1.3)."""
    checks.initiator_keys_follow_every_step(keyed, sut, profile, evidence)


@pytest.mark.parametrize("mode", session_cases(Role.INITIATOR))
def test_each_crypto_session_has_the_reference_keys(
    sut: Sut, profile: Profile, evidence: Evidence, mode: SessionMode
) -> None:
    """One exchange, no update (so also for a SUT without updates), a CSB of two crypto
    sessions: the SUT's SRTP keys of each are the reference's (4.1.3, 6.1.1)."""
    checks.initiator_keys_each_crypto_session(mode, sut, profile, evidence)


@pytest.mark.parametrize(("keyed", "update"), asked_cases(Role.INITIATOR))
def test_srtp_keys_match_the_reference_after_an_asked_update(
    sut: Sut, profile: Profile, evidence: Evidence, keyed: KeyedMode, update: AskedUpdate
) -> None:
    """Asked for an update without new keying material, or adding crypto session 3 with new
    keying material or without (UpdateParams), the SUT sends it and its SRTP keys of every
    crypto session are the reference's: the old TGK where none came (4.5: "the crypto
    session continues to use the previously established keying material"), the new
    crypto session keyed with its own CS ID (4.5, 4.1.3, 6.1.1)."""
    checks.initiator_keys_after_an_asked_update(keyed, update, sut, profile, evidence)
