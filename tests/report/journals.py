"""Hand-made journals and a small catalog for the report and CLI tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAC = "RFC3830-5.3-verify-mac"
REPLAY = "RFC3830-5.4-replay"
HDR = "RFC3830-6.1-hdr-first"
SKEW = "RFC3830-5.4-clock-skew"
"""A SHOULD-level requirement in CATALOG."""

# A real I_MESSAGE would do as well; any hex is evidence to the report.
HEX = "0100000000000000" * 9


@dataclass(frozen=True)
class Entry:
    """Stands in for conformance.requirements.Requirement (the fields the report reads)."""

    rfc: str
    section: str
    level: str
    text: str
    reading: str | None = None


CATALOG = {
    MAC: Entry("3830", "5.3", "MUST", "the MAC/signature MUST be verified"),
    REPLAY: Entry("3830", "5.4", "MUST", "replayed messages MUST be discarded"),
    HDR: Entry("3830", "6.1", "MUST", "the Common Header payload MUST always be present"),
    SKEW: Entry("3830", "5.4", "SHOULD", "the clock skew SHOULD be small"),
}


def record(
    name: str,
    verdict: str = "pass",
    requirements: Iterable[str] = (MAC,),
    level: str | None = "MUST",
    mode: str | None = "PSK",
    role: str | None = "responder",
    reason: str = "",
    evidence: dict[str, Any] | None = None,
    expectation: dict[str, Any] | None = None,
    precondition: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One journal record as the plugin writes it (team contract, schema 3)."""
    test_id = f"rfc3830/test_psk_responder.py::{name}"
    return {
        "schema": 3,
        "test_id": test_id,
        "title": f"{name} does what the RFC says",
        "requirements": list(requirements),
        "level": level,
        "mode": mode,
        "role": role,
        "verdict": verdict,
        "reason": reason,
        "evidence": evidence or {"exchanges": [], "notes": []},
        "replay": f"mikeyconf run --sut builtin --test '{test_id}'",
        "duration_s": 0.012,
        "sut": "builtin",
        "worker": None,
        "expectation": expectation,
        "precondition": precondition,
        "fault": None,
    }


def blocked(name: str, by: str, requirements: Iterable[str] = (REPLAY,)) -> dict[str, Any]:
    """An inconclusive record: its vehicle failed on the precondition `by`."""
    checker = "rfc3830/test_psk_responder.py::test_checker"
    return record(
        name,
        "inconclusive",
        requirements,
        reason=f"precondition {by} (checked by {checker}) failed: valid I_MESSAGE refused",
        precondition={"requirement": by, "checked_by": [checker]},
    )


def exchange(direction: str, label: str, hex_text: str = HEX) -> dict[str, Any]:
    return {"direction": direction, "label": label, "hex": hex_text, "decoded": {"hdr": {"v": 1}}}


def mixed() -> list[dict[str, Any]]:
    """One test of each verdict, and a SHOULD-level failure."""
    return [
        record("test_accepts_good_mac"),
        record(
            "test_rejects_wrong_mac",
            "fail",
            reason="the SUT accepted a message with a wrong MAC",
            evidence={
                "exchanges": [exchange("to-sut", "I_MESSAGE"), exchange("from-sut", "R_MESSAGE")],
                "notes": ["MAC flipped in the last byte"],
            },
        ),
        record("test_replay", "error", [REPLAY], reason="call: KeyError: 'x'"),
        record("test_header", "pass", [HDR], mode="codec", role="decoder"),
        record("test_dh_only", "not-applicable", [REPLAY], mode="DH", reason="no DH"),
        record("test_known_bug", "expected-deviation", [HDR], mode="codec", role="decoder"),
        record("test_skew", "fail", [SKEW], level="SHOULD", reason="skew of 1 h accepted"),
    ]


EXPECTATIONS = "suts/expectations/mutant.json"


def listed(
    name: str, verdict: str, why: str = "RFC 3830 5.3: the SUT skips the MAC"
) -> dict[str, Any]:
    """A record of a test the expectations file lists (verdict: expected-deviation or
    unexpected-pass)."""
    entry = {"file": EXPECTATIONS, "entry": 1, "test": "*", "requirements": [MAC], "reason": why}
    return record(name, verdict, reason="wrong MAC accepted", expectation=entry)


def write_journal(path: Path, records: Iterable[dict[str, Any]], tail: str = "") -> Path:
    """A journal file: one record a line, then `tail` (e.g. a cut-off record)."""
    lines = "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(lines + tail, encoding="utf-8")
    return path
