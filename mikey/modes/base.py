"""What every mode's state machines share: the environment, outcomes, rejections.

The modes are sans-I/O: they take bytes and return bytes. Time and randomness
come from an `Environment`, so tests can fix both.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mikey.ntp import NTP_TYPES, later, ntp_from_unix, unix_from_ntp
from mikey.pki import Fetch
from mikey.wire.payloads import Timestamp
from mikey.wire.registry import TS_VALUE_LENGTH, ErrorNo, TsType


@dataclass
class Environment:
    """A party's clock, random source and allowed clock skew.

    `clock` returns Unix seconds (UTC); `random(n)` returns n random bytes and
    MUST be cryptographically secure (RFC 3830 4.2.2); `max_skew` is the
    allowable clock skew in seconds, "set by the local policy" (5.3, 5.4);
    `fetch` gets the certificate an X.509v3 URL CERT names (RFC 4738 3.8;
    mikey.pki), None: the party fetches nothing and such a CERT is Invalid Cert.
    """

    clock: Callable[[], float] = time.time
    random: Callable[[int], bytes] = os.urandom
    max_skew: float = 300.0
    fetch: Fetch | None = None
    _last: dict[TsType, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def timestamp(self, ts_type: TsType = TsType.NTP_UTC) -> Timestamp:
        """A fresh T for an outgoing message, later than every T this environment gave.

        RFC 3830 5.2: "all messages from the Initiator MUST use a unique
        timestamp". If the clock has not moved on (or went back), the value is
        the previous one plus one unit. NTP and NTP-UTC both read `clock` (UTC,
        as 4.2.8 recommends); a COUNTER starts from the clock's seconds.
        """
        bits = TS_VALUE_LENGTH[ts_type] * 8
        now = self.clock()
        value = ntp_from_unix(now) if ts_type in NTP_TYPES else int(now) % (1 << bits)
        last = self._last.get(ts_type)
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
