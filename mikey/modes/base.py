"""What every mode's state machines share: the environment, outcomes, rejections.

The modes are sans-I/O: they take bytes and return bytes. Time and randomness
come from an `Environment`, so tests can fix both.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mikey.ntp import NTP_TYPES, later, ntp_from_unix, ts_value_64, unix_from_ntp
from mikey.pki import Fetch
from mikey.wire.payloads import Timestamp
from mikey.wire.registry import TS_VALUE_LENGTH, ErrorNo, TsType


@dataclass
class Environment:
    """A party's clock, random source and timestamp policy.

    `clock` returns Unix seconds (UTC); `random(n)` returns n random bytes and
    MUST be cryptographically secure (RFC 3830 4.2.2); `max_skew` is the
    allowable clock skew in seconds, "set by the local policy" (5.3, 5.4);
    `ts_types` are the TS types the party takes (Table 6.6: NTP-UTC and NTP are
    mandatory, COUNTER optional), as far as the mode allows them
    (Responder.ts_types); `counter_start` is the first COUNTER it stamps (None:
    the clock's seconds); `fetch` gets the certificate an X.509v3 URL CERT names
    (RFC 4738 3.8; mikey.pki), None: the party fetches nothing and such a CERT is
    Invalid Cert.
    """

    clock: Callable[[], float] = time.time
    random: Callable[[int], bytes] = os.urandom
    max_skew: float = 300.0
    fetch: Fetch | None = None
    ts_types: frozenset[TsType] = NTP_TYPES
    counter_start: int | None = None
    _last: dict[TsType, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def timestamp(self, ts_type: TsType = TsType.NTP_UTC) -> Timestamp:
        """A fresh T for an outgoing message, later than every T this environment gave.

        RFC 3830 5.2: "all messages from the Initiator MUST use a unique
        timestamp". If the clock has not moved on (or went back), the value is
        the previous one plus one unit. NTP and NTP-UTC both read `clock` (UTC,
        as 4.2.8 recommends); a COUNTER counts on from `counter_start`, or else
        follows the clock's seconds.
        """
        bits = TS_VALUE_LENGTH[ts_type] * 8
        now = self.clock()
        last = self._last.get(ts_type)
        if ts_type in NTP_TYPES:
            value = ntp_from_unix(now)
        elif self.counter_start is not None:
            value = (self.counter_start if last is None else last + 1) % (1 << bits)
        else:
            value = int(now) % (1 << bits)
        if last is not None and not later(value, last, bits):
            value = (last + 1) % (1 << bits)
        self._last[ts_type] = value
        return Timestamp(ts_type, value)

    def age(self, t: Timestamp) -> float | None:
        """How many seconds before now `t` was stamped (negative: in the future).

        None for a COUNTER, which carries no time.
        """
        if t.ts_type not in NTP_TYPES:
            return None
        now = self.clock()
        return now - unix_from_ntp(t.value, now)


class TimestampInput:
    """Where a party's T enters a computation: the AES-CM IV of the KEMAC (RFC 3830
    4.2.3) and the verification MAC's trailer (5.2). It enters as its 64-bit number,
    a COUNTER padded with leading zeros (6.6 note; mikey.ntp.ts_value_64). One
    method, shared by the initiators and responders that compute with T, so the
    rule is kept once (and a variant changes it in one place)."""

    def timestamp_input(self, t: Timestamp) -> int:
        """T as the IV and the verification MAC take it: 64 bits (6.6, 4.2.3, 5.2)."""
        return ts_value_64(t)


@dataclass(frozen=True)
class Outcome:
    """What a party did with a message it received.

    `error` is the Table 6.12 number (RFC 3830 6.12) that names the fault: for
    a responder, the one it reported in its Error message (or would have, when
    it stayed silent); for an initiator, the one the peer's Error message named,
    or the one that classifies its own rejection. `reason` cites the RFC section.
    """

    accepted: bool
    error: ErrorNo | None = None
    reason: str = ""


@dataclass(frozen=True)
class Reply:
    """A responder's answer to one message: what it sends back (None: nothing)."""

    message: bytes | None
    outcome: Outcome


class Rejection(Exception):
    """A check failed: the message is not taken (RFC 3830 5.3 "discard").

    `error` is the Table 6.12 number to report in an Error message (5.1.2);
    None means discard silently (no Error message). `reason` cites the RFC.
    """

    def __init__(self, error: ErrorNo | None, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason
