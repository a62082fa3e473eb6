"""A PSK initiator and responder on one fake clock with seeded randomness."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings
from mikey.wire import Id, IdType, Message, decode_message, payload_offsets

NOW = 1_750_000_000.0
PSK = bytes(range(1, 17))
ALICE = Id(IdType.URI, b"sip:alice@mikey.test")
BOB = Id(IdType.URI, b"sip:bob@mikey.test")


@dataclass
class Clock:
    now: float = NOW

    def __call__(self) -> float:
        return self.now


def environment(clock: Clock, seed: int, max_skew: float = 300.0) -> Environment:
    return Environment(clock=clock, random=random.Random(seed).randbytes, max_skew=max_skew)


def psk_settings(**changes: Any) -> PskSettings:
    return PskSettings(**{"psk": PSK, "id_i": ALICE, "id_r": BOB, **changes})


@dataclass
class Pair:
    """Both parties of one PSK exchange, each with its own environment on one clock."""

    initiator: PskInitiator
    responder: PskResponder
    clock: Clock = field(default_factory=Clock)


def make_pair(responder_changes: dict[str, Any] | None = None, **changes: Any) -> Pair:
    clock = Clock()
    settings = psk_settings(**changes)
    responder_settings = replace(settings, **(responder_changes or {}))
    return Pair(
        PskInitiator(settings, environment(clock, 1)),
        PskResponder(responder_settings, environment(clock, 2)),
        clock,
    )


def offset_of(data: bytes, kind: type) -> int:
    """The byte offset of the first payload of class `kind` in message bytes."""
    msg: Message = decode_message(data)
    index = next(i for i, p in enumerate(msg.payloads) if isinstance(p, kind))
    return payload_offsets(msg)[index]


def resealed(pair: Pair, data: bytes) -> bytes:
    """Message bytes with their trailing HMAC-SHA-1 field made valid by the initiator."""
    body = data[:-20]
    return body + pair.initiator.mac_over(body)
