"""PK envelope key caching (RFC 3830 3.2, 4.5, Table 6.3): the reference logic (pk_cache)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.wire import (
    Cert,
    DataType,
    ErrorNo,
    Pke,
    PkeCache,
    Rand,
    Sign,
    Verification,
    decode_message,
)
from tests.modes.pairs import ALICE, BOB
from tests.modes.pk_pairs import PkPair, make_pk_pair

CACHING = [PkeCache.CACHE, PkeCache.CACHE_FOR_CSB]


def established(cache: PkeCache, **changes: object) -> PkPair:
    """A PK pair with one CSB established, its PKE saying `cache`."""
    pair = make_pk_pair(cache=cache, **changes)
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    return pair


def responder_csb_id(pair: PkPair) -> int:
    csb = pair.responder.last_csb
    assert csb is not None
    return csb.csb_id


def round_trip(pair: PkPair, data: bytes) -> bool:
    """The responder takes `data`, and the initiator takes its answer."""
    reply = pair.responder.receive(data)
    if not reply.outcome.accepted or reply.message is None:
        return False
    return pair.initiator.receive(reply.message).accepted


@pytest.mark.parametrize("cache", CACHING, ids=lambda c: c.name)
def test_a_cached_csb_is_updated_by_a_psk_message_keyed_with_the_envelope_key(
    cache: PkeCache,
) -> None:
    """4.5: HDR, T, [IDi], [IDr], {SP}, KEMAC as a PSK init message, no PK payloads."""
    pair = established(cache)
    csb_id, env_key = responder_csb_id(pair), pair.initiator.env_key
    update = pair.initiator.start_update()
    msg = decode_message(update)
    assert msg.hdr.data_type == DataType.PSK_INIT and msg.hdr.csb_id == csb_id
    assert not msg.all(Pke) and not msg.all(Sign) and not msg.all(Cert)
    assert msg.first(Rand) is None
    assert pair.initiator.env_key == env_key, "no new envelope key for a cached update"
    reply = pair.responder.receive(update)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    assert decode_message(reply.message).hdr.data_type == DataType.PSK_RESP
    assert pair.initiator.receive(reply.message).accepted
    csb_i, csb_r = pair.initiator.csb, pair.responder.last_csb
    assert csb_i is not None and csb_r is not None and csb_i.key_data == csb_r.key_data
    assert csb_i.srtp_keys(1) == csb_r.srtp_keys(1)


def test_without_caching_the_update_is_a_pk_message() -> None:
    pair = established(PkeCache.NO_CACHE)
    update = pair.initiator.start_update()
    assert decode_message(update).hdr.data_type == DataType.PK_INIT
    assert round_trip(pair, update)
    assert not pair.responder.envelope_keys.by_csb
    assert not pair.initiator.envelope_keys.by_csb


@pytest.mark.parametrize("new_csb", [False, True], ids=["update", "new-csb"])
def test_a_psk_message_keyed_with_an_uncached_envelope_key_is_an_auth_failure(
    new_csb: bool,
) -> None:
    """C=0: no key for it, so the MAC cannot be verified (Table 6.3; 5.3)."""
    pair = established(PkeCache.NO_CACHE)
    env_key, csb = pair.initiator.env_key, pair.responder.last_csb
    assert env_key is not None and csb is not None
    data = pair.initiator.start_psk(env_key, None if new_csb else csb.csb_id)
    reply = pair.responder.receive(data)
    assert not reply.outcome.accepted
    assert reply.outcome.error == ErrorNo.AUTH_FAILURE
    assert reply.message is not None
    error = decode_message(reply.message)
    assert error.hdr.data_type == DataType.ERROR
    assert not error.all(Verification), "no key to authenticate it with (5.1.2)"


def test_a_c1_key_starts_a_new_csb_that_it_then_keys() -> None:
    """C=1 is "used as a pre-shared key" (3.2) beyond its CSB; the new CSB's update too."""
    pair = established(PkeCache.CACHE)
    first = pair.responder.last_csb
    assert first is not None
    data = pair.initiator.start_with_cached_key()
    msg = decode_message(data)
    assert msg.hdr.data_type == DataType.PSK_INIT and msg.first(Rand) is not None
    assert msg.hdr.csb_id != first.csb_id
    assert round_trip(pair, data)
    update = pair.initiator.start_update()
    assert decode_message(update).hdr.data_type == DataType.PSK_INIT
    assert round_trip(pair, update)
    assert set(pair.responder.csbs) == {first.csb_id, msg.hdr.csb_id}


def test_a_c2_key_keys_its_own_csb_only() -> None:
    """C=2: "only to be used for the specific CSB" (Table 6.3)."""
    pair = established(PkeCache.CACHE_FOR_CSB)
    env_key = pair.initiator.env_key
    assert env_key is not None
    with pytest.raises(ValueError, match="C=1"):
        pair.initiator.start_with_cached_key()
    reply = pair.responder.receive(pair.initiator.start_psk(env_key))
    assert reply.outcome.error == ErrorNo.AUTH_FAILURE
    other = pair.initiator.start()  # C=2 again, a CSB with its own key
    assert round_trip(pair, other)
    other_id = decode_message(other).hdr.csb_id
    reply = pair.responder.receive(pair.initiator.start_psk(env_key, other_id))
    assert reply.outcome.error == ErrorNo.AUTH_FAILURE


@pytest.mark.parametrize("cache", CACHING, ids=lambda c: c.name)
def test_the_key_lasts_as_long_as_the_csb(cache: PkeCache) -> None:
    """3.2: kept "at least ... during the lifetime of the entire CSB": another CSB's PK
    exchange and earlier updates do not end it, nor does a later PK message with C=0."""
    pair = established(cache)
    csb_id = responder_csb_id(pair)
    pair.initiator.pk = replace(pair.initiator.pk, cache=PkeCache.NO_CACHE)
    assert round_trip(pair, pair.initiator.start())  # another CSB, C=0
    for _ in range(3):
        update = pair.initiator.start_update(csb_id)
        assert decode_message(update).hdr.data_type == DataType.PSK_INIT
        assert round_trip(pair, update)
    kept = pair.responder.envelope_keys.for_update(csb_id)
    assert kept is not None and kept.owner == ALICE
    assert pair.initiator.envelope_keys.for_update(csb_id) is not None


def test_a_later_pk_message_with_c0_leaves_the_kept_key() -> None:
    """A PK update with C=0 (4.5 forbids it after caching) does not end the kept key (3.2)."""
    pair = established(PkeCache.CACHE)
    csb_id = responder_csb_id(pair)
    kept = pair.responder.envelope_keys.for_update(csb_id)
    pair.initiator.pk = replace(pair.initiator.pk, cache=PkeCache.NO_CACHE)
    pk_update = pair.initiator.seal(pair.initiator.compose_update(csb_id))
    assert decode_message(pk_update).hdr.data_type == DataType.PK_INIT
    assert round_trip(pair, pk_update)
    assert kept is not None and pair.responder.envelope_keys.for_update(csb_id) == kept
    update = pair.initiator.start_update(csb_id)
    assert decode_message(update).hdr.data_type == DataType.PSK_INIT
    assert round_trip(pair, update)


def test_a_replayed_cached_key_update_is_discarded() -> None:
    """The PSK update goes through the PK responder's replay cache (5.4)."""
    pair = established(PkeCache.CACHE)
    update = pair.initiator.start_update()
    assert round_trip(pair, update)
    again = pair.responder.receive(update)
    assert not again.outcome.accepted and again.message is None


def test_the_c1_key_is_the_initiators() -> None:
    """A new CSB's key is found by the IDi of its message (3.1): another IDi finds none."""
    pair = established(PkeCache.CACHE)
    keys = pair.responder.envelope_keys
    assert keys.for_new_csb(ALICE) is not None and keys.for_new_csb(None) is not None
    assert keys.for_new_csb(BOB) is None


def test_the_responder_says_which_psk_messages_a_cached_key_keys() -> None:
    pair = established(PkeCache.CACHE_FOR_CSB)
    env_key = pair.initiator.env_key
    assert env_key is not None
    update = pair.initiator.start_update()
    assert pair.responder.keys_psk_message(update)
    assert not pair.responder.keys_psk_message(pair.initiator.start_psk(env_key))
    assert not pair.responder.keys_psk_message(pair.initiator.start())
    assert not pair.responder.keys_psk_message(b"\x01")
