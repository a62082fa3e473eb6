"""Every test's exchanges as packet captures: the evidence as Wireshark reads it.

Each MIKEY message of a test's evidence becomes one UDP datagram between the
suite (127.0.0.1) and the SUT (127.0.0.2) to or from port 2269, IANA's port for
MIKEY (service name "mikey"), so Wireshark and tshark dissect it as MIKEY. Where the
SUT spoke RTSP (RFC 4567), the evidence also holds the RTSP messages themselves,
and each connection becomes a TCP stream to or from port 554, RTSP's (Wireshark
4.0 shows the SDP and the KeyMgmt headers but does not dissect the MIKEY inside
them: the UDP datagrams beside the stream are the MIKEY it carried). Each test has
a port (one per RTSP connection) of its own: `Capture.display_filter` picks its
packets out of the run's merged capture. Written from
the journal at every render, like results.json, so a resumed run's captures cover
the whole run.

Layout in the run directory (docs/reports.md):
    run.pcap            every packet of the run, in time order
    pcap/<test>.pcap    one test's packets
    pcap/index.json     test -> file, port, display filter and frames of run.pcap
    pcap/keys.log       the SRTP keys per test and crypto session, only when the
                        run kept secrets (--show-secrets); never inside a capture
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from conformance.report.model import Result
from conformance.report.pcap import MAX_UDP_PAYLOAD, Packet, tcp_stream, udp, write_pcap

MERGED = "run.pcap"
FOLDER = "pcap"
INDEX = "index.json"
KEYLOG = "keys.log"
SUITE_ADDR, SUT_ADDR = "127.0.0.1", "127.0.0.2"
MIKEY_PORT = 2269
"""IANA's service name and port registry: mikey, 2269/udp and 2269/tcp; Wireshark's
MIKEY dissector listens there. (RFC 3830 names no transport: MIKEY rides in SIP, SDP or
RTSP, or stands alone.)"""
RTSP_PORT = 554
"""RFC 2326 3.2: "The default port is 554"."""
FIRST_PORT, PORTS = 20000, 40000
"""The tests' ports are FIRST_PORT, FIRST_PORT + 1, ... (modulo PORTS), in journal order."""
FALLBACK_STEP = 0.001
"""Seconds between the exchanges of a record made before exchanges carried a time."""


@dataclass(frozen=True)
class Capture:
    """Where one test's packets are."""

    file: str
    """Relative to the run directory."""
    rtsp: bool
    """The SUT spoke RTSP: TCP streams beside the MIKEY datagrams."""
    ports: tuple[int, ...]
    """The test's ports: the first for its MIKEY datagrams, one per RTSP connection."""
    frames: tuple[int, ...]
    """The test's frame numbers in run.pcap (1-based, as Wireshark numbers them)."""

    @property
    def display_filter(self) -> str:
        datagrams = f"udp.port == {self.ports[0]}"
        if not self.rtsp:
            return datagrams
        return f"{datagrams} || tcp.port in {{{' '.join(map(str, self.ports))}}}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rtsp": self.rtsp,
            "ports": list(self.ports),
            "filter": self.display_filter,
            "packets": len(self.frames),
            "frames": list(self.frames),
        }


def capture_name(test_id: str) -> str:
    """A file name for a test ID: readable, safe, and distinct (a hash of the whole ID)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", test_id.replace(".py::", "-")).strip("_.")
    digest = hashlib.sha1(test_id.encode("utf-8")).hexdigest()[:8]
    return f"{slug[:90]}-{digest}.pcap"


def _epoch(stamp: str) -> float:
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        return 0.0


Message = tuple[float, str, int, bytes]
"""(time, direction, connection, data) of one recorded message."""


def messages(result: Result, key: str, fallback: float) -> list[Message]:
    """The evidence's `key` list ("exchanges", or "transport": the RTSP around them) as
    messages; a record without a time gets one after `fallback`, in order."""
    found: list[Message] = []
    records = result.evidence.get(key) or []
    for n, record in enumerate(records if isinstance(records, list) else []):
        if not isinstance(record, dict):
            continue
        try:
            data = bytes.fromhex(str(record.get("hex", "")))
        except ValueError:
            continue
        stamp = record.get("time")
        when = float(stamp) if isinstance(stamp, int | float) else fallback + n * FALLBACK_STEP
        connection = record.get("connection")
        connection = connection if isinstance(connection, int) else 0
        found.append((when, str(record.get("direction")), connection, data))
    return found


def connections(result: Result) -> list[int]:
    """The RTSP connections of a test's evidence, in the order they first spoke."""
    return list(dict.fromkeys(c for _, _, c, _ in messages(result, "transport", 0.0)))


def _rtsp(framing: list[Message], ports: Sequence[int]) -> list[Packet]:
    """Each connection as a TCP stream, opened by the side that spoke first (the client)."""
    packets: list[Packet] = []
    opened = list(dict.fromkeys(c for _, _, c, _ in framing))
    for connection, port in zip(opened, ports[: len(opened)], strict=True):
        stream = [(t, d, data) for t, d, c, data in framing if c == connection]
        suite_opens = stream[0][1] == "to-sut"
        client = (SUITE_ADDR, port) if suite_opens else (SUT_ADDR, port)
        server = (SUT_ADDR, RTSP_PORT) if suite_opens else (SUITE_ADDR, RTSP_PORT)
        sent = [(t, (d == "to-sut") == suite_opens, data) for t, d, data in stream]
        packets += tcp_stream(client, server, sent)
    return packets


def packets_of(result: Result, ports: Sequence[int], fallback: float) -> list[Packet]:
    """The IPv4 packets of one test, oldest first: its MIKEY messages over UDP, and its
    RTSP connections if it had any."""
    packets = _rtsp(messages(result, "transport", fallback), ports)
    suite, sut = (SUITE_ADDR, ports[0]), (SUT_ADDR, MIKEY_PORT)
    for n, (when, direction, _, payload) in enumerate(messages(result, "exchanges", fallback)):
        src, dst = (suite, sut) if direction == "to-sut" else (sut, suite)
        if len(payload) <= MAX_UDP_PAYLOAD:  # a longer message stays in the evidence only
            packets.append(Packet(when, udp(src, dst, payload, ident=(ports[0] << 4) + n)))
    return sorted(packets, key=lambda p: p.time)


def _keylog(results: Sequence[Result], captures: Sequence[Capture]) -> list[str]:
    """Key-log lines: a comment naming each test, then one line per side and crypto session."""
    lines: list[str] = []
    for result, capture in zip(results, captures, strict=True):
        keys = result.evidence.get("keys")
        if not isinstance(keys, list) or not keys:
            continue
        lines.append(f"# {result.test_id} ({capture.display_filter})")
        lines += [
            f"MIKEY_SRTP {capture.ports[0]} cs={k.get('cs_id')} side={k.get('side')} "
            f"profile={k.get('profile')} master_key={k.get('master_key')} "
            f"master_salt={k.get('master_salt')}"
            for k in keys
            if isinstance(k, dict)
        ]
    return lines


def write_captures(run_dir: Path, results: Sequence[Result], started: str) -> dict[str, Capture]:
    """Write run.pcap, pcap/*.pcap, pcap/index.json and (when the evidence holds keys)
    pcap/keys.log; return each test's capture. Files of an earlier render are replaced,
    and a key log is removed when the results hold no keys."""
    folder = run_dir / FOLDER
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.pcap"):
        stale.unlink()
    base = _epoch(started)
    ports: list[tuple[int, ...]] = []
    cursor = 0
    for result in results:
        need = max(1, len(connections(result)))
        ports.append(tuple(FIRST_PORT + k % PORTS for k in range(cursor, cursor + need)))
        cursor += need
    per_test = [packets_of(r, ports[n], base + n) for n, r in enumerate(results)]
    order = sorted(
        (p.time, t, i) for t, packets in enumerate(per_test) for i, p in enumerate(packets)
    )
    frames: list[list[int]] = [[] for _ in results]
    with (run_dir / MERGED).open("wb") as merged:
        write_pcap(merged, (per_test[t][i] for _, t, i in order))
    for frame, (_, t, _) in enumerate(order, start=1):
        frames[t].append(frame)
    captures: dict[str, Capture] = {}
    for n, (result, packets) in enumerate(zip(results, per_test, strict=True)):
        name = capture_name(result.test_id)
        with (folder / name).open("wb") as out:
            write_pcap(out, packets)
        rtsp = bool(connections(result))
        captures[result.test_id] = Capture(f"{FOLDER}/{name}", rtsp, ports[n], tuple(frames[n]))
    index = {"merged": MERGED, "tests": {t: c.to_json() for t, c in captures.items()}}
    (folder / INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    keylog = _keylog(results, [captures[r.test_id] for r in results])
    if keylog:
        (folder / KEYLOG).write_text("\n".join(keylog) + "\n", encoding="utf-8")
    else:
        (folder / KEYLOG).unlink(missing_ok=True)
    return captures
