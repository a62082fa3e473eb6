"""Replay cache mutants found by mutation testing (docs/mutation.md), in every mode with
updates: each is killed by conformance/rfc3830/test_replay_cache_responder.py.

- A cache whose purge forgets the entries still inside the skew window instead of the
  expired ones (cosmic-ray's `e.expires < now` -> `e.expires > now` in
  mikey/modes/replay.py): the next message of another CSB wipes the cache, and a replay
  of an earlier update is taken (RFC 3830 5.4).
"""

from __future__ import annotations

from typing import Any

from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Responder
from tests.mutants.timing_mutants import REPLAY, register


class _ForgetsLiveEntries(ReplayCache):
    def purge(self, now: float) -> None:
        for entry in [e for e in self._by_digest.values() if e.expires > now]:
            self._forget(entry)


class _ForgetfulResponder(Responder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.replay = _ForgetsLiveEntries()


for _mode, _replay in REPLAY.items():
    register(_mode, "replay_cache_forgets_live_entries", _ForgetfulResponder, _replay,
             "forgets the messages inside the skew when it purges its replay cache")  # fmt: skip
