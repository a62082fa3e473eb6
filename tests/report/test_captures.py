"""Every test's exchanges as packet captures: per test, merged, indexed, keys apart."""

from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path

import pytest

from conformance.report.captures import KEYLOG, capture_name, write_captures
from conformance.report.model import Result, read_journal
from suts.rtsp_peer import available
from tests.report.journals import exchange, record
from tests.report.real_run import FAILING, make_run
from tests.subprocess_cli import mikeyconf

KEY = {"cs_id": 1, "side": "sut", "master_key": "aa" * 16, "master_salt": "bb" * 14}


def packets(path: Path) -> list[tuple[float, bytes]]:
    """(time, IPv4 packet) of each record of a classic pcap file."""
    data = path.read_bytes()
    assert struct.unpack("<IHHiIII", data[:24]) == (0xA1B2C3D4, 2, 4, 0, 0, 262144, 101)
    found, at = [], 24
    while at < len(data):
        sec, usec, size, orig = struct.unpack("<IIII", data[at : at + 16])
        assert size == orig
        found.append((sec + usec / 1e6, data[at + 16 : at + 16 + size]))
        at += 16 + size
    return found


def timed(direction: str, label: str, hex_text: str, when: float) -> dict[str, object]:
    return {**exchange(direction, label, hex_text), "time": when}


def results() -> list[Result]:
    first = record(
        "test_a",
        evidence={
            "exchanges": [timed("to-sut", "I", "01", 10.0), timed("from-sut", "R", "02", 12.0)]
        },
    )
    second = record("test_b", evidence={"exchanges": [timed("to-sut", "I", "03", 11.0)]})
    return [Result.from_json(first), Result.from_json(second)]


def test_the_merged_capture_is_in_time_order_with_a_port_per_test(tmp_path: Path) -> None:
    found = write_captures(tmp_path, results(), "2026-11-28T10:30:00Z")
    merged = packets(tmp_path / "run.pcap")
    assert [when for when, _ in merged] == [10.0, 11.0, 12.0]
    assert [ip[28:] for _, ip in merged] == [b"\x01", b"\x03", b"\x02"]
    a, b = (found[r.test_id] for r in results())
    assert (a.frames, b.frames) == ((1, 3), (2,))
    assert a.ports != b.ports and a.display_filter == f"udp.port == {a.ports[0]}"
    ports = [struct.unpack("!HH", ip[20:24]) for _, ip in merged]
    assert ports == [(a.ports[0], 2269), (b.ports[0], 2269), (2269, a.ports[0])]
    index = json.loads((tmp_path / "pcap" / "index.json").read_text(encoding="utf-8"))
    assert index["tests"][results()[0].test_id]["frames"] == [1, 3]
    per_test = packets(tmp_path / a.file)
    assert per_test == [merged[0], merged[2]]


def test_records_without_times_keep_their_order(tmp_path: Path) -> None:
    old = record(
        "test_old", evidence={"exchanges": [exchange("to-sut", "I"), exchange("from-sut", "R")]}
    )
    found = write_captures(tmp_path, [Result.from_json(old)], "2026-11-28T10:30:00Z")
    times = [when for when, _ in packets(tmp_path / "run.pcap")]
    assert found[old["test_id"]].frames == (1, 2) and times[0] < times[1]


def test_keys_go_to_the_key_log_only_and_a_stale_one_is_removed(tmp_path: Path) -> None:
    keyed = record(
        "test_k", evidence={"exchanges": [timed("to-sut", "I", "01", 1.0)], "keys": [KEY]}
    )
    write_captures(tmp_path, [Result.from_json(keyed)], "")
    log = (tmp_path / "pcap" / KEYLOG).read_text(encoding="utf-8")
    assert "master_key=" + "aa" * 16 in log and "# rfc3830/test_psk_responder.py::test_k" in log
    assert b"\xaa" * 16 not in (tmp_path / "run.pcap").read_bytes()
    write_captures(tmp_path, results(), "")
    assert not (tmp_path / "pcap" / KEYLOG).exists()


def test_capture_names_are_safe_and_distinct() -> None:
    names = {capture_name(f"rfc3830/test_x.py::test_y[{s}]") for s in ("a/b", "a_b", "a b")}
    assert len(names) == 3 and all("/" not in n and " " not in n for n in names)


def tshark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["tshark", *args], capture_output=True, text=True, check=False, timeout=120
    )


needs_tshark = pytest.mark.skipif(
    subprocess.run(["which", "tshark"], capture_output=True, check=False).returncode,
    reason="tshark is not installed (.ci/run installs it)",
)


@needs_tshark
def test_tshark_dissects_every_test_of_a_real_run_as_mikey(secret_run: Path) -> None:
    index = json.loads((secret_run / "pcap" / "index.json").read_text(encoding="utf-8"))
    journal = read_journal(secret_run / "journal.jsonl").results
    assert set(index["tests"]) == {r.test_id for r in journal}
    merged = packets(secret_run / "run.pcap")
    assert [t for t, _ in merged] == sorted(t for t, _ in merged)
    fields = tshark(
        "-r",
        str(secret_run / "run.pcap"),
        "-T",
        "fields",
        "-e",
        "frame.number",
        "-e",
        "udp.srcport",
        "-e",
        "udp.dstport",
        "-e",
        "mikey.version",
        "-e",
        "_ws.malformed",
    )
    assert fields.returncode == 0 and "rror" not in fields.stderr, fields.stderr
    rows = {int(n): rest for n, *rest in (line.split("\t") for line in fields.stdout.splitlines())}
    assert len(rows) == len(merged) > 0
    for result in journal:
        capture = index["tests"][result.test_id]
        exchanges = result.evidence["exchanges"]
        assert len(capture["frames"]) == len(exchanges)
        assert packets(secret_run / capture["file"]) == [merged[f - 1] for f in capture["frames"]]
        for frame, sent in zip(capture["frames"], exchanges, strict=True):
            src, dst, version, malformed = rows[frame]
            assert capture["ports"] == [int(src) if dst == "2269" else int(dst)]
            assert 2269 in (int(src), int(dst))
            if sent["decoded"] is not None:  # a valid MIKEY message dissects cleanly
                assert version == "1" and not malformed, (result.test_id, sent["label"])
    failing = tshark("-r", str(secret_run / index["tests"][FAILING]["file"]), "-V")
    assert failing.returncode == 0, failing.stderr
    assert failing.stdout.count("Multimedia Internet KEYing") == 2  # I_MESSAGE and its answer


def test_keys_are_kept_apart_and_only_with_show_secrets(secret_run: Path, tmp_path: Path) -> None:
    journal = read_journal(secret_run / "journal.jsonl").results
    keys = [k for r in journal for k in r.evidence.get("keys", [])]
    assert keys
    log = (secret_run / "pcap" / KEYLOG).read_text(encoding="utf-8")
    wire = b"".join(p.read_bytes() for p in (secret_run / "pcap").glob("*.pcap"))
    for key in keys:
        assert f"master_key={key['master_key']}" in log
        assert bytes.fromhex(key["master_key"]) not in wire
    plain = make_run(tmp_path)
    assert not (plain / "pcap" / KEYLOG).exists()
    for name in ("journal.jsonl", "results.json", "report.html"):
        text = (plain / name).read_text(encoding="utf-8")
        assert '"keys"' not in text and "master_key" not in text


@needs_tshark
def test_an_rtsp_sut_s_captures_hold_its_rtsp_streams_and_the_mikey_they_carried(
    tmp_path: Path,
) -> None:
    reason = available()
    if reason is not None:
        pytest.skip(f"no gst-rtsp-server peer: {reason}")
    test = "rfc3830/test_freshness_initiator.py::test_every_i_message_has_a_unique_timestamp[PSK]"
    done = mikeyconf("run", "--sut", "rtsp:gst-rtsp-server", "--test", test, "-q",
                     "--out", str(tmp_path), "--run-id", "r")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    capture = json.loads((tmp_path / "r" / "pcap" / "index.json").read_text())["tests"][test]
    assert capture["rtsp"] and len(capture["ports"]) >= 2  # a connection per I_MESSAGE
    fields = tshark("-r", str(tmp_path / "r" / capture["file"]), "-T", "fields", "-e", "tcp.port",
                    "-e", "rtsp.method", "-e", "sdp.media_attribute.field", "-e", "mikey.version",
                    "-e", "tcp.analysis.flags")  # fmt: skip
    assert fields.returncode == 0, fields.stderr
    rows = [line.split("\t") for line in fields.stdout.splitlines()]
    assert all(not flags for *_, flags in rows)  # no lost, duplicate or out-of-order segment
    assert [r[1] for r in rows if r[1]] == ["DESCRIBE"] * len(capture["ports"])
    assert sum("key-mgmt" in r[2] for r in rows) == len(capture["ports"])  # SDP offers
    assert sum(r[3] == "1" for r in rows) == len(capture["ports"])  # the I_MESSAGEs, as MIKEY
    assert {int(p) for r in rows if r[0] for p in r[0].split(",")} == {554, *capture["ports"]}
