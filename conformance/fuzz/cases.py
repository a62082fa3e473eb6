"""Fuzz cases: what one test sends the SUT, drawn by Hypothesis, stored as a recipe.

Decoder role: a message, either generated valid by construction
(conformance.fuzz.strategies) or one of the seeds (the codec corpus, which
holds the RFC 4567 vectors of vectors/, and the messages of a reference PSK
exchange), usually mutated (conformance.fuzz.mutators). Its bytes are the case.

Responder role: a fresh reference PSK I_MESSAGE (RFC 3830 3.1) for drawn
exchange parameters, its randomness from a drawn seed, stamped with the time
the case runs (so the SUT's own clock finds it fresh, RFC 3830 5.4), then
mutated; `reseal` recomputes the MAC over the mutated bytes (5.2), so the
change reaches the checks behind the MAC. Replaying the recipe later builds
the same message (same CSB ID, RAND, keys) with a new timestamp.
"""

from __future__ import annotations

import functools
import random
import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from conformance.corpus import valid_samples
from conformance.fuzz import strategies as gen
from conformance.fuzz.layout import Layout, layout_of
from conformance.fuzz.mutators import Op, apply_ops, mutations, op_from_dict
from conformance.fuzz.roles import DECODER, RESPONDER
from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskResponder
from mikey.wire import (
    MAC_LENGTH,
    EncrAlg,
    KeyType,
    MacAlg,
    PayloadType,
    decode_message,
    encode_message,
)
from suts.base import ExchangeParams, Profile
from suts.builtin import settings_for


@functools.cache
def reference_exchange() -> tuple[tuple[str, bytes], ...]:
    """The messages of one reference PSK exchange (fixed clock and randomness)."""
    env = Environment(clock=lambda: 1.8e9, random=random.Random(3830).randbytes)
    settings = settings_for(Profile(), ExchangeParams())
    initiator = PskInitiator(settings, env)
    i_message = initiator.start()
    reply = PskResponder(settings, env).receive(i_message)
    assert reply.message is not None, reply.outcome.reason
    return (("psk-i-message", i_message), ("psk-r-message", reply.message))


@functools.cache
def seeds() -> tuple[tuple[str, Layout], ...]:
    """Every seed message by name, cut along its chain: the codec corpus and an exchange."""
    named = [(s.name, s.data) for s in valid_samples()] + list(reference_exchange())
    return tuple((name, layout_of(decode_message(data), data)) for name, data in named)


def seed_layout(name: str) -> Layout:
    """The seed called `name` (ValueError if there is none)."""
    for seed, layout in seeds():
        if seed == name:
            return layout
    raise ValueError(f"no fuzz seed called {name!r}")


def kinds_of(layout: Layout) -> frozenset[PayloadType]:
    return frozenset(s.kind for s in layout.segments)


@dataclass(frozen=True)
class DecoderCase:
    """Bytes for a SUT decoder, and how they were made."""

    source: str
    ops: tuple[Op, ...]
    data: bytes
    kinds: frozenset[PayloadType] = field(default=frozenset(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"role": DECODER, "source": self.source, "ops": [o.to_dict() for o in self.ops],
                "data": self.data.hex()}  # fmt: skip


@st.composite
def generated_layouts(draw: st.DrawFn) -> tuple[str, Layout]:
    msg = draw(gen.messages())
    return "generated", layout_of(msg, encode_message(msg))


@st.composite
def decoder_cases(draw: st.DrawFn) -> DecoderCase:
    """A generated or seed message, mutated four times in five."""
    pool = seeds()
    source, layout = draw(st.one_of(st.sampled_from(pool), generated_layouts()))
    ops: tuple[Op, ...] = ()
    if draw(st.integers(0, 4)) > 0:
        ops = draw(mutations(layout, pool))
    return DecoderCase(source, ops, apply_ops(layout, ops, seed_layout), kinds_of(layout))


@dataclass(frozen=True)
class ResponderCase:
    """A reference I_MESSAGE for `params`, randomness from `seed`, mutated by `ops`."""

    params: ExchangeParams
    seed: int
    ops: tuple[Op, ...]
    reseal: bool

    def build(self, profile: Profile, now: float) -> tuple[bytes, Layout]:
        """The case's bytes, stamped at `now`, and the layout of the unmutated message."""
        env = Environment(clock=lambda: now, random=random.Random(self.seed).randbytes)
        initiator = PskInitiator(settings_for(profile, self.params), env)
        valid = initiator.start()
        layout = layout_of(decode_message(valid), valid)
        data = apply_ops(layout, self.ops, seed_layout)
        mac_len = MAC_LENGTH[self.params.mac_alg]
        if self.reseal and mac_len and len(data) > mac_len:
            data = data[:-mac_len] + initiator.mac_over(data[:-mac_len])
        return data, layout

    def responder(self, profile: Profile, now: float) -> PskResponder:
        """A fresh reference responder whose clock reads `now`: it shares the SUT's view."""
        env = Environment(clock=lambda: now, max_skew=profile.max_skew)
        return PskResponder(settings_for(profile, self.params), env)

    def to_dict(self) -> dict[str, Any]:
        p = self.params
        return {
            "role": RESPONDER,
            "params": {
                "encr_alg": p.encr_alg.name,
                "mac_alg": p.mac_alg.name,
                "key_type": p.key_type.name,
                "v": p.v,
            },
            "seed": self.seed,
            "reseal": self.reseal,
            "ops": [o.to_dict() for o in self.ops],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ResponderCase:
        p = d["params"]
        params = ExchangeParams(
            encr_alg=EncrAlg[p["encr_alg"]],
            mac_alg=MacAlg[p["mac_alg"]],
            key_type=KeyType[p["key_type"]],
            v=bool(p["v"]),
        )
        ops = tuple(op_from_dict(o) for o in d["ops"])
        return cls(params, int(d["seed"]), ops, bool(d["reseal"]))


exchange_params = st.builds(
    ExchangeParams,
    encr_alg=st.sampled_from(EncrAlg),
    mac_alg=st.just(MacAlg.HMAC_SHA_1_160),  # NULL MAC is not allowed for PSK (4.2.3)
    key_type=st.sampled_from([KeyType.TGK, KeyType.TGK_SALT]),
    v=st.booleans(),
)


@st.composite
def responder_cases(draw: st.DrawFn, profile: Profile) -> ResponderCase:
    """An I_MESSAGE recipe: valid one time in ten, else mutated, resealed half the time."""
    params = draw(exchange_params)
    seed = draw(st.integers(0, 2**32 - 1))
    case = ResponderCase(params, seed, (), False)
    if draw(st.integers(0, 9)) == 0:
        return case
    _, layout = case.build(profile, time.time())
    ops = draw(mutations(layout, [(n, s) for n, s in seeds() if n.startswith("psk-")]))
    return ResponderCase(params, seed, ops, draw(st.booleans()))


def case_from_dict(d: dict[str, Any]) -> DecoderCase | ResponderCase:
    """A case as a finding file stores it (ValueError or KeyError when malformed)."""
    if d.get("role") == DECODER:
        ops = tuple(op_from_dict(o) for o in d.get("ops", ()))
        return DecoderCase(str(d.get("source", "")), ops, bytes.fromhex(d["data"]))
    if d.get("role") == RESPONDER:
        return ResponderCase.from_dict(d)
    raise ValueError(f"unknown case role {d.get('role')!r}")
