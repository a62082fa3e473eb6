"""PK mode envelope key caching, the SUT as initiator (RFC 3830 3.2, 4.5, 6.3).

The SUT initiates a PK exchange asked to write C in its PKE (ExchangeParams
`pke_cache`, Table 6.3), then sends updates of the CSB. The reference responder
keeps the envelope key as C says (mikey.modes.pk_cache) and takes a pre-shared key
message only when a key it cached keys it, so an update it takes with C=1 or 2 is
keyed with the envelope key the SUT sent.
"""

from __future__ import annotations

import pytest

from conformance.checks import strict_decode
from conformance.evidence import Evidence
from conformance.key_checks import keys_if_exported
from conformance.reference import initiate
from conformance.reference_pk import (
    PkReferenceResponder,
    caching_applicable,
    keyed_with,
    pk_params,
)
from conformance.vehicle import UPDATES, reference_took, vehicle
from mikey.wire import Cert, DataType, Pke, PkeCache, Rand, Sign
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("PK"), pytest.mark.role("initiator")]


def cached_exchange(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> PkReferenceResponder:
    """A PK exchange the SUT starts with C = `cache` in its PKE, verified both ways."""
    caching_applicable(sut)
    ref = PkReferenceResponder(profile)
    i_message = initiate(sut, pk_params(pke_cache=cache), evidence)
    pke = strict_decode(i_message, "the I_MESSAGE").first(Pke)
    assert pke is not None, "the I_MESSAGE carries no PKE (3.2)"
    assert pke.cache == cache, f"asked for C={cache.name}, the PKE says C={pke.cache.name} (6.3)"
    with vehicle():
        reply = ref.take(i_message)
        reference_took(reply.outcome, "the I_MESSAGE")
        assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
        outcome = sut.complete(evidence.to_sut("R_MESSAGE", reply.message))
        assert outcome.accepted, f"the SUT rejects a valid verification message: {outcome.detail}"
    return ref


def psk_update_is_taken(sut: Sut, ref: PkReferenceResponder, evidence: Evidence) -> None:
    """The SUT's update is a pre-shared key message keyed with the cached envelope key (4.5):
    data type PSK init, no PKE, SIGN or CERT, the same CSB ID, no RAND; the reference
    responder takes it with the cached key, and the SUT takes its verification message."""
    csb = ref.csb
    assert csb is not None
    update = sut.update()
    evidence.from_sut("update I_MESSAGE", update)
    msg = strict_decode(update, "the update I_MESSAGE")
    kinds = ", ".join(type(p).__name__ for p in msg.payloads)
    assert msg.hdr.data_type == DataType.PSK_INIT, (
        f"the update is a {msg.hdr.data_type.name} message: with a cached envelope key it is "
        "a pre-shared key message, it MUST NOT be a public key message (4.5)"
    )
    assert not msg.all(Pke) and not msg.all(Sign) and not msg.all(Cert), (
        f"the pre-shared key update carries public-key payloads: {kinds} (3.1, 4.5)"
    )
    assert msg.hdr.csb_id == csb.csb_id, "the update is for another CSB (4.5)"
    assert msg.first(Rand) is None, "the update carries a RAND (4.5)"
    reply = ref.take(update)
    assert reply.outcome.accepted, (
        "the reference responder, keyed with the cached envelope key, rejects the update: "
        f"{reply.outcome.reason}"
    )
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    with vehicle(UPDATES["PK"]):  # the SUT takes the answer to its own update
        outcome = sut.complete(evidence.to_sut("R_MESSAGE (PSK ver msg)", reply.message))
        assert outcome.accepted, (
            f"the SUT rejects the update's verification message: {outcome.detail}"
        )
    step = "the update keyed with the cached envelope key"
    keys_if_exported(sut, Role.INITIATOR, ref.csb, step, evidence)


CACHING = [
    pytest.param(PkeCache.CACHE, marks=pytest.mark.requirement("RFC3830-6.3-cache"), id="CACHE"),
    pytest.param(
        PkeCache.CACHE_FOR_CSB,
        marks=pytest.mark.requirement("RFC3830-6.3-cache-for-csb"),
        id="CACHE_FOR_CSB",
    ),
]


@pytest.mark.requirement("RFC3830-4.5-cached-env-key-update-psk")
@pytest.mark.parametrize("cache", CACHING)
def test_update_is_a_psk_message_keyed_with_the_cached_envelope_key(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> None:
    """With C=1 or 2 the envelope key "MUST be cached" (Table 6.3), and "the update message
    is a pre-shared key message with the cached envelope key as the pre-shared key; it
    MUST NOT be a public key message" (4.5)."""
    psk_update_is_taken(sut, cached_exchange(sut, profile, evidence, cache), evidence)


@pytest.mark.requirement("RFC3830-6.3-no-cache")
def test_update_after_c0_is_not_keyed_with_the_envelope_key(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """With C=0 "The envelope key MUST NOT be cached" (Table 6.3): the update is not a
    pre-shared key message keyed with it, but a public-key message with a new envelope
    key (4.5), which the reference responder takes."""
    ref = cached_exchange(sut, profile, evidence, PkeCache.NO_CACHE)
    csb, env_key = ref.csb, ref.peer.last_env_key
    assert csb is not None and env_key is not None
    update = sut.update()
    evidence.from_sut("update I_MESSAGE", update)
    msg = strict_decode(update, "the update I_MESSAGE")
    cached = msg.hdr.data_type == DataType.PSK_INIT and keyed_with(update, env_key, csb.rand)
    assert not cached, "the update is keyed with the envelope key sent with C=0 (Table 6.3)"
    assert msg.hdr.data_type == DataType.PK_INIT, (
        f"the update is a {msg.hdr.data_type.name} message; without a cached envelope key it "
        "is a public-key message with a new envelope key (4.5)"
    )
    reply = ref.take(update)
    assert reply.outcome.accepted, f"the reference responder rejects it: {reply.outcome.reason}"
    answer = evidence.to_sut("R_MESSAGE", reply.message) if reply.message else None
    with vehicle(UPDATES["PK"]):  # the SUT takes the answer to its own update
        outcome = sut.complete(answer)
        assert outcome.accepted, (
            f"the SUT rejects the update's verification message: {outcome.detail}"
        )
    keys_if_exported(sut, Role.INITIATOR, ref.csb, "the public-key update", evidence)


@pytest.mark.requirement("RFC3830-3.2-env-key-cache-lifetime")
@pytest.mark.parametrize("cache", [PkeCache.CACHE, PkeCache.CACHE_FOR_CSB], ids=lambda c: c.name)
def test_the_cached_key_keys_every_update_of_the_csb(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> None:
    """ "the key is at least to be cached during the lifetime of the entire CSB" (3.2): the
    second update of the CSB is still a pre-shared key message keyed with it."""
    ref = cached_exchange(sut, profile, evidence, cache)
    for _ in range(2):
        psk_update_is_taken(sut, ref, evidence)
