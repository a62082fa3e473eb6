"""NTP timestamps for the MIKEY T payload (RFC 3830 4.2.8, 6.6).

An NTP timestamp is a 64-bit number: 32 bits of seconds since 0h UTC on
1 January 1900 and 32 bits of fraction (RFC 5905 6). Its seconds field
overflows every 2**32 s, about 136 years; the first overflow ("era 1") is at
2036-02-07 06:28:16 UTC. RFC 3830 4.2.8: an implementation "MUST be aware of
(and take into account)" that overflow. We handle it the way NTP itself does
(RFC 5905 6, RFC 4330 3): the era is not carried on the wire, so

- encoding keeps the seconds modulo 2**32 (the value in era 1 starts at 0 again);
- decoding needs a pivot, a Unix time known to be near the timestamp (the
  receiver's clock), and picks the era that puts the timestamp within 2**31 s
  (68 years) of it. So a 2035 clock reads a 2036-after-wrap timestamp as 2036,
  and a 2037 clock reads a 2035 timestamp as 2035, not as 2171.

COUNTER timestamps (TS type 2) are 32 bits; "COUNTER SHALL be padded (with
leading zeros) to a 64-bit value when used as input for the default PRF"
(RFC 3830 6.6 note). `ts_value_64` is that 64-bit form, and it is what every
computation that takes T takes: the AES-CM IV ("T is the 64-bit timestamp sent
by the Initiator", 4.2.3) and the verification MAC's trailer (5.2; see
mikey.modes.psk_common). The T payload itself carries the 4 bytes (`ts_value_bytes`).
"""

from __future__ import annotations

import math

from mikey.wire.payloads import Timestamp
from mikey.wire.registry import TS_VALUE_LENGTH, TsType

NTP_UNIX_OFFSET = 2_208_988_800
"""Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (the Unix epoch)."""

ERA = 1 << 32
"""Seconds in one NTP era (the span of the 32-bit seconds field)."""

FRACTION = 1 << 32
"""Units of the 32-bit fraction field per second."""

NTP_TYPES = frozenset({TsType.NTP_UTC, TsType.NTP})
"""TS types whose value is a 64-bit NTP timestamp (Table 6.6)."""


def ntp_from_unix(unix_seconds: float) -> int:
    """The 64-bit NTP timestamp of a Unix time; the era is dropped (seconds mod 2**32)."""
    whole = math.floor(unix_seconds)
    fraction = min(int((unix_seconds - whole) * FRACTION), FRACTION - 1)
    return ((whole + NTP_UNIX_OFFSET) % ERA) << 32 | fraction


def unix_from_ntp(value: int, pivot: float) -> float:
    """The Unix time of NTP timestamp `value` in the era nearest to `pivot` (Unix s)."""
    if not 0 <= value < 1 << 64:
        raise ValueError(f"NTP timestamp {value} does not fit 64 bits")
    era0 = (value >> 32) + (value & (FRACTION - 1)) / FRACTION - NTP_UNIX_OFFSET
    eras = round((pivot - era0) / ERA)
    return era0 + eras * ERA


def later(value: int, last: int, bits: int = 64) -> bool:
    """Whether `value` comes after `last` on a `bits`-bit clock that wraps (an era change).

    Serial-number comparison (RFC 1982 3.2): `value` is later when it lies less
    than half the number space ahead of `last`.
    """
    delta = (value - last) % (1 << bits)
    return 0 < delta < 1 << (bits - 1)


def ts_value_bytes(t: Timestamp) -> bytes:
    """The TS value field exactly as the T payload carries it (8 or 4 bytes, Table 6.6)."""
    return t.value.to_bytes(TS_VALUE_LENGTH[t.ts_type], "big")


def ts_value_64(t: Timestamp) -> int:
    """T as the 64-bit number the computations take (6.6 note, 4.2.3, 5.2).

    An NTP value is already 64 bits; a 32-bit COUNTER is padded with leading zeros
    (never sign-extended, never shifted into the high half).
    """
    bits = TS_VALUE_LENGTH[t.ts_type] * 8
    if not 0 <= t.value < 1 << bits:
        raise ValueError(f"{t.ts_type.name} value {t.value} does not fit {bits} bits (Table 6.6)")
    return t.value


def ts_value_64_bytes(t: Timestamp) -> bytes:
    """`ts_value_64` as 8 bytes, network byte order (RFC 3830 6)."""
    return ts_value_64(t).to_bytes(8, "big")
