"""The Environment: injectable clock and randomness, unique timestamps (RFC 3830 5.2)."""

from __future__ import annotations

from mikey.modes.base import Environment
from mikey.ntp import ERA, NTP_UNIX_OFFSET, ntp_from_unix
from mikey.wire import TsType


def test_timestamps_follow_the_clock() -> None:
    env = Environment(clock=lambda: 1_700_000_000.25)
    t = env.timestamp()
    assert t.ts_type == TsType.NTP_UTC
    assert t.value == ntp_from_unix(1_700_000_000.25)


def test_timestamps_are_unique_when_the_clock_stands_still() -> None:
    """5.2: all messages from the Initiator MUST use a unique timestamp."""
    env = Environment(clock=lambda: 1_700_000_000.0)
    values = [env.timestamp().value for _ in range(5)]
    assert values == [values[0] + i for i in range(5)]


def test_timestamps_never_go_back_with_the_clock() -> None:
    now = [1_700_000_000.0]
    env = Environment(clock=lambda: now[0])
    first = env.timestamp().value
    now[0] -= 10
    assert env.timestamp().value == first + 1


def test_timestamps_stay_unique_across_the_2036_wrap() -> None:
    wrap = ERA - NTP_UNIX_OFFSET
    now = [wrap - 0.5]
    env = Environment(clock=lambda: now[0])
    before = env.timestamp().value
    now[0] = wrap + 0.5
    after = env.timestamp().value
    assert before >> 32 == 0xFFFFFFFF and after >> 32 == 0  # the new value is later


def test_counter_timestamps_count_up() -> None:
    env = Environment(clock=lambda: 1000.0)
    values = [env.timestamp(TsType.COUNTER).value for _ in range(3)]
    assert values == [1000, 1001, 1002]


def test_age_of_a_timestamp() -> None:
    now = [1_700_000_000.0]
    env = Environment(clock=lambda: now[0])
    t = env.timestamp()
    now[0] += 42
    age = env.age(t)
    assert age is not None and abs(age - 42) < 1e-6
    assert env.age(env.timestamp(TsType.COUNTER)) is None


def test_age_across_the_wrap() -> None:
    wrap = ERA - NTP_UNIX_OFFSET
    sender = Environment(clock=lambda: wrap - 1.0)
    receiver = Environment(clock=lambda: wrap + 2.0)
    age = receiver.age(sender.timestamp())
    assert age is not None and abs(age - 3.0) < 1e-6
