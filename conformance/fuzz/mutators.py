"""The mutation engine: structure-aware changes to valid MIKEY encodings.

A mutation is a value (an `Op`), so a case is a recipe that can be stored,
shrunk by Hypothesis, reduced operation by operation, and applied again to a
fresh message of the same shape (a responder case is re-stamped at replay).
Two stages, both drawn from the message's `Layout`:

1. structure, on the payload chain with every Next payload kept consistent:
   payloads duplicated, dropped, swapped; a splice of this message's first
   payloads with another message's last ones;
2. bytes: a field set to a lying length, an undefined code or a boundary
   integer; another defined data type (Table 6.1.a), wrong for the payloads;
   reserved bits set; a Next payload made unknown (Table 6.1.b), Key
   data (20, only inside KEMAC, 6.13), Last (0) too early, or pointing back at
   a payload already read (a looping chain); truncation; extension; a bit flip.

Each Op carries the catalog requirement its change breaks (or, for a change a
receiver must take, the rule it tests), so a finding cites a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

from hypothesis import strategies as st

from conformance.corpus import rules as R
from conformance.fuzz.layout import LENGTH, Field, Layout, Segment, payload_fields
from mikey.wire import Chash, DataType, Dh, Kemac, PayloadType, Sign, Timestamp, Verification

UNDEFINED_NEXT = [v for v in range(256) if v not in set(PayloadType)]


@dataclass(frozen=True)
class Op:
    """One change; `requirement` is the catalog rule it breaks or exercises."""

    requirement: str
    name: ClassVar[str] = "op"

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.name, **asdict(self)}


@dataclass(frozen=True)
class Structural(Op):
    """A change of the payload chain: segment indices into the message's Layout."""

    def on(self, layout: Layout, others: Callable[[str], Layout]) -> Layout:
        raise NotImplementedError


@dataclass(frozen=True)
class Duplicate(Structural):
    index: int
    name: ClassVar[str] = "duplicate"

    def on(self, layout: Layout, others: Callable[[str], Layout]) -> Layout:
        segs = layout.segments
        i = self.index % len(segs)
        return Layout(layout.hdr, (*segs[: i + 1], segs[i], *segs[i + 1 :]))


@dataclass(frozen=True)
class Drop(Structural):
    index: int
    name: ClassVar[str] = "drop"

    def on(self, layout: Layout, others: Callable[[str], Layout]) -> Layout:
        segs = layout.segments
        i = self.index % len(segs)
        return Layout(layout.hdr, (*segs[:i], *segs[i + 1 :]))


@dataclass(frozen=True)
class Swap(Structural):
    index: int
    other: int
    name: ClassVar[str] = "swap"

    def on(self, layout: Layout, others: Callable[[str], Layout]) -> Layout:
        segs = list(layout.segments)
        i, j = self.index % len(segs), self.other % len(segs)
        segs[i], segs[j] = segs[j], segs[i]
        return Layout(layout.hdr, tuple(segs))


@dataclass(frozen=True)
class Splice(Structural):
    """This message's first `keep` payloads, then `seed`'s payloads from `start` on."""

    seed: str
    keep: int
    start: int
    name: ClassVar[str] = "splice"

    def on(self, layout: Layout, others: Callable[[str], Layout]) -> Layout:
        tail = others(self.seed).segments
        return Layout(layout.hdr, (*layout.segments[: self.keep], *tail[self.start :]))


@dataclass(frozen=True)
class Bytewise(Op):
    """A change of the rendered bytes, at absolute offsets."""

    def apply(self, data: bytes) -> bytes:
        raise NotImplementedError


@dataclass(frozen=True)
class SetField(Bytewise):
    """Set a field (see layout.Field) to `value`: a lie, an undefined code, a boundary."""

    field: str
    at: int
    width: int
    bits: int
    shift: int
    value: int
    name: ClassVar[str] = "set-field"

    def apply(self, data: bytes) -> bytes:
        if self.at + self.width > len(data):
            return data
        mask = ((1 << self.bits) - 1) << self.shift
        word = int.from_bytes(data[self.at : self.at + self.width], "big")
        word = word & ~mask | (self.value << self.shift) & mask
        return data[: self.at] + word.to_bytes(self.width, "big") + data[self.at + self.width :]


@dataclass(frozen=True)
class SetNext(Bytewise):
    """Set the Next payload byte at `at`; `tail` is appended (a looping chain's re-entry)."""

    at: int
    value: int
    tail: bytes = b""
    name: ClassVar[str] = "set-next"

    def apply(self, data: bytes) -> bytes:
        if self.at >= len(data):
            return data
        return data[: self.at] + bytes([self.value]) + data[self.at + 1 :] + self.tail

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "tail": self.tail.hex()}


@dataclass(frozen=True)
class Truncate(Bytewise):
    at: int
    name: ClassVar[str] = "truncate"

    def apply(self, data: bytes) -> bytes:
        return data[: self.at]


@dataclass(frozen=True)
class Extend(Bytewise):
    extra: bytes
    name: ClassVar[str] = "extend"

    def apply(self, data: bytes) -> bytes:
        return data + self.extra

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "extra": self.extra.hex()}


@dataclass(frozen=True)
class Flip(Bytewise):
    at: int
    bit: int
    name: ClassVar[str] = "flip"

    def apply(self, data: bytes) -> bytes:
        if self.at >= len(data):
            return data
        return data[: self.at] + bytes([data[self.at] ^ 1 << self.bit]) + data[self.at + 1 :]


OPS: dict[str, type[Op]] = {
    cls.name: cls
    for cls in (Duplicate, Drop, Swap, Splice, SetField, SetNext, Truncate, Extend, Flip)
}


def op_from_dict(d: dict[str, Any]) -> Op:
    """The Op a `to_dict()` gave (ValueError on an unknown or malformed one)."""
    cls = OPS.get(str(d.get("op")))
    if cls is None:
        raise ValueError(f"unknown mutation {d.get('op')!r}")
    kwargs = {f.name: d[f.name] for f in fields(cls) if f.name in d}
    for key in ("tail", "extra"):
        if key in kwargs:
            kwargs[key] = bytes.fromhex(kwargs[key])
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"bad mutation {d}: {exc}") from None


def apply_ops(layout: Layout, ops: Sequence[Op], others: Callable[[str], Layout]) -> bytes:
    """The bytes `ops` make of `layout`: structural ops first, then byte ops, in order."""
    for op in ops:
        if isinstance(op, Structural) and layout.segments:
            layout = op.on(layout, others)
    data = layout.render()
    for op in ops:
        if isinstance(op, Bytewise):
            data = op.apply(data)
    return data


# --- Drawing ops --------------------------------------------------------------------

IMPLICIT_LENGTH: dict[type, str] = {
    Timestamp: R.TS_VALUE_LEN,
    Verification: R.VER_DATA_LEN,
    Chash: R.HASH_LEN,
    Dh: R.DH_VALUE_LEN,
    Kemac: R.MAC_LEN,
    Sign: R.SIGNATURE_LEN,
}


def cut_rule(layout: Layout, at: int) -> str:
    """The length rule a message cut short at `at` breaks: that of the payload cut."""
    if at < len(layout.hdr):
        return R.HDR_FIRST if at < 10 else R.CS_COUNT
    for start, seg in reversed(list(zip(layout.starts(), layout.segments, strict=True))):
        if at >= start:
            lengths = [f for f in payload_fields(seg.payload) if f.kind == LENGTH]
            implicit = IMPLICIT_LENGTH.get(type(seg.payload))
            return implicit or (lengths[0].requirement if lengths else R.NEXT_PAYLOAD)
    return R.LAST_PAYLOAD


def boundaries(f: Field, old: int) -> st.SearchStrategy[int]:
    """Values worth trying in `f`: off by a little, the edges of its width, anything."""
    top = (1 << f.bits) - 1
    near = [(old + d) & top for d in (-2, -1, 1, 2)]
    edges = [0, 1, top, top - 1, top >> 1, (top >> 1) + 1]
    return st.one_of(st.sampled_from(near + edges), st.integers(0, top))


@st.composite
def set_fields(draw: st.DrawFn, layout: Layout, data: bytes) -> SetField:
    f = draw(st.sampled_from(layout.fields()))
    value = draw(boundaries(f, f.read(data)))
    return SetField(f.requirement, f.name, f.at, f.width, f.bits, f.shift, value)


@st.composite
def set_nexts(draw: st.DrawFn, layout: Layout) -> SetNext:
    at = draw(st.sampled_from(layout.next_payload_offsets()))
    how = draw(st.sampled_from(["undefined", "key-data", "last", "loop"]))
    if how == "undefined":
        return SetNext(R.NEXT_PAYLOAD, at, draw(st.sampled_from(UNDEFINED_NEXT)))
    if how == "key-data":
        return SetNext(R.KEY_DATA_IN_KEMAC, at, PayloadType.KEY_DATA)
    if how == "last" or not layout.segments:
        return SetNext(R.LAST_PAYLOAD, at, PayloadType.LAST)
    # A chain that points back at a payload already read, and re-enters it.
    first: Segment = layout.segments[draw(st.integers(0, len(layout.segments) - 1))]
    return SetNext(R.NEXT_PAYLOAD, at, first.kind, first.data * draw(st.integers(0, 2)))


@st.composite
def byte_ops(draw: st.DrawFn, layout: Layout, data: bytes) -> Bytewise:
    kind = draw(st.sampled_from(["field", "data-type", "next", "truncate", "extend", "flip"]))
    if kind == "field":
        return draw(set_fields(layout, data))
    if kind == "data-type":  # a defined data type (Table 6.1.a) that does not fit the payloads
        current = data[1] if len(data) > 1 else None
        value = draw(st.sampled_from([t for t in DataType if t != current]))
        return SetField(R.DATA_TYPE, "data type", 1, 1, 8, 0, value)
    if kind == "next":
        return draw(set_nexts(layout))
    if kind == "truncate":
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        return Truncate(cut_rule(layout, at), at)
    if kind == "extend":
        return Extend(R.LAST_PAYLOAD, draw(st.binary(min_size=1, max_size=8)))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    owner = [f for f in layout.fields() if f.at <= at < f.at + f.width]
    rule = owner[0].requirement if owner else R.BYTE_ORDER
    return Flip(rule, at, draw(st.integers(0, 7)))


@st.composite
def structural_ops(
    draw: st.DrawFn, layout: Layout, seeds: Sequence[tuple[str, Layout]]
) -> Structural:
    n = max(len(layout.segments), 1)
    kind = draw(st.sampled_from(["duplicate", "drop", "swap", "splice"] if seeds else ["drop"]))
    if kind == "duplicate":
        return Duplicate(R.NEXT_PAYLOAD, draw(st.integers(0, n - 1)))
    if kind == "drop":
        return Drop(R.NEXT_PAYLOAD, draw(st.integers(0, n - 1)))
    if kind == "swap":
        return Swap(R.NEXT_PAYLOAD, draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1)))
    name, other = draw(st.sampled_from(seeds))
    start = draw(st.integers(0, len(other.segments)))
    return Splice(R.NEXT_PAYLOAD, name, draw(st.integers(0, len(layout.segments))), start)


@st.composite
def mutations(
    draw: st.DrawFn, layout: Layout, seeds: Sequence[tuple[str, Layout]] = (), max_ops: int = 3
) -> tuple[Op, ...]:
    """0-2 structural ops, then 0..max_ops byte ops drawn against the result (at least one op)."""
    others = dict(seeds).__getitem__
    ops: list[Op] = []
    for _ in range(draw(st.integers(0, 2))):
        change = draw(structural_ops(layout, seeds))
        layout = change.on(layout, others) if layout.segments else layout
        ops.append(change)
    data = layout.render()
    for _ in range(draw(st.integers(0 if ops else 1, max_ops))):
        edit = draw(byte_ops(layout, data))
        data = edit.apply(data)
        ops.append(edit)
    return tuple(ops)
