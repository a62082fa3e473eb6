"""NTP timestamps (RFC 3830 4.2.8, 6.6): conversion, the 2036 era wrap, COUNTER padding."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mikey.ntp import (
    ERA,
    NTP_UNIX_OFFSET,
    later,
    ntp_from_unix,
    ts_value_64_bytes,
    ts_value_bytes,
    unix_from_ntp,
)
from mikey.wire import Timestamp, TsType

ERA_1_START = ERA - NTP_UNIX_OFFSET  # 2036-02-07 06:28:16 UTC as Unix seconds


def test_unix_epoch_is_ntp_2208988800() -> None:
    assert ntp_from_unix(0.0) == NTP_UNIX_OFFSET << 32
    assert unix_from_ntp(NTP_UNIX_OFFSET << 32, pivot=0.0) == 0.0


def test_fraction_is_in_units_of_2_to_the_minus_32() -> None:
    assert ntp_from_unix(0.5) & 0xFFFFFFFF == 1 << 31
    assert ntp_from_unix(0.25) & 0xFFFFFFFF == 1 << 30


def test_the_era_wraps_in_2036() -> None:
    assert ntp_from_unix(ERA_1_START - 1) >> 32 == 0xFFFFFFFF
    assert ntp_from_unix(ERA_1_START) >> 32 == 0
    assert ntp_from_unix(ERA_1_START + 10) == 10 << 32


def test_decoding_picks_the_era_nearest_the_pivot() -> None:
    just_after_wrap = ntp_from_unix(ERA_1_START + 5)
    just_before_wrap = ntp_from_unix(ERA_1_START - 5)
    # A receiver just before the wrap reads a sender just after it as 2036, not 1900.
    assert unix_from_ntp(just_after_wrap, pivot=ERA_1_START - 3) == ERA_1_START + 5
    # A receiver just after the wrap reads a sender just before it as 2036, not 2172.
    assert unix_from_ntp(just_before_wrap, pivot=ERA_1_START + 3) == ERA_1_START - 5


@settings(max_examples=300, deadline=None)
@given(
    t=st.floats(min_value=-2e9, max_value=6e9, allow_nan=False),
    skew=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
)
def test_round_trip_within_68_years_of_the_pivot(t: float, skew: float) -> None:
    back = unix_from_ntp(ntp_from_unix(t), pivot=t + skew)
    assert abs(back - t) < 1e-6 * max(1.0, abs(t)) + 2**-31


def test_later_compares_across_the_wrap() -> None:
    assert later(1, 0)
    assert not later(0, 1)
    assert not later(5, 5)
    assert later(0, (1 << 64) - 1)  # one tick after the last value of the era
    assert later(3, 0xFFFFFFFE, bits=32)


def test_ts_value_bytes_are_as_transported() -> None:
    assert ts_value_bytes(Timestamp(TsType.NTP_UTC, 0x0102030405060708)) == bytes(range(1, 9))
    assert ts_value_bytes(Timestamp(TsType.COUNTER, 0x0A0B0C0D)) == b"\x0a\x0b\x0c\x0d"


def test_counter_is_padded_to_64_bits_for_the_prf() -> None:
    """6.6 note: COUNTER SHALL be padded with leading zeros to 64 bits for the PRF."""
    assert (
        ts_value_64_bytes(Timestamp(TsType.COUNTER, 0x0A0B0C0D)) == bytes(4) + b"\x0a\x0b\x0c\x0d"
    )
    ntp = Timestamp(TsType.NTP, 0x0102030405060708)
    assert ts_value_64_bytes(ntp) == bytes(range(1, 9))
