"""The replay cache (RFC 3830 5.3, 5.4)."""

from __future__ import annotations

import pytest

from mikey.modes.replay import ReplayCache
from mikey.wire import Timestamp, TsType

T1 = Timestamp(TsType.NTP_UTC, 1 << 40)
T2 = Timestamp(TsType.NTP_UTC, 2 << 40)


def test_a_remembered_message_is_seen() -> None:
    cache = ReplayCache()
    assert not cache.seen(b"message", 7, T1)
    cache.add(b"message", 7, T1, expires=100.0)
    assert cache.seen(b"message", 7, T1)


def test_same_csb_id_and_timestamp_is_a_replay_even_with_other_bytes() -> None:
    """5.2: each initiator message has a unique timestamp."""
    cache = ReplayCache()
    cache.add(b"message", 7, T1, expires=100.0)
    assert cache.seen(b"other bytes", 7, T1)
    assert not cache.seen(b"other bytes", 8, T1)
    assert not cache.seen(b"other bytes", 7, T2)


def test_entries_expire_with_the_skew_window() -> None:
    cache = ReplayCache()
    cache.add(b"message", 7, T1, expires=100.0)
    cache.purge(now=99.0)
    assert cache.seen(b"message", 7, T1)
    cache.purge(now=101.0)
    assert not cache.seen(b"message", 7, T1)
    assert len(cache) == 0


def test_a_full_cache_refuses_instead_of_forgetting() -> None:
    """5.4: a host that loses track rejects all requests until the skew has passed."""
    cache = ReplayCache(capacity=2)
    cache.add(b"a", 1, T1, expires=100.0)
    cache.add(b"b", 2, T1, expires=200.0)
    assert not cache.has_room(now=50.0)
    with pytest.raises(OverflowError):
        cache.add(b"c", 3, T1, expires=300.0)
    assert cache.seen(b"a", 1, T1) and cache.seen(b"b", 2, T1)
    assert cache.has_room(now=150.0)  # "a" has expired
    assert not cache.seen(b"a", 1, T1)


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        ReplayCache(capacity=0)
