"""Freshness mutants: an initiator whose I_MESSAGEs repeat what each must make anew
(RFC 3830 5.2, 6.1, 6.11), in every mode but PSK (whose mutants, coarse_timestamps,
fixed_csb_id, fixed_rand and short_rand, are in psk_mutants.py).

Each changes a value where the initiator draws it, so the message, its keys and its MAC
or signature stay consistent; the tests of conformance/rfc3830/test_freshness_initiator.py
kill them: a clock that ticks every 64 s (T repeats), one CSB ID for every CSB, one RAND
for every CSB, and an 8-byte RAND.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from mikey.wire import Timestamp, TsType
from tests.mutants.timing_mutants import register

TICK = 64 << 32
"""64 seconds in a 64-bit NTP timestamp: the coarse clock's resolution."""
CSB_ID = 0x00C0FFEE


class _CoarseClock:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stamp = self.env.timestamp  # type: ignore[attr-defined]

        def coarse(ts_type: TsType = TsType.NTP_UTC) -> Timestamp:
            t = stamp(ts_type)
            return replace(t, value=t.value - t.value % TICK)

        self.env.timestamp = coarse  # type: ignore[attr-defined]


class _OneCsbId:
    def new_csb_id(self) -> int:
        return CSB_ID


class _RsaROneCsbId:
    def compose(self, csb_id: int | None = None) -> Any:
        return super().compose(CSB_ID if csb_id is None else csb_id)  # type: ignore[misc]


class _RandDraw:
    """The RAND draw (the first of RAND len bytes while an I_MESSAGE is composed) goes
    through `draw`."""

    def compose(self, *args: Any, **kwargs: Any) -> Any:
        env: Any = self.env  # type: ignore[attr-defined]
        real: Callable[[int], bytes] = env.random
        want = self.settings.rand_len  # type: ignore[attr-defined]
        drawn = False

        def random(n: int) -> bytes:
            nonlocal drawn
            if n == want and not drawn:
                drawn = True
                return self.draw(real, n)
            return real(n)

        env.random = random
        try:
            return super().compose(*args, **kwargs)  # type: ignore[misc]
        finally:
            env.random = real

    def draw(self, real: Callable[[int], bytes], n: int) -> bytes:
        raise NotImplementedError


class _OneRand(_RandDraw):
    def draw(self, real: Callable[[int], bytes], n: int) -> bytes:
        return b"\x42" * n


class _ShortRand(_RandDraw):
    def draw(self, real: Callable[[int], bytes], n: int) -> bytes:
        return real(8)


BREAKAGES = (
    ("stamps_with_a_coarse_clock", _CoarseClock, _CoarseClock, "RFC3830-5.2-unique-timestamp",
     "stamps with a 64-second clock: T repeats"),
    ("uses_one_csb_id", _OneCsbId, _RsaROneCsbId, "RFC3830-6.1-csb-id-unique",
     "uses one CSB ID for every CSB"),
    ("sends_one_rand", _OneRand, _OneRand, "RFC3830-6.11-rand-per-csb",
     "sends the same RAND for every CSB"),
    ("sends_a_short_rand", _ShortRand, _ShortRand, "RFC3830-6.11-rand-length-16",
     "sends an 8-byte RAND"),
)  # fmt: skip
"""(name, breakage, its RSA-R form, the rule it breaks, what it does)."""
for _mode in ("PK", "DH", "DH-HMAC", "RSA-R", "SAKKE"):
    for _name, _breakage, _rsar, _rule, _what in BREAKAGES:
        _machine = _rsar if _mode == "RSA-R" else _breakage
        register(_mode, f"initiator_{_name}", _machine, _rule, _what)
