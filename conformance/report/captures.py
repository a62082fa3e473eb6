"""Every test's exchanges as packet captures: the evidence as Wireshark reads it.

Each MIKEY message of a test's evidence becomes one UDP datagram between the
suite (127.0.0.1) and the SUT (127.0.0.2) to or from port 2269, IANA's port for
MIKEY (service name "mikey"), so Wireshark and tshark dissect it as MIKEY. Each test has a
port of its own on the suite's side: its packets are `udp.port == PORT` in the
run's merged capture. Written from the journal at every render, like
results.json, so a resumed run's captures cover the whole run.

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
from conformance.report.pcap import MAX_UDP_PAYLOAD, Packet, udp, write_pcap

MERGED = "run.pcap"
FOLDER = "pcap"
INDEX = "index.json"
KEYLOG = "keys.log"
SUITE_ADDR, SUT_ADDR = "127.0.0.1", "127.0.0.2"
MIKEY_PORT = 2269
"""IANA's service name and port registry: mikey, 2269/udp and 2269/tcp; Wireshark's
MIKEY dissector listens there. (RFC 3830 names no transport: MIKEY rides in SIP, SDP or
RTSP, or stands alone.)"""
FIRST_PORT, PORTS = 20000, 40000
"""The suite's port of the n-th test is FIRST_PORT + n, modulo PORTS."""
FALLBACK_STEP = 0.001
"""Seconds between the exchanges of a record made before exchanges carried a time."""


@dataclass(frozen=True)
class Capture:
    """Where one test's packets are."""

    file: str
    """Relative to the run directory."""
    port: int
    frames: tuple[int, ...]
    """The test's frame numbers in run.pcap (1-based, as Wireshark numbers them)."""

    @property
    def display_filter(self) -> str:
        return f"udp.port == {self.port}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "port": self.port,
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


def packets_of(result: Result, port: int, fallback: float) -> list[Packet]:
    """The IPv4 packets of one test's exchanges, oldest first."""
    exchanges = result.evidence.get("exchanges") or []
    packets: list[Packet] = []
    suite, sut = (SUITE_ADDR, port), (SUT_ADDR, MIKEY_PORT)
    for n, exchange in enumerate(exchanges if isinstance(exchanges, list) else []):
        if not isinstance(exchange, dict):
            continue
        try:
            payload = bytes.fromhex(str(exchange.get("hex", "")))
        except ValueError:
            continue
        stamp = exchange.get("time")
        when = float(stamp) if isinstance(stamp, int | float) else fallback + n * FALLBACK_STEP
        src, dst = (suite, sut) if exchange.get("direction") == "to-sut" else (sut, suite)
        if len(payload) <= MAX_UDP_PAYLOAD:  # longer ones never went over UDP either
            packets.append(Packet(when, udp(src, dst, payload, ident=(port << 4) + n)))
    return packets


def _keylog(results: Sequence[Result], ports: Sequence[int]) -> list[str]:
    """Key-log lines: a comment naming each test, then one line per side and crypto session."""
    lines: list[str] = []
    for result, port in zip(results, ports, strict=True):
        keys = result.evidence.get("keys")
        if not isinstance(keys, list) or not keys:
            continue
        lines.append(f"# {result.test_id} (udp.port == {port})")
        lines += [
            f"MIKEY_SRTP {port} cs={k.get('cs_id')} side={k.get('side')} "
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
    ports = [FIRST_PORT + n % PORTS for n in range(len(results))]
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
    for result, port, packets, found in zip(results, ports, per_test, frames, strict=True):
        name = capture_name(result.test_id)
        with (folder / name).open("wb") as out:
            write_pcap(out, sorted(packets, key=lambda p: p.time))
        captures[result.test_id] = Capture(f"{FOLDER}/{name}", port, tuple(found))
    index = {"merged": MERGED, "tests": {t: c.to_json() for t, c in captures.items()}}
    (folder / INDEX).write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    keylog = _keylog(results, ports)
    if keylog:
        (folder / KEYLOG).write_text("\n".join(keylog) + "\n", encoding="utf-8")
    else:
        (folder / KEYLOG).unlink(missing_ok=True)
    return captures
