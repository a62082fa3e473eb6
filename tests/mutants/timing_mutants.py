"""Timestamp window and replay mutants, in every mode with T (RFC 3830 5.3, 5.4).

Each breakage is written once, against the mode-independent responder (mikey/modes/
responder.py) or the PSK one the PK and DH-family responders stand on, and registered
per mode as `<prefix>_<name>` under that mode's requirement ID, the one
conformance.timing_checks.MODES cites for the test it must fail:

- the window too strict on one side: a T inside the SUT's skew window is refused
  (test_a_timestamp_inside_the_clock_skew_is_taken[<mode>-stale|future]);
- the window too lax on one side: a T just outside is taken
  (test_a_timestamp_outside_the_clock_skew_is_refused[<mode>-stale|future]); the lax
  margins are narrow (10 s past) or one-sided (600 s ahead), so only a test close to the
  edge on that side kills them;
- the replay cache not consulted for updates, or for initial messages
  (test_a_replayed_message_is_refused[<mode>-update|initial]);
- forged messages put into the replay cache before their MAC or signature is checked
  (test_a_forgery_does_not_poison_the_replay_cache[<mode>]; PSK's is in psk_mutants.py);
- as initiator, the answer's T checked against the clock's window instead of against the
  T it sent (test_timing_initiator.py, test_an_answer_with_another_timestamp_is_refused).

RSA-R and MIKEY-SAKKE have no updates; their responders with no replay cache at all are
in rsar_mutants.py and sakke_mutants.py.
"""

from __future__ import annotations

from collections.abc import Callable

from conformance.timing_checks import AUTHENTICATED_ONLY
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Responder
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.wire import ErrorNo, Message, Rand, Timestamp
from suts.base import Profile, Sut
from suts.builtin import (
    BuiltinSut,
    bindings_with,
    dh_binding,
    dhhmac_binding,
    pk_binding,
    psk_binding,
    rsar_binding,
    sakke_binding,
)
from suts.builtin_modes import Binder
from tests.mutants.bank import mutant

WINDOW = "RFC3830-5.4-timestamp-window"
MODES: dict[str, tuple[str, Binder, str, str]] = {
    # mode: (prefix, binder, the "inside" rule, the "outside" rule)
    "PSK": ("psk", psk_binding, WINDOW, WINDOW),
    "PK": ("pk", pk_binding, WINDOW, WINDOW),
    "DH": ("dh", dh_binding, WINDOW, WINDOW),
    "DH-HMAC": (
        "dhhmac",
        dhhmac_binding,
        "RFC4650-5.3-replay-protection",
        "RFC4650-5.3-replay-protection",
    ),
    "RSA-R": ("rsar", rsar_binding, "RFC4738-3.5-r-message-sent", WINDOW),
    "SAKKE": (
        "sakke",
        sakke_binding,
        "RFC6509-2.2.2-rfc3830-processing",
        "RFC6509-2.2.2-rfc3830-processing",
    ),
}
REPLAY = {
    "PSK": "RFC3830-5.4-replay",
    "PK": "RFC3830-5.4-replay",
    "DH": "RFC3830-5.4-replay",
    "DH-HMAC": "RFC4650-5.3-replay-protection",
}
"""The modes with updates (RFC 3830 4.5, RFC 4650 3.1), and their replay rule."""


def register(mode: str, name: str, breakage: type, breaks: str, what: str) -> None:
    """Register `breakage` mixed into `mode`'s builtin responder (or initiator, when it is
    an initiator's breakage) as `<prefix>_<name>`."""
    prefix, binder, _, _ = MODES[mode]
    initiator = not issubclass(breakage, Responder)

    def factory(profile: Profile) -> Sut:
        if initiator:
            machine = type(breakage.__name__, (breakage, binder.initiator), {})
            binding = binder(initiator_class=machine)
        else:
            machine = type(breakage.__name__, (breakage, binder.responder), {})
            binding = binder(responder_class=machine)
        return BuiltinSut(profile=profile, bindings=bindings_with(mode, binding))

    factory.__name__ = factory.__qualname__ = f"{prefix}_{name}"
    factory.__module__ = __name__
    role = "initiator" if initiator else "responder"
    mutant(breaks, f"{mode} {role}: {what}")(factory)


def _age(responder: Responder, msg: Message) -> float | None:
    """How old the message's T is, in seconds (None: no T, or a COUNTER)."""
    t = msg.first(Timestamp)
    return None if t is None else responder.env.age(t)


# -- the window, too strict on one side ---------------------------------------------------


class _HalfSkewPast(Responder):
    def check_timestamp(self, msg: Message) -> None:
        super().check_timestamp(msg)
        age = _age(self, msg)
        if age is not None and age > self.env.max_skew / 2:
            raise Rejection(ErrorNo.INVALID_TS, "older than half the clock skew")


class _TenSecondsAhead(Responder):
    def check_timestamp(self, msg: Message) -> None:
        super().check_timestamp(msg)
        age = _age(self, msg)
        if age is not None and age < -10.0:
            raise Rejection(ErrorNo.INVALID_TS, "more than 10 s ahead of its clock")


# -- the window, too lax on one side ------------------------------------------------------


def _grace(lowest: Callable[[float], float], highest: Callable[[float], float]) -> type[Responder]:
    """A responder that also takes an age in [lowest(skew), highest(skew)]."""

    class _Grace(Responder):
        def check_timestamp(self, msg: Message) -> None:
            age = _age(self, msg)
            skew = self.env.max_skew
            if age is not None and lowest(skew) <= age <= highest(skew):
                return
            super().check_timestamp(msg)

    return _Grace


_TenSecondsGracePast = _grace(lambda s: s, lambda s: s + 10.0)
_TenMinutesGraceAhead = _grace(lambda s: -s - 600.0, lambda s: -s)


# -- the replay cache ---------------------------------------------------------------------


class _NoReplayCacheForUpdates(PskResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        if msg.first(Rand) is not None:  # an initial message: checked; an update: not
            super().check_replay(data, msg)


class _ReplaysInitialMessages(PskResponder):
    """Takes a repeat of an initial message as a retransmission and sets its CSB up anew."""

    repeat = False

    def check_replay(self, data: bytes, msg: Message) -> None:
        t = msg.first(Timestamp)
        seen = t is not None and self.replay.seen(data, msg.hdr.csb_id, t)
        self.repeat = seen and msg.first(Rand) is not None
        if not self.repeat:
            super().check_replay(data, msg)

    def check_csb(self, msg: Message) -> Csb | None:
        if self.repeat:
            return None  # its CSB ID is in use: by the copied message itself
        return super().check_csb(msg)


# -- the initiator: the answer's T against the clock, not against the T it sent ----------


def _within_the_skew(env: Environment, msg: Message) -> None:
    t = msg.first(Timestamp)
    age = None if t is None else env.age(t)
    if age is None or abs(age) > env.max_skew:
        raise Rejection(ErrorNo.INVALID_TS, "T outside the clock skew")


class _PskClockT(PskInitiator):
    def check_timestamp(self, msg: Message, sent: Message) -> None:
        _within_the_skew(self.env, msg)


class _RsaRClockT(RsaRInitiator):
    def check_timestamp(self, msg: Message, sent: Message) -> None:
        _within_the_skew(self.env, msg)


ANSWER_T = {
    "PSK": (_PskClockT, "RFC3830-5.2-verification-mac"),
    "PK": (_PskClockT, "RFC3830-5.2-verification-mac"),
    "DH": (_PskClockT, "RFC3830-3.3-responder-timestamp"),
    "DH-HMAC": (_PskClockT, "RFC4650-5.3-replay-protection"),
    "RSA-R": (_RsaRClockT, "RFC4738-3.6-t-same"),
}
"""The modes whose Initiator takes an answer, the breakage and the rule it breaks there."""

for _mode, (_clock_t, _rule) in ANSWER_T.items():
    register(_mode, "initiator_takes_any_answer_t_within_the_skew", _clock_t, _rule,
             "takes an answer whose T is within its clock skew, not only its own T")  # fmt: skip
for _mode, (_, _, _inside, _outside) in MODES.items():
    register(_mode, "refuses_stale_timestamps_within_the_skew", _HalfSkewPast, _inside,
             "refuses a T older than half its clock skew")  # fmt: skip
    register(_mode, "refuses_future_timestamps_within_the_skew", _TenSecondsAhead, _inside,
             "refuses a T more than 10 s ahead of its clock")  # fmt: skip
    register(_mode, "takes_stale_timestamps_past_the_skew", _TenSecondsGracePast, _outside,
             "takes a T up to 10 s older than its clock skew allows")  # fmt: skip
    register(_mode, "takes_future_timestamps_past_the_skew", _TenMinutesGraceAhead, _outside,
             "takes a T up to skew + 600 s in the future")  # fmt: skip
for _mode, _replay in REPLAY.items():
    register(_mode, "has_no_replay_cache_for_updates", _NoReplayCacheForUpdates, _replay,
             "does not look an update up in its replay cache")  # fmt: skip
    register(_mode, "reprocesses_a_replayed_initial_message", _ReplaysInitialMessages, _replay,
             "processes a repeat of an initial message again")  # fmt: skip


class _CachesBeforeAuth(Responder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        super().check_replay(data, msg)
        self.remember(data, msg)  # before the MAC or signature is verified: 5.3 forbids it


CACHES_ALL = "puts every message into its replay cache, forged or not"
for _mode in ("PK", "DH", "DH-HMAC", "RSA-R", "SAKKE"):  # PSK's: caches_unauthenticated
    register(_mode, "caches_unauthenticated_messages", _CachesBeforeAuth,
             AUTHENTICATED_ONLY[_mode], CACHES_ALL)  # fmt: skip
