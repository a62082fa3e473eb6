"""COUNTER timestamps (RFC 3830 Table 6.6): stamping, taking, padding, and the replay rule.

A responder takes COUNTER only when its local policy says so (Environment.ts_types);
it then checks no clock skew and keeps, per CSB, the last counter it authenticated
(mikey.modes.replay). T enters the AES-CM IV (4.2.3) and the verification MAC (5.2)
as 64 bits with leading zeros (6.6 note).
"""

from __future__ import annotations

import hmac
from hashlib import sha1
from typing import Any

import pytest

from mikey.crypto import kemac_decrypt
from mikey.modes.base import Environment, Rejection
from mikey.modes.psk import PskResponder
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Responder
from mikey.ntp import ts_value_64, ts_value_64_bytes
from mikey.wire import (
    CommonHeader,
    DataType,
    ErrorNo,
    Kemac,
    Message,
    Timestamp,
    TsType,
    decode_key_data,
    decode_message,
)
from tests.modes.pairs import ALICE, BOB, Pair, make_pair
from tests.modes.pk_pairs import make_pk_pair

HIGH = 0xF00D_0001
EVERY_TS_TYPE = frozenset(TsType)


def counter_pair(**changes: Any) -> Pair:
    """A PSK pair whose initiator stamps COUNTER from HIGH and whose responder takes it."""
    pair = make_pair(ts_type=TsType.COUNTER, **changes)
    pair.initiator.env.counter_start = HIGH
    pair.responder.env.ts_types = EVERY_TS_TYPE
    return pair


def test_a_counter_counts_on_from_its_start_and_wraps() -> None:
    env = Environment(clock=lambda: 1000.0, counter_start=0xFFFF_FFFE)
    values = [env.timestamp(TsType.COUNTER).value for _ in range(3)]
    assert values == [0xFFFF_FFFE, 0xFFFF_FFFF, 0]


def test_a_counter_is_padded_with_leading_zeros() -> None:
    t = Timestamp(TsType.COUNTER, HIGH)
    assert ts_value_64(t) == HIGH  # not sign-extended, not in the upper half
    assert ts_value_64_bytes(t) == bytes(4) + HIGH.to_bytes(4, "big")
    with pytest.raises(ValueError):
        ts_value_64(Timestamp(TsType.COUNTER, 1 << 32))


def test_a_counter_exchange_is_taken_and_verified() -> None:
    pair = counter_pair()
    data = pair.initiator.start()
    assert decode_message(data).first(Timestamp) == Timestamp(TsType.COUNTER, HIGH)
    reply = pair.responder.receive(data)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    assert pair.initiator.receive(reply.message).accepted
    assert pair.initiator.csb is not None and pair.responder.last_csb is not None
    assert pair.initiator.csb.srtp_keys(1) == pair.responder.last_csb.srtp_keys(1)


def test_the_kemac_iv_takes_the_counter_with_leading_zeros() -> None:
    """4.2.3: IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000, T = 0x00000000 || counter."""
    pair = counter_pair()
    msg = decode_message(pair.initiator.start())
    kemac, keys = msg.all(Kemac)[0], pair.initiator.keys
    csb_id = msg.hdr.csb_id
    csb = pair.initiator.latest_csb
    assert keys is not None and csb is not None
    plain = kemac_decrypt(kemac.encr_alg, keys, csb_id, HIGH, kemac.encr_data)
    assert decode_key_data(plain) == csb.key_data
    shifted = kemac_decrypt(kemac.encr_alg, keys, csb_id, HIGH << 32, kemac.encr_data)
    assert shifted != plain


def test_v_takes_the_counter_as_8_bytes_with_leading_zeros() -> None:
    """5.2: V = MAC(R_MESSAGE || IDi || IDr || T), T the 64-bit value (psk_common)."""
    pair = counter_pair()
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.message is not None and pair.initiator.keys is not None
    covered = reply.message[:-20] + ALICE.data + BOB.data + bytes(4) + HIGH.to_bytes(4, "big")
    tag = hmac.new(pair.initiator.keys.auth_key, covered, sha1).digest()
    assert reply.message[-20:] == tag


def test_a_counter_needs_no_clock() -> None:
    """No skew check: the responder's clock may be anywhere."""
    pair = counter_pair()
    data = pair.initiator.start()
    pair.clock.now += 10 * 365 * 86400.0
    assert pair.responder.receive(data).outcome.accepted


def test_a_responder_without_counter_in_its_policy_says_invalid_ts() -> None:
    pair = counter_pair()
    pair.responder.env.ts_types = frozenset({TsType.NTP_UTC, TsType.NTP})
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.error == ErrorNo.INVALID_TS


def test_a_mode_that_forbids_counter_refuses_it_whatever_the_policy() -> None:
    """The mode's ts_types bound the policy (e.g. RFC 6509 2.2.1 allows NTP types only)."""
    responder = Responder(Environment(ts_types=EVERY_TS_TYPE))
    hdr = CommonHeader(DataType.PSK_INIT, 1)
    with pytest.raises(Rejection) as caught:
        responder.check_timestamp(Message(hdr, (Timestamp(TsType.COUNTER, HIGH),)))
    assert caught.value.error == ErrorNo.INVALID_TS
    assert TsType.COUNTER in PskResponder.ts_types


def test_a_replayed_counter_message_is_discarded_silently() -> None:
    pair = counter_pair()
    data = pair.initiator.start()
    assert pair.responder.receive(data).outcome.accepted
    again = pair.responder.receive(data)
    assert not again.outcome.accepted and again.outcome.error is None
    assert again.message is None


def test_updates_need_a_later_counter() -> None:
    """Per CSB the counter must go up: an update overtaken by a later one is discarded."""
    pair = counter_pair(v=False)
    assert pair.responder.receive(pair.initiator.start()).outcome.accepted
    first = pair.initiator.start_update()
    second = pair.initiator.start_update()
    assert pair.responder.receive(second).outcome.accepted
    late = pair.responder.receive(first)
    assert not late.outcome.accepted and late.outcome.error is None


def test_a_pk_counter_exchange_is_taken_and_verified() -> None:
    pair = make_pk_pair(transport={"ts_type": TsType.COUNTER})
    pair.initiator.env.counter_start = HIGH
    pair.responder.env.ts_types = EVERY_TS_TYPE
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    assert pair.initiator.receive(reply.message).accepted


# -- the replay cache's counter marks ----------------------------------------------------


def counter(value: int) -> Timestamp:
    return Timestamp(TsType.COUNTER, value)


def test_a_counter_mark_is_per_csb_and_serial() -> None:
    cache = ReplayCache()
    assert not cache.seen(b"a", 7, counter(HIGH))
    cache.add(b"a", 7, counter(HIGH), expires=0.0)
    assert cache.seen(b"other bytes", 7, counter(HIGH))  # not later: the same counter
    assert cache.seen(b"b", 7, counter(HIGH - 1))
    assert not cache.seen(b"b", 7, counter(HIGH + 1))
    assert not cache.seen(b"a", 8, counter(HIGH))  # another CSB
    cache.add(b"c", 9, counter(0xFFFF_FFFF), expires=0.0)
    assert not cache.seen(b"d", 9, counter(0))  # RFC 1982: 0 follows 0xFFFFFFFF


def test_counter_marks_do_not_expire_and_count_towards_the_capacity() -> None:
    cache = ReplayCache(capacity=1)
    cache.add(b"a", 7, counter(5), expires=0.0)
    assert not cache.has_room(now=1e12)  # no clock ages a counter out
    assert cache.seen(b"a", 7, counter(5))
    cache.clear()
    assert len(cache) == 0 and not cache.seen(b"a", 7, counter(5))
