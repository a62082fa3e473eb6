"""Evidence of one conformance test: the bytes exchanged, decoded, and notes.

Every failure must be replayable from its evidence (docs/design.md, "The flow of
one test", step 3), so each message either way is kept whole, in hex, with
our strict decoder's reading of it when it decodes, and the time it was
recorded (the report writes the exchanges as packet captures, docs/reports.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mikey.srtp import SrtpKeys
from mikey.wire import DecodeError, decode_message, message_to_dict
from suts.transport import Segment


def decoded_or_none(data: bytes) -> dict[str, Any] | None:
    """Our decoder's JSON form of `data`, or None when it does not decode."""
    try:
        return message_to_dict(decode_message(data))
    except DecodeError:
        return None


@dataclass
class Evidence:
    """Collects what a test exchanged with the SUT."""

    exchanges: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    keys: list[dict[str, Any]] = field(default_factory=list)
    framing: list[dict[str, Any]] = field(default_factory=list)
    """The adapter's own protocol around the messages (RTSP), whole, per connection."""

    def to_sut(self, label: str, data: bytes) -> bytes:
        """Record a message the suite sends to the SUT; returns it unchanged."""
        self._add("to-sut", label, data)
        return data

    def from_sut(self, label: str, data: bytes | None) -> bytes | None:
        """Record what the SUT sent back (None: nothing); returns it unchanged."""
        if data is None:
            self.notes.append(f"{label}: the SUT sent nothing")
        else:
            self._add("from-sut", label, data)
        return data

    def note(self, text: str) -> None:
        self.notes.append(text)

    def secret(self, text: str) -> None:
        """A note holding key material: reported only with --show-secrets."""
        self.secrets.append(text)

    def srtp_keys(self, cs_id: int, reference: SrtpKeys, sut: SrtpKeys | None) -> None:
        """The SRTP master key and salt of crypto session `cs_id` on both sides (None: the
        SUT exported none): secrets, kept (and written to the captures' key log) only with
        --show-secrets."""
        self.secret(f"cs {cs_id}: reference {reference}, SUT {sut}")
        for side, keys in (("reference", reference), ("sut", sut)):
            if keys is not None:
                self.keys.append(
                    {
                        "cs_id": cs_id,
                        "side": side,
                        "master_key": keys.master_key.hex(),
                        "master_salt": keys.master_salt.hex(),
                        "profile": keys.profile,
                    }
                )

    def transport(self, segments: Iterable[Segment]) -> None:
        """Record what the adapter carried over its own protocol (RTSP requests and
        responses, with the MIKEY messages inside them)."""
        self.framing += [
            {
                "direction": s.direction,
                "protocol": s.protocol,
                "connection": s.connection,
                "time": round(s.time, 6),
                "hex": s.data.hex(),
            }
            for s in segments
        ]

    def _add(self, direction: str, label: str, data: bytes) -> None:
        self.exchanges.append(
            {
                "direction": direction,
                "label": label,
                "hex": data.hex(),
                "decoded": decoded_or_none(data),
                "time": round(time.time(), 6),
            }
        )

    def to_json(self, show_secrets: bool) -> dict[str, Any]:
        notes = list(self.notes)
        if show_secrets:
            notes.extend(f"secret: {s}" for s in self.secrets)
        elif self.secrets:
            notes.append(f"{len(self.secrets)} secret note(s) withheld (use --show-secrets)")
        found: dict[str, Any] = {"exchanges": self.exchanges, "notes": notes}
        if self.framing:
            found["transport"] = self.framing
        if show_secrets and self.keys:
            found["keys"] = self.keys
        return found
