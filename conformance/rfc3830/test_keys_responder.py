"""Keys after every step, the SUT as responder: every mode with updates, and a CSB of two
crypto sessions set up once in every mode.

RFC 3830 4.5 (updates: new keying material replaces the old, none keeps it), 4.1.3 and
6.1.1 (each crypto session's TEK from the TGK and its own CS ID), RFC 4650 3.1 (DH-HMAC
re-keying). One body, parametrized over the modes (conformance.key_checks.KEYED): a CSB
of two crypto sessions, an update with new keys and one without, the SUT's SRTP keys
compared with the reference's after each.
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

pytestmark = [pytest.mark.role("responder")]


@pytest.mark.parametrize("keyed", cases(Role.RESPONDER))
def test_srtp_keys_match_the_reference_after_every_update(
    sut: Sut, profile: Profile, evidence: Evidence, keyed: KeyedMode
) -> None:
    """After the initial exchange, an update with new keys and an update without, the
    SUT's SRTP keys of both crypto sessions are the reference initiator's (4.5, 4.1.3)."""
    checks.responder_keys_follow_every_step(keyed, sut, profile, evidence)


@pytest.mark.parametrize("mode", session_cases(Role.RESPONDER))
def test_each_crypto_session_has_the_reference_keys(
    sut: Sut, profile: Profile, evidence: Evidence, mode: SessionMode
) -> None:
    """One exchange, no update (so also for a SUT without updates), a CSB of two crypto
    sessions: the SUT's SRTP keys of each are the reference's (4.1.3, 6.1.1)."""
    checks.responder_keys_each_crypto_session(mode, sut, profile, evidence)


@pytest.mark.parametrize(("keyed", "update"), asked_cases(Role.RESPONDER))
def test_srtp_keys_match_the_reference_after_an_update_adding_a_crypto_session(
    sut: Sut, profile: Profile, evidence: Evidence, keyed: KeyedMode, update: AskedUpdate
) -> None:
    """The reference initiator adds crypto session 3 in an update, with new keying material
    or without: the SUT's SRTP keys of the two old crypto sessions and the new one are the
    reference's ("new Crypto Sessions are added in the update message", 4.5; 4.1.3, 6.1.1)."""
    checks.responder_keys_after_an_asked_update(keyed, update, sut, profile, evidence)
