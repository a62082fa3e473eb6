"""A finding: what a SUT did wrong on one case, the rule it breaks, and its file.

Findings are deduplicated by signature: the oracle, the requirement and the
reason with the case-specific parts (numbers, offsets, hex) normalised away,
so a thousand truncations of the same length field make one finding. Each is
written once, to `<run>/findings/<signature>.json`, holding the minimised case
(enough for `mikeyconf replay` to send it again), the oracle, the requirement,
and both answers. Writes are atomic (rename), so parallel workers can share the
directory: the first to write a signature keeps it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CRASH = "crash"
HANG = "hang"
ACCEPTS_INVALID = "accepts-invalid"
REJECTS_VALID = "rejects-valid"
DIFFERENT_STRUCTURE = "different-structure"
ERROR_NUMBER = "error-number"
DIFFERENT_KEYS = "different-keys"
ORACLES = (CRASH, HANG, ACCEPTS_INVALID, REJECTS_VALID, DIFFERENT_STRUCTURE, ERROR_NUMBER,
           DIFFERENT_KEYS)  # fmt: skip

FORMAT = "mikeyconf-fuzz-finding/1"


def normalise(text: str) -> str:
    """`text` without what varies between cases of one bug: numbers, hex, offsets."""
    text = re.sub(r"0x[0-9a-fA-F]+|\b[0-9a-fA-F]{8,}\b", "#", text)
    return re.sub(r"\d+", "#", " ".join(text.split()))[:120]


@dataclass(frozen=True)
class Finding:
    """One wrong answer: `oracle` says which check caught it (ORACLES)."""

    oracle: str
    requirement: str
    reason: str
    sut_answer: str
    reference_answer: str

    @property
    def signature(self) -> str:
        """`<oracle>-<requirement>-<hash>`: stable across cases of the same bug."""
        key = f"{self.oracle}|{self.requirement}|{normalise(self.reason)}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:10]
        return f"{self.oracle}-{self.requirement}-{digest}"


def finding_document(
    finding: Finding, case: dict[str, Any], *, sut: str, seed: int | None, run: str
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "signature": finding.signature,
        **asdict(finding),
        "sut": sut,
        "case": case,
        "seed": seed,
        "run": run,
        "replay": f"mikeyconf replay {finding.signature}.json --sut {shlex.quote(sut)}",
    }


def write_finding(directory: Path, document: dict[str, Any]) -> bool:
    """Write `document` as directory/<signature>.json unless it exists; True if written."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{document['signature']}.json"
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)  # fails if another worker wrote it first
    except FileExistsError:
        return False
    finally:
        tmp.unlink()
    return True


def read_finding(path: Path) -> dict[str, Any]:
    """A finding file; ValueError (one line) if it is not one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or "case" not in doc:
        raise ValueError(f"{path} is not a mikeyconf fuzz finding ({FORMAT})")
    return doc
