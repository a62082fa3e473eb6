"""Payload count mutants found by mutation testing (docs/mutation.md).

- A PSK responder that refuses an I_MESSAGE with too many RAND and ID payloads only when
  both are too many (cosmic-ray's `or` -> `and` in PskResponder.check_payloads): a
  second RAND alone, or a third ID alone, is taken (RFC 3830 3.1). Killed by
  conformance/rfc3830/test_psk_payload_counts.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from mikey.modes.psk_responder import PskResponder
from mikey.wire import Id, Message, Payload, Rand
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.psk_mutants import with_responder

LIMITS = {Rand: 1, Id: 2}
"""At most one RAND and two IDs in a PSK I_MESSAGE (3.1)."""


def within_limits(msg: Message) -> Message:
    """`msg` without the RAND and ID payloads past LIMITS."""
    seen: Counter[type] = Counter()
    kept: list[Payload] = []
    for p in msg.payloads:
        seen[type(p)] += 1
        if seen[type(p)] <= LIMITS.get(type(p), seen[type(p)]):
            kept.append(p)
    return replace(msg, payloads=tuple(kept))


class _RefusesOnlyBoth(PskResponder):
    def check_payloads(self, msg: Message) -> None:
        counts = Counter(type(p) for p in msg.payloads)
        both = all(counts[kind] > limit for kind, limit in LIMITS.items())
        super().check_payloads(msg if both else within_limits(msg))


@mutant(
    "RFC3830-3.1-i-message-payloads",
    "refuses too many RAND and ID payloads only when both are too many",
)
def psk_takes_a_second_rand_or_third_id(profile: Profile) -> Sut:
    return with_responder(profile, _RefusesOnlyBoth)
