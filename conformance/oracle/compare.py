"""Compare tshark's view of a MIKEY message with our decoder's, field by field.

Both sides are flattened into the same named fields ("hdr.csb_id",
"payloads[3].type", "payloads[3].encr_data", ...) with plain values: codes as
integers, bytes as lowercase hex, lengths as integers. Our side comes from
`message_to_dict(decode_message(data))`; tshark's from the fields it shows
(`mikey.*`), with byte values taken from the bytes each field covers.

Beyond the field values, `compare` checks what tshark's flags cannot show
(docs/design.md: length and truncation errors only raise `_ws.malformed`, unknown
payload types and trailing bytes pass silently): the offset where each
payload starts, the payload count, and the bytes left after the last payload.
Known tshark deviations (`known_deviations`) excuse exactly the fields they
name. A Malformed Packet flag or an expert error is itself a discrepancy for a
message our strict decoder accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.oracle.known_deviations import KNOWN_DEVIATIONS, KnownDeviation, deviations_for
from conformance.oracle.ourview import ABSENT, ours_fields
from conformance.oracle.tshark import TsharkFrame, dissect
from conformance.oracle.tsharkview import theirs_fields
from mikey.wire import DecodeError, decode_message, message_to_dict


@dataclass(frozen=True)
class Discrepancy:
    """One field on which tshark and our decoder disagree."""

    field: str
    ours: object
    theirs: object

    def __str__(self) -> str:
        return f"{self.field}: ours={self.ours!r} tshark={self.theirs!r}"


_PAYLOAD_INDEX = re.compile(r"payloads\[(\d+)\]\.")


def _excuser(
    ours: dict[str, Any], known: Sequence[KnownDeviation]
) -> tuple[Callable[[str], bool], bool]:
    """Which field names the known deviations excuse, and whether Malformed is excused."""
    patterns: list[re.Pattern[str]] = []
    stops: list[int] = []  # tshark shows nothing after these payload indexes
    malformed = False
    for index, dev in deviations_for(ours, known):
        patterns.extend(re.compile(rf"payloads\[{index}\]\.(?:{f})") for f in dev.fields)
        if dev.rest:
            stops.append(index)
        malformed = malformed or dev.malformed

    def excused(name: str) -> bool:
        if any(p.fullmatch(name) for p in patterns):
            return True
        if not stops:
            return False
        if name in ("payloads.count", "message.unparsed_bytes"):
            return True
        at = _PAYLOAD_INDEX.match(name)
        return at is not None and int(at.group(1)) > min(stops)

    return excused, malformed


def compare(
    frame: TsharkFrame,
    ours: dict[str, Any],
    known: Sequence[KnownDeviation] = KNOWN_DEVIATIONS,
) -> list[Discrepancy]:
    """Every disagreement between tshark's `frame` and our decoded message `ours`.

    `ours` is `message_to_dict(decode_message(data))` for the message of
    `frame`. Empty when they agree, once the deviations in `known` are excused.
    """
    if frame.mikey is None:
        return [Discrepancy("tshark.dissected", True, False)]
    # Our Key data reading is compared only where tshark dissected the Encr data.
    kemacs = [i for i, p in enumerate(frame.payloads[1:]) if p.first("mikey.key") is not None]
    mine, theirs = ours_fields(ours, kemacs), theirs_fields(frame)
    excused, malformed_ok = _excuser(ours, known)
    found = []
    for name in [*mine, *(k for k in theirs if k not in mine)]:
        a, b = mine.get(name, ABSENT), theirs.get(name, ABSENT)
        if a != b and not excused(name):
            found.append(Discrepancy(name, a, b))
    if frame.malformed and not malformed_ok:
        found.append(Discrepancy("tshark.malformed", False, True))
    errors = [e.message for e in frame.errors if not (malformed_ok and e.group == "malformed")]
    if errors:
        found.append(Discrepancy("tshark.expert_errors", [], errors))
    return found


@dataclass(frozen=True)
class CrossCheck:
    """One message seen by both decoders."""

    data: bytes
    ours: dict[str, Any] | DecodeError
    frame: TsharkFrame
    discrepancies: tuple[Discrepancy, ...]


def cross_check(messages: Sequence[bytes], tshark: str | None = None) -> list[CrossCheck]:
    """Decode every message with ours and with tshark (one run), and compare.

    A message our decoder rejects has no discrepancies listed: there is no
    field-by-field truth to compare against (tshark is lenient by design).
    """
    frames = dissect(messages, tshark)
    results = []
    for data, frame in zip(messages, frames, strict=True):
        try:
            ours: dict[str, Any] | DecodeError = message_to_dict(decode_message(data))
        except DecodeError as exc:
            ours = exc
        found = () if isinstance(ours, DecodeError) else tuple(compare(frame, ours))
        results.append(CrossCheck(bytes(data), ours, frame, found))
    return results
