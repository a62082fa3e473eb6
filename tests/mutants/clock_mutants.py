"""Clock mutants: a SUT whose NTP timestamps count from the wrong epoch (RFC 3830 6.6).

An NTP timestamp counts seconds from 1900-01-01 (RFC 5905 6); a common bug writes Unix
seconds (from 1970) into it. `wrong_epoch` is the builtin SUT with that bug throughout:
every T it stamps is 70 years old, and every current T it reads looks 70 years ahead, so
as responder it refuses each valid message with Invalid TS (RFC 3830 5.4, the window:
test_a_timestamp_inside_the_clock_skew_is_taken), and as initiator its T is no current
time (5.4, a loosely synchronized clock: test_the_i_message_timestamp_is_the_current_time);
registered once per rule. It is also the project's one-bug SUT
(tests/report/test_one_bug.py): every other test it touches is only blocked by that rule,
and must come out inconclusive, naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from mikey.modes.base import Environment
from mikey.ntp import NTP_TYPES, NTP_UNIX_OFFSET
from mikey.wire import Timestamp, TsType
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant

EPOCH_SHIFT = NTP_UNIX_OFFSET << 32
"""The bug, in NTP units: 70 years of seconds, left out when stamping, added when reading."""


@dataclass
class WrongEpochEnvironment(Environment):
    """Its clock is right (certificates still validate); its NTP arithmetic is not."""

    def timestamp(self, ts_type: TsType = TsType.NTP_UTC) -> Timestamp:
        t = super().timestamp(ts_type)
        if t.ts_type not in NTP_TYPES:
            return t
        return Timestamp(t.ts_type, (t.value - EPOCH_SHIFT) % (1 << 64))

    def age(self, t: Timestamp) -> float | None:
        if t.ts_type not in NTP_TYPES:
            return super().age(t)
        return super().age(Timestamp(t.ts_type, (t.value + EPOCH_SHIFT) % (1 << 64)))


@dataclass
class WrongEpochSut(BuiltinSut):
    """The builtin SUT, converting NTP timestamps as if NTP counted from the Unix epoch."""

    def environment(self) -> Environment:
        env = super().environment()
        init = {f.name: getattr(env, f.name) for f in fields(env) if f.init}
        return WrongEpochEnvironment(**init)


@mutant(
    "RFC3830-5.4-timestamp-window",
    "every mode: NTP timestamps counted from 1970, not 1900 (T 70 years off both ways)",
)
def wrong_epoch(profile: Profile) -> Sut:
    return WrongEpochSut(profile=profile)


@mutant(
    "RFC3830-5.4-loosely-synchronized-clock",
    "every mode: NTP timestamps counted from 1970, not 1900 (as initiator: T 70 years old)",
)
def wrong_epoch_initiator(profile: Profile) -> Sut:
    return WrongEpochSut(profile=profile)
