"""The responder's replay cache (RFC 3830 5.3, 5.4).

"Each Responder utilizes a replay cache in order to remember the successfully
authenticated messages presented within an allowable clock skew" (5.4), and
"only successfully authenticated messages are stored in the replay cache"
(5.3): callers add a message only after its MAC/signature verified.

A message is a replay when its bytes were seen (the 5.4 example stores "the
hash of the message"), or when another message had the same CSB ID and
timestamp: an initiator "MUST use a unique timestamp" for every message (5.2),
so a second authenticated message with both equal is not a fresh one.

An entry is kept until its timestamp leaves the skew window (`expires`): after
that the timestamp check alone rejects the message. The size is bounded; when
the cache is full it does not forget live entries (that would let a replay
through) but refuses new messages until entries expire — 5.4: "If the host
loses track of the incoming requests (e.g., due to overload), it rejects all
incoming requests until the clock skew interval has passed."

COUNTER timestamps (optional, Table 6.6) carry no time, so neither the skew
check nor the expiry above can apply to them; 5.4 names the way out: "If we
could assume an unlimited cache, the terminals would not need to be
synchronized at all (as the cache could then contain all previous messages)."
Our local policy for a COUNTER (5.4 leaves replay handling to "the local
policy"; 5.3 calls the procedure "implementation specific") keeps that
unlimited cache in one number per CSB: the last COUNTER of an authenticated
message for the CSB. A COUNTER message is a replay unless its counter is later
than that (serial-number comparison on 32 bits, RFC 1982 3.2, so a counter
may wrap). It covers every earlier message of the CSB, its initial one
included: a replay has the same CSB ID and a counter not later, and an
initiator "MUST use a unique timestamp" (5.2), which a counter meets by
counting up. The cost: messages of one CSB must arrive in order (the reference
initiator's counter only counts up; an update overtaken by a later one is
discarded). A mark lives as long as the cache does; it counts towards the
capacity, and a full cache refuses new messages as above (a responder that
expects many COUNTER CSBs sizes its cache for them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mikey.ntp import later
from mikey.wire.payloads import Timestamp
from mikey.wire.registry import TS_VALUE_LENGTH, TsType

COUNTER_BITS = TS_VALUE_LENGTH[TsType.COUNTER] * 8


@dataclass(frozen=True)
class ReplayEntry:
    digest: bytes
    csb_id: int
    timestamp: Timestamp
    expires: float  # Unix seconds


class ReplayCache:
    """Authenticated messages seen within the skew window, at most `capacity` of them."""

    def __init__(self, capacity: int = 4096) -> None:
        if capacity < 1:
            raise ValueError("a replay cache needs room for at least one message")
        self.capacity = capacity
        self._by_digest: dict[bytes, ReplayEntry] = {}
        self._by_stamp: dict[tuple[int, Timestamp], ReplayEntry] = {}
        self._counters: dict[int, int] = {}
        """CSB ID -> the last COUNTER of an authenticated message (module docstring)."""

    def __len__(self) -> int:
        return len(self._by_digest) + len(self._counters)

    @staticmethod
    def digest(data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    def purge(self, now: float) -> None:
        """Forget entries whose timestamp has left the skew window."""
        for entry in [e for e in self._by_digest.values() if e.expires < now]:
            self._forget(entry)

    def seen(self, data: bytes, csb_id: int, timestamp: Timestamp) -> bool:
        """Whether this message (or one with its CSB ID and timestamp) was taken before;
        for a COUNTER, whether its counter is not later than its CSB's last one."""
        if timestamp.ts_type == TsType.COUNTER:
            last = self._counters.get(csb_id)
            return last is not None and not later(timestamp.value, last, COUNTER_BITS)
        return self.digest(data) in self._by_digest or (csb_id, timestamp) in self._by_stamp

    def has_room(self, now: float) -> bool:
        """Whether a new message can be remembered (after forgetting expired ones)."""
        self.purge(now)
        return len(self) < self.capacity

    def add(self, data: bytes, csb_id: int, timestamp: Timestamp, expires: float) -> None:
        """Remember an authenticated message until `expires` (Unix seconds); a COUNTER
        message as its CSB's last counter, for as long as the cache lives."""
        if len(self) >= self.capacity:
            raise OverflowError("replay cache full (RFC 3830 5.4): check has_room() first")
        if timestamp.ts_type == TsType.COUNTER:
            self._counters[csb_id] = timestamp.value
            return
        entry = ReplayEntry(self.digest(data), csb_id, timestamp, expires)
        self._forget_key(entry)
        self._by_digest[entry.digest] = entry
        self._by_stamp[(csb_id, timestamp)] = entry

    def clear(self) -> None:
        self._by_digest.clear()
        self._by_stamp.clear()
        self._counters.clear()

    def _forget_key(self, entry: ReplayEntry) -> None:
        for old in (
            self._by_digest.get(entry.digest),
            self._by_stamp.get((entry.csb_id, entry.timestamp)),
        ):
            if old is not None:
                self._forget(old)

    def _forget(self, entry: ReplayEntry) -> None:
        self._by_digest.pop(entry.digest, None)
        self._by_stamp.pop((entry.csb_id, entry.timestamp), None)
