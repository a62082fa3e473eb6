"""Run Wireshark's tshark once over a batch of MIKEY messages and read its view of each.

One tshark process costs about 0.3 s whatever the batch size, so callers hand
over every message at once: `dissect(messages)` writes them into one pcap
(one UDP datagram each, see `pcap`), runs

    tshark -n -r batch.pcap -d udp.port==2269,mikey -T json -x
           -J "mikey _ws.malformed _ws.expert"

and returns one `TsharkFrame` per message, in order. `-x` adds each field's
position, so every field carries the exact bytes it covers (a time stamp is
compared by its 8 bytes, not by tshark's rounded date). The JSON is read
with duplicate keys kept in document order (no `--no-duplicate-keys`): the
order of repeated payloads (two SP, two ID) is then the wire order.

tshark flags a length or truncation error only as `_ws.malformed`, and an
unknown payload type or trailing bytes not at all; `TsharkFrame.unparsed`
counts the bytes after the last payload tshark dissected, so the comparison
can see those too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from conformance.oracle.pcap import MIKEY_PORT, write_pcap

TSHARK_ENV = "MIKEY_TSHARK"
"""Environment variable naming the tshark binary to use (default: `tshark` on PATH)."""

DEFAULT_TIMEOUT = 120.0

# epan/proto.h: expert severities and groups, as printed in `_ws.expert.*`.
SEVERITY = {
    0x00100000: "comment",
    0x00200000: "chat",
    0x00400000: "note",
    0x00600000: "warning",
    0x00800000: "error",
}
GROUP = {
    0x01000000: "checksum",
    0x02000000: "sequence",
    0x03000000: "response-code",
    0x04000000: "request-code",
    0x05000000: "undecoded",
    0x06000000: "reassemble",
    0x07000000: "malformed",
    0x08000000: "debug",
    0x09000000: "protocol",
    0x0A000000: "security",
    0x0B000000: "comments",
    0x0C000000: "decryption",
    0x0D000000: "assumption",
    0x0E000000: "deprecated",
}

Pairs = list[tuple[str, Any]]


class OracleError(Exception):
    """The Wireshark oracle could not give an answer."""


class OracleUnavailable(OracleError):
    """tshark is not installed (or the named binary does not exist)."""


class TsharkFailed(OracleError):
    """tshark ran but failed, or printed something that is not its JSON."""

    def __init__(self, message: str, stderr: str = "", returncode: int | None = None) -> None:
        super().__init__(f"{message}\n--- tshark stderr ---\n{stderr}" if stderr else message)
        self.stderr = stderr
        self.returncode = returncode


@dataclass(frozen=True)
class Field:
    """One item of tshark's tree: abbreviated name, displayed value, bytes covered.

    `offset` is relative to the start of the MIKEY message; `data` is the bytes
    the item covers (empty when tshark gave no position, e.g. a zero-length
    field). `children` holds the item's subtree, in tree order.
    """

    name: str
    show: str
    offset: int | None = None
    data: bytes = b""
    children: tuple[Field, ...] = ()

    def all(self, name: str) -> list[Field]:
        """Every descendant named `name`, depth first, in tree order."""
        found: list[Field] = []
        for child in self.children:
            if child.name == name:
                found.append(child)
            found.extend(child.all(name))
        return found

    def first(self, name: str) -> Field | None:
        """The first descendant named `name`, or None."""
        matches = self.all(name)
        return matches[0] if matches else None

    @property
    def number(self) -> int:
        """The displayed value read as an integer (decimal or 0x hex)."""
        return int(self.show, 0)


@dataclass(frozen=True)
class ExpertInfo:
    """One expert info item (severity and group names from epan/proto.h)."""

    severity: str
    group: str
    message: str


@dataclass(frozen=True)
class TsharkFrame:
    """tshark's view of one datagram: the MIKEY payloads it found, and its complaints.

    `payloads` are top-level MIKEY tree items (the first is `mikey.hdr`); an
    item named "" is a payload type tshark does not know. `mikey` is the
    datagram payload tshark handed to the MIKEY dissector (None when the MIKEY
    dissector did not run at all).
    """

    index: int
    mikey: bytes | None
    payloads: tuple[Field, ...] = ()
    malformed: bool = False
    expert: tuple[ExpertInfo, ...] = ()

    @property
    def errors(self) -> list[ExpertInfo]:
        """Expert items of severity error (malformed packets included)."""
        return [e for e in self.expert if e.severity == "error"]

    @property
    def unparsed(self) -> int:
        """Bytes after the end of the last payload tshark dissected."""
        if self.mikey is None:
            return 0
        ends = [p.offset + len(p.data) for p in self.payloads if p.offset is not None]
        return len(self.mikey) - max(ends, default=0)


def tshark_path() -> str:
    """The tshark binary to run; OracleUnavailable if there is none."""
    name = os.environ.get(TSHARK_ENV, "tshark")
    path = shutil.which(name)
    if path is None:
        raise OracleUnavailable(f"tshark not found (looked for {name!r}; set {TSHARK_ENV})")
    return path


def tshark_version(tshark: str | None = None) -> str:
    """The first line of `tshark --version`, e.g. "TShark (Wireshark) 4.0.17 (...)"."""
    out = _run([tshark or tshark_path(), "--version"], DEFAULT_TIMEOUT)
    return out.splitlines()[0] if out else ""


def tshark_command(tshark: str, pcap: str, port: int = MIKEY_PORT) -> list[str]:
    """The tshark command line that dissects `pcap` as MIKEY (see module docstring)."""
    return [
        tshark,
        "-n",
        "-r",
        pcap,
        "-d",
        f"udp.port=={port},mikey",
        "-T",
        "json",
        "-x",
        "-J",
        "mikey _ws.malformed _ws.expert",
    ]


def dissect(
    messages: Sequence[bytes], tshark: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[TsharkFrame]:
    """tshark's view of each message, in order, from one tshark run over all of them."""
    if not messages:
        return []
    binary = tshark or tshark_path()
    with tempfile.TemporaryDirectory(prefix="mikey-oracle-") as tmp:
        pcap = os.path.join(tmp, "batch.pcap")
        write_pcap(pcap, messages)
        out = _run(tshark_command(binary, pcap), timeout)
    try:
        packets = json.loads(out, object_pairs_hook=list)
    except json.JSONDecodeError as exc:
        raise TsharkFailed(f"tshark printed no valid JSON: {exc}", out[:2000]) from exc
    if not isinstance(packets, list) or len(packets) != len(messages):
        count = len(packets) if isinstance(packets, list) else "no"
        raise TsharkFailed(f"tshark returned {count} frames for {len(messages)} messages")
    return [_frame(i, _layers(p)) for i, p in enumerate(packets)]


def _run(command: list[str], timeout: float) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise OracleUnavailable(f"cannot run {command[0]}: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise TsharkFailed(f"tshark timed out after {timeout} s", stderr) from exc
    if done.returncode != 0:
        status = done.returncode
        raise TsharkFailed(f"tshark exited with status {status}", done.stderr, status)
    return done.stdout


def _is_object(value: Any) -> bool:
    """Whether a parsed JSON value is an object (a list of key/value pairs, see `dissect`)."""
    return isinstance(value, list) and all(isinstance(item, tuple) for item in value)


def _get(pairs: Pairs, key: str) -> Any:
    for k, v in pairs:
        if k == key:
            return v
    return None


def _layers(packet: Any) -> Pairs:
    layers = _get(_get(packet, "_source") or [], "layers")
    if not isinstance(layers, list):
        raise TsharkFailed("tshark JSON frame without _source.layers")
    return layers


def _frame(index: int, layers: Pairs) -> TsharkFrame:
    frame_raw = _get(layers, "frame_raw")
    frame = bytes.fromhex(frame_raw[0]) if isinstance(frame_raw, list) else b""
    experts: list[ExpertInfo] = []
    malformed = _collect_experts(layers, experts)
    mikey_raw = _get(layers, "mikey_raw")
    tree = _get(layers, "mikey")
    if not isinstance(mikey_raw, list) or not _is_object(tree):
        return TsharkFrame(index, None, (), malformed, tuple(experts))
    base = int(mikey_raw[1])
    mikey = frame[base : base + int(mikey_raw[2])]
    payloads = tuple(_fields(tree, frame, base))
    return TsharkFrame(index, mikey, payloads, malformed, tuple(experts))


def _collect_experts(pairs: Pairs, out: list[ExpertInfo]) -> bool:
    """Append every `_ws.expert` item under `pairs` to `out`; True if one is malformed."""
    malformed = False
    for key, value in pairs:
        if key == "_ws.malformed":
            malformed = True
        if not _is_object(value):
            continue
        if key == "_ws.expert":
            sev = int(_get(value, "_ws.expert.severity") or 0)
            grp = int(_get(value, "_ws.expert.group") or 0)
            msg = str(_get(value, "_ws.expert.message") or "")
            out.append(ExpertInfo(SEVERITY.get(sev, hex(sev)), GROUP.get(grp, hex(grp)), msg))
        malformed = _collect_experts(value, out) or malformed
    return malformed


def _fields(pairs: Pairs, frame: bytes, base: int) -> list[Field]:
    """The Field items of a tshark JSON object, in order; `name_tree` joins `name`."""
    raws: dict[str, list[Any]] = {}
    items: list[Field] = []
    for key, value in pairs:
        if key.startswith("_ws."):
            continue
        if key.endswith("_raw") and isinstance(value, list):
            raws[key[: -len("_raw")]] = value
            continue
        if key.endswith("_tree") and items and items[-1].name == key[: -len("_tree")]:
            last = items[-1]
            subtree = tuple(_fields(value, frame, base)) if _is_object(value) else ()
            items[-1] = Field(last.name, last.show, last.offset, last.data, subtree)
            continue
        offset: int | None = None
        data = b""
        raw = raws.pop(key, None)
        if raw is not None:
            pos, length = int(raw[1]), int(raw[2])
            offset, data = pos - base, frame[pos : pos + length]
        if _is_object(value):
            items.append(Field(key, "", offset, data, tuple(_fields(value, frame, base))))
        else:
            items.append(Field(key, str(value), offset, data))
    return items
