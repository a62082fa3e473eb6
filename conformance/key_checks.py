"""Keys, not just acceptance: the SUT's SRTP keys after every step of a CSB's life.

A SUT that exports its keys (Capabilities.exports_keys) is held to the reference's SRTP
master key and salt for every crypto session, not once after the initial exchange but
after each step: the initial exchange, an update that brings new keying material (a new
TGK in PSK and PK, RFC 3830 4.5; a fresh DHi and DHr in DH and DH-HMAC, RFC 3830 4.5,
RFC 4650 3.1 a) and an update that brings none (the CSB "continues to use the previously
established keying material", RFC 3830 4.5; RFC 4650 3.1 b). Every CSB here has two
crypto sessions with their own SSRCs (TWO_SESSIONS), so each step also checks that
crypto session i derives its TEK with CS ID i (RFC 3830 4.1.3, 6.1.1).

A `KeyedMode` is one mode with updates as these checks drive it, with the requirement
IDs each side cites there; conformance/rfc3830/test_keys_responder.py and
test_keys_initiator.py hold the tests, one body per
role, parametrized over KEYED. A SUT that does not export keys, or does not implement
updates, is not applicable.

The SUT as initiator sends the updates it chooses (Sut.update): the reference responder
takes each, its answer (if any) goes back to the SUT, and the keys are compared. The SUT
as responder takes the reference initiator's updates: first one with new keys, then one
without.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from conformance.checks import check_srtp_keys, not_applicable
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.reference import (
    ReferenceInitiator,
    ReferenceResponder,
    exchange_params,
    initiate,
    send_to_responder,
)
from conformance.reference_dh import ReferenceDhHmacResponder, ReferenceDhResponder
from conformance.reference_pk import PkReferenceInitiator, PkReferenceResponder
from conformance.reference_rsar import RSA_R, RsaRReferenceInitiator, RsaRReferenceResponder
from conformance.rfc6509.reference import SakkeReferenceInitiator, SakkeReferenceResponder
from conformance.rfc6509.reference import params as sakke_params
from conformance.vehicle import UPDATES as UPDATE_RULES
from conformance.vehicle import reference_took, sut_took, vehicle
from mikey.modes.csb import Csb
from mikey.wire import KeyType, PkeCache, SrtpIdEntry
from suts.base import ExchangeParams, Profile, Role, Sut

TWO_SESSIONS = (SrtpIdEntry(0, 0x0C5B0001, 0), SrtpIdEntry(0, 0x0C5B0002, 0))
"""Two crypto sessions, each with its own SSRC (RFC 3830 6.1.1): CS IDs 1 and 2."""

TEK = "RFC3830-4.1.3-tek-derivation"
KEYS = "RFC3830-4.5-update-keying-material"
CS_ID = "RFC3830-6.1.1-cs-id-index"


def _psk_initiator(profile: Profile, sut: Sut) -> ReferenceInitiator:
    return ReferenceInitiator(profile, exchange_params(cs_map=TWO_SESSIONS))


def _pk_initiator(profile: Profile, sut: Sut) -> ReferenceInitiator:
    params = exchange_params(mode="PK", cs_map=TWO_SESSIONS)
    return PkReferenceInitiator(profile, params, responder=sut)


def _pk_cached_initiator(profile: Profile, sut: Sut) -> ReferenceInitiator:
    params = exchange_params(mode="PK", cs_map=TWO_SESSIONS, pke_cache=PkeCache.CACHE_FOR_CSB)
    return PkReferenceInitiator(profile, params, responder=sut)


def _dh_initiator(profile: Profile, sut: Sut) -> ReferenceInitiator:
    return DH_METHOD.reference(profile, cs_map=TWO_SESSIONS)


def _dhhmac_initiator(profile: Profile, sut: Sut) -> ReferenceInitiator:
    return DH_HMAC.reference(profile, cs_map=TWO_SESSIONS)


def _psk_update(ref: Any, new_keys: bool) -> bytes:
    data: bytes = ref.peer.start_update(new_keys=new_keys)
    return data


def _dh_update(ref: Any, new_keys: bool) -> bytes:
    data: bytes = ref.update(new_keys=new_keys)
    return data


@dataclass(frozen=True)
class KeyedMode:
    """One mode with updates, as the key checks drive it."""

    mode: str
    initiator: Callable[[Profile, Sut], ReferenceInitiator]
    """The reference initiator facing a SUT responder, for a CSB of TWO_SESSIONS."""
    update: Callable[[Any, bool], bytes]
    """The reference initiator's update of its CSB: with new keying material or without."""
    responder: Callable[[Profile], ReferenceResponder]
    """The reference responder facing a SUT initiator."""
    as_responder: tuple[str, ...]
    """Requirement IDs of the SUT-as-responder check."""
    as_initiator: tuple[str, ...]
    """Requirement IDs of the SUT-as-initiator check."""
    pke_cache: PkeCache = PkeCache.NO_CACHE
    """PK: the C of the PKE (RFC 3830 6.3); with C=2 the updates are pre-shared key
    messages keyed with the cached envelope key (4.5). Needs `envelope_key_cache`."""
    name: str = ""
    """The test parameter's ID (default: the mode)."""

    def params(self) -> ExchangeParams:
        """What the SUT initiator is asked for: this mode, TWO_SESSIONS."""
        return exchange_params(mode=self.mode, cs_map=TWO_SESSIONS, pke_cache=self.pke_cache)


KEYED = (
    KeyedMode(
        "PSK",
        _psk_initiator,
        _psk_update,
        ReferenceResponder,
        (KEYS, TEK, CS_ID),
        (KEYS, TEK, CS_ID),
    ),
    KeyedMode(
        "PK",
        _pk_initiator,
        _psk_update,
        PkReferenceResponder,
        (KEYS, TEK, CS_ID),
        (KEYS, TEK, CS_ID),
    ),
    KeyedMode(
        "PK",
        _pk_cached_initiator,
        _psk_update,
        PkReferenceResponder,
        (KEYS, "RFC3830-6.3-cache-for-csb", TEK, CS_ID),
        (KEYS, "RFC3830-4.5-cached-env-key-update-psk", "RFC3830-6.3-cache-for-csb", TEK, CS_ID),
        PkeCache.CACHE_FOR_CSB,
        "PK-cached",
    ),
    KeyedMode(
        "DH",
        _dh_initiator,
        _dh_update,
        ReferenceDhResponder,
        (KEYS, TEK, CS_ID),
        (KEYS, TEK, CS_ID),
    ),
    KeyedMode(
        "DH-HMAC",
        _dhhmac_initiator,
        _dh_update,
        ReferenceDhHmacResponder,
        ("RFC4650-3.1-update-without-dh", "RFC4650-3-tgk-dh", "RFC4650-3-tgk-processing"),
        ("RFC4650-3-tgk-dh", "RFC4650-3-tgk-processing"),
    ),
)
"""Every mode with updates: PSK, PK, DH (RFC 3830 4.5), DH-HMAC (RFC 4650 3.1); PK also with
the envelope key cached for the CSB (C=2, Table 6.3), whose updates are pre-shared key
messages keyed with it (4.5). RSA-R
(RFC 4738 3) and MIKEY-SAKKE (RFC 6509 2.1) define none."""


def cases(role: Role) -> list[Any]:
    """Test parameters, one per mode, marked with the mode and the IDs `role` cites."""
    return [
        pytest.param(
            keyed,
            id=keyed.name or keyed.mode,
            marks=[
                pytest.mark.mode(keyed.mode),
                pytest.mark.requirement(
                    *(keyed.as_responder if role is Role.RESPONDER else keyed.as_initiator)
                ),
            ],
        )
        for keyed in KEYED
    ]


def applicable(keyed: KeyedMode, sut: Sut) -> None:
    """Not applicable unless the SUT exports its keys and implements updates (and, for a
    cached envelope key, caches it)."""
    exports_keys(sut, keyed.mode)
    caps = sut.capabilities()
    if not caps.updates:
        not_applicable(f"{caps.name} does not implement CSB updates")
    if keyed.pke_cache != PkeCache.NO_CACHE and not caps.envelope_key_cache:
        not_applicable(f"{caps.name} does not cache PK envelope keys")


def same_keys(sut: Sut, role: Role, csb: Csb | None, step: str, evidence: Evidence) -> None:
    """After `step`, the SUT's keys are the reference's for every crypto session."""
    assert csb is not None, f"after {step} the reference side holds no CSB"
    assert csb.cs_ids() == (1, 2), f"after {step} the CSB has crypto sessions {csb.cs_ids()}"
    evidence.note(f"keys after {step}")
    try:
        check_srtp_keys(sut, role, csb.srtp_keys, csb.cs_ids(), evidence)
    except AssertionError as exc:
        reason = str(exc).split("\n", 1)[0]  # without the rewritten "assert ..." line
        raise AssertionError(f"after {step}: {reason}") from None


# -- the SUT as responder ----------------------------------------------------------------


def responder_keys_follow_every_step(
    keyed: KeyedMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference initiator sets up a CSB of two crypto sessions, updates it with new
    keying material, then without; after each step the SUT responder's SRTP keys for
    both crypto sessions are the reference's."""
    applicable(keyed, sut)
    ref = keyed.initiator(profile, sut)
    steps = (
        ("the initial exchange", ref.i_message),
        ("an update with new keying material", lambda: keyed.update(ref, True)),
        ("an update without new keying material", lambda: keyed.update(ref, False)),
    )
    for n, (step, message) in enumerate(steps):
        with vehicle(step_rule(keyed, n)):
            reply = send_to_responder(sut, ref, message(), evidence)
            sut_took(reply, step)
            if reply.message is not None:
                reference_took(ref.take_response(reply.message), f"the answer to {step}")
        same_keys(sut, Role.RESPONDER, ref.peer.csb, step, evidence)


# -- the SUT as initiator ----------------------------------------------------------------

UPDATES = 2
"""How many updates the SUT initiator sends after the initial exchange."""


def step_rule(keyed: KeyedMode, step: int) -> str | None:
    """The precondition of exchange step `step` (0: the initial exchange, the mode's
    valid-exchange rule; then an update)."""
    return None if step == 0 else UPDATE_RULES[keyed.mode]


def initiator_keys_follow_every_step(
    keyed: KeyedMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT initiator sets up a CSB of two crypto sessions with the reference responder
    and updates it twice; after each step its SRTP keys for both crypto sessions are the
    reference responder's."""
    applicable(keyed, sut)
    ref = keyed.responder(profile)
    data = initiate(sut, keyed.params(), evidence)
    for n in range(UPDATES + 1):
        step = "the initial exchange" if n == 0 else f"update {n}"
        with vehicle(step_rule(keyed, n)):
            reply = ref.take(data)
            reference_took(reply.outcome, step)
            answer = reply.message
            if answer is not None:
                evidence.to_sut(f"answer to {step}", answer)
            outcome = sut.complete(answer)
            assert outcome.accepted, f"the SUT rejects the answer to {step}: {outcome.detail}"
        same_keys(sut, Role.INITIATOR, ref.csb, step, evidence)
        if n < UPDATES:
            data = evidence.from_sut(f"update {n + 1}", sut.update()) or b""


# -- one exchange, every mode: each crypto session its own keys ---------------------------


def _rsar_initiator(profile: Profile, sut: Sut) -> RsaRReferenceInitiator:
    return RsaRReferenceInitiator(profile, replace(RSA_R, cs_map=TWO_SESSIONS))


def _sakke_initiator(profile: Profile, sut: Sut) -> SakkeReferenceInitiator:
    return SakkeReferenceInitiator(profile, sakke_params(cs_map=TWO_SESSIONS))


@dataclass(frozen=True)
class SessionMode:
    """One mode as the crypto session check drives it: one exchange for a CSB of
    TWO_SESSIONS, no update."""

    mode: str
    params: ExchangeParams
    """What the SUT initiator is asked for."""
    initiator: Callable[[Profile, Sut], Any]
    """The reference initiator facing a SUT responder."""
    responder: Callable[[Profile], Any]
    """The reference responder facing a SUT initiator."""
    answers: bool
    """The responder sends an answer the initiator takes (RSA-R's R_MESSAGE)."""
    as_responder: tuple[str, ...]
    as_initiator: tuple[str, ...]


SESSIONS = (
    *(
        SessionMode(
            keyed.mode,
            keyed.params(),
            keyed.initiator,
            keyed.responder,
            True,
            keyed.as_responder[-2:] if keyed.mode != "DH-HMAC" else ("RFC4650-3-tgk-processing",),
            keyed.as_initiator[-2:] if keyed.mode != "DH-HMAC" else ("RFC4650-3-tgk-processing",),
        )
        for keyed in KEYED
        if not keyed.name
    ),
    SessionMode(
        "RSA-R",
        replace(RSA_R, cs_map=TWO_SESSIONS),
        _rsar_initiator,
        RsaRReferenceResponder,
        True,
        ("RFC4738-3.6-kemac", "RFC4738-3.6-fill-cs"),
        ("RFC4738-3.6-kemac",),
    ),
    SessionMode(
        "SAKKE",
        sakke_params(cs_map=TWO_SESSIONS),
        _sakke_initiator,
        SakkeReferenceResponder,
        False,
        ("RFC6509-3.1-ssv-is-tgk",),
        ("RFC6509-3.1-ssv-is-tgk",),
    ),
)
"""Every mode, one exchange each (no update): the check for a SUT that exports its keys
but does not implement updates, and the only one for RSA-R and MIKEY-SAKKE, which define
none. PSK, PK, DH and DH-HMAC cite the derivation rules (RFC 3830 4.1.3, 6.1.1; RFC 4650
3), the others their modes' own."""


def session_cases(role: Role) -> list[Any]:
    """Test parameters, one per mode of SESSIONS, marked with the mode and its IDs."""
    return [
        pytest.param(
            mode,
            id=mode.mode,
            marks=[
                pytest.mark.mode(mode.mode),
                pytest.mark.requirement(
                    *(mode.as_responder if role is Role.RESPONDER else mode.as_initiator)
                ),
            ],
        )
        for mode in SESSIONS
    ]


TGK_CARRIED = frozenset({"PSK", "PK", "RSA-R"})
"""The modes whose KEMAC carries the TGK as Key data (RFC 3830 3.1, 3.2; RFC 4738 3.6); in
DH and DH-HMAC the TGK is g^(xi*xr), in MIKEY-SAKKE the SSV."""


def exports_keys(sut: Sut, mode: str) -> None:
    """Not applicable unless the SUT exports its keys and, where the KEMAC carries the
    TGK, implements Key data of type TGK (the crypto sessions' TEKs come from one TGK)."""
    caps = sut.capabilities()
    if not caps.exports_keys:
        not_applicable(f"{caps.name} cannot export its SRTP keys")
    if mode in TGK_CARRIED and KeyType.TGK not in caps.key_types:
        not_applicable(f"{caps.name} does not implement Key data of type TGK")


def responder_keys_each_crypto_session(
    mode: SessionMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference initiator sets up a CSB of two crypto sessions: the SUT responder's
    SRTP keys for each are the reference's (RFC 3830 4.1.3, 6.1.1)."""
    exports_keys(sut, mode.mode)
    ref = mode.initiator(profile, sut)
    with vehicle():
        reply = sut.respond(evidence.to_sut("I_MESSAGE", ref.i_message()), ref.params)
        evidence.from_sut("answer", reply.message)
        sut_took(reply, "a valid I_MESSAGE")
        if mode.answers:
            assert reply.message is not None, f"no answer to a valid I_MESSAGE: {reply.detail}"
            reference_took(ref.take_response(reply.message), "the answer")
    csb = ref.peer.csb if mode.answers else ref.csb  # SAKKE's reference: its pending CSB
    same_keys(sut, Role.RESPONDER, csb, "the exchange", evidence)


def initiator_keys_each_crypto_session(
    mode: SessionMode, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT initiator sets up a CSB of two crypto sessions with the reference
    responder: its SRTP keys for each are the reference's (RFC 3830 4.1.3, 6.1.1)."""
    exports_keys(sut, mode.mode)
    ref = mode.responder(profile)
    with vehicle():
        taken = ref.take(initiate(sut, mode.params, evidence))
        reference_took(getattr(taken, "outcome", taken), "the I_MESSAGE")
        if mode.answers:
            answer = taken.message
            assert answer is not None, "the reference responder sent no answer"
            done = sut.complete(evidence.to_sut("answer", answer))
            assert done.accepted, f"the SUT rejects the reference's answer: {done.detail}"
    same_keys(sut, Role.INITIATOR, ref.peer.last_csb, "the exchange", evidence)
