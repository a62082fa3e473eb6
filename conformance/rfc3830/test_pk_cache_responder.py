"""PK mode envelope key caching, the SUT as responder (RFC 3830 3.2, 4.5, 6.3).

The reference initiator sends a PK I_MESSAGE whose PKE says C (Table 6.3), then
pre-shared key messages keyed with that envelope key: an update of the CSB (4.5),
or the I_MESSAGE of a new CSB (RAND, an unused CSB ID). mikey.modes.pk_cache says
what each C value keys: C=1 the CSB's updates and new CSBs of the same initiator
("used as a pre-shared key", 3.2), C=2 that CSB's updates only, C=0 nothing. A
refusal may be silent or an Error message (5.3: the MAC cannot be verified with a
key the responder does not hold).
"""

from __future__ import annotations

import pytest

from conformance.checks import expect_rejection, strict_decode
from conformance.evidence import Evidence
from conformance.reference import send_to_responder, sut_responds
from conformance.reference_pk import (
    PkReferenceInitiator,
    answer_is_valid,
    caching_applicable,
    pk_params,
)
from conformance.vehicle import vehicle
from mikey.wire import DataType, PkeCache, Verification
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("PK"), pytest.mark.role("responder")]


def established(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> PkReferenceInitiator:
    """A CSB the SUT took from a PK I_MESSAGE whose PKE says `cache`, verified (3.2)."""
    ref = PkReferenceInitiator(profile, pk_params(pke_cache=cache), responder=sut)
    reply = sut_responds(sut, ref, evidence)
    with vehicle():
        answer_is_valid(ref, reply.message)
    return ref


def psk_answer_is_valid(ref: PkReferenceInitiator, message: bytes | None, what: str) -> None:
    """The answer to a pre-shared key message is its verification message (3.1: HDR, T,
    [IDr], V; data type PSK ver msg), V keyed alike, and the reference initiator takes it."""
    assert message is not None, f"V=1 but the SUT did not answer the {what} (3.1, 4.5)"
    msg = strict_decode(message, f"the answer to the {what}")
    assert msg.hdr.data_type == DataType.PSK_RESP, (
        f"the {what} was answered with a {msg.hdr.data_type.name} message, not PSK_RESP"
    )
    assert isinstance(msg.payloads[-1], Verification), "V is not the last payload (3.1, 5.2)"
    outcome = ref.take_response(message)
    assert outcome.accepted, f"the reference initiator rejects the answer: {outcome.reason}"


def update_is_taken(sut: Sut, ref: PkReferenceInitiator, evidence: Evidence) -> None:
    """A pre-shared key update keyed with the cached envelope key is taken (4.5)."""
    update = ref.update_message()
    msg = strict_decode(update, "the reference update")
    assert msg.hdr.data_type == DataType.PSK_INIT, "harness: the reference update is not PSK"
    reply = send_to_responder(sut, ref, update, evidence)
    assert reply.accepted is not False, f"the cached-key update was rejected: {reply.detail}"
    psk_answer_is_valid(ref, reply.message, "update keyed with the cached envelope key")


@pytest.mark.parametrize(
    "cache",
    [
        pytest.param(
            PkeCache.CACHE, marks=pytest.mark.requirement("RFC3830-6.3-cache"), id="CACHE"
        ),
        pytest.param(
            PkeCache.CACHE_FOR_CSB,
            marks=pytest.mark.requirement("RFC3830-6.3-cache-for-csb"),
            id="CACHE_FOR_CSB",
        ),
    ],
)
def test_takes_an_update_keyed_with_the_cached_envelope_key(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> None:
    """With C=1 or 2 the envelope key "MUST be cached" (Table 6.3), so the CSB's update, a
    pre-shared key message with the cached envelope key as the pre-shared key (4.5), is
    taken and answered with a verification message keyed alike."""
    caching_applicable(sut)
    update_is_taken(sut, established(sut, profile, evidence, cache), evidence)


@pytest.mark.requirement("RFC3830-6.3-cache")
def test_a_c1_key_is_a_pre_shared_key_for_a_new_csb(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """C=1, unlike C=2, is not "only to be used for the specific CSB" (Table 6.3): the key
    is cached "so that it can be used as a pre-shared key" (3.2), so a pre-shared key
    I_MESSAGE (RAND, a new CSB ID) keyed with it starts a new CSB."""
    caching_applicable(sut)
    ref = established(sut, profile, evidence, PkeCache.CACHE)
    message = ref.psk_keyed_by(ref.env_key)
    reply = send_to_responder(sut, ref, message, evidence)
    assert reply.accepted is not False, f"the C=1 key was refused for a new CSB: {reply.detail}"
    psk_answer_is_valid(ref, reply.message, "new CSB keyed with the C=1 envelope key")


@pytest.mark.requirement("RFC3830-6.3-no-cache")
@pytest.mark.parametrize("target", ["update", "new-csb"])
def test_refuses_a_psk_message_keyed_with_an_envelope_key_sent_with_c0(
    sut: Sut, profile: Profile, evidence: Evidence, target: str
) -> None:
    """With C=0 "The envelope key MUST NOT be cached" (Table 6.3): a pre-shared key
    message keyed with it, an update of its CSB or a new CSB's I_MESSAGE, finds no key
    and is refused (5.3)."""
    caching_applicable(sut)
    ref = established(sut, profile, evidence, PkeCache.NO_CACHE)
    update_of = ref.csb_id if target == "update" else None
    message = ref.psk_keyed_by(ref.env_key, update_of)
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-6.3-cache-for-csb")
@pytest.mark.parametrize("target", ["new-csb", "other-csb-update"])
def test_refuses_a_c2_key_for_another_csb(
    sut: Sut, profile: Profile, evidence: Evidence, target: str
) -> None:
    """C=2: the key is cached "but only to be used for the specific CSB" (Table 6.3): a
    pre-shared key message keyed with it for a new CSB, or as the update of another CSB
    (established by a PK exchange with C=0), is refused."""
    caching_applicable(sut)
    ref = established(sut, profile, evidence, PkeCache.CACHE_FOR_CSB)
    key = ref.env_key
    if target == "new-csb":
        message = ref.psk_keyed_by(key)
    else:
        other = established(sut, profile, evidence, PkeCache.NO_CACHE)
        ref, message = other, other.psk_keyed_by(key, other.csb_id)
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC3830-3.2-env-key-cache-lifetime")
@pytest.mark.parametrize("cache", [PkeCache.CACHE, PkeCache.CACHE_FOR_CSB], ids=lambda c: c.name)
def test_the_cached_key_lasts_as_long_as_its_csb(
    sut: Sut, profile: Profile, evidence: Evidence, cache: PkeCache
) -> None:
    """ "the key is at least to be cached during the lifetime of the entire CSB" (3.2): after
    a PK exchange of another CSB and after a first update keyed with it, the cached key
    still keys a second update of its CSB."""
    caching_applicable(sut)
    ref = established(sut, profile, evidence, cache)
    established(sut, profile, evidence, PkeCache.NO_CACHE)
    for _ in range(2):
        update_is_taken(sut, ref, evidence)
