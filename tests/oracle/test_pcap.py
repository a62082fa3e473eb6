"""The oracle's pcap writer: a classic libpcap file of UDP/IPv4 datagrams to port 2269."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from conformance.oracle.pcap import (
    LINKTYPE_RAW,
    MAX_UDP_PAYLOAD,
    MIKEY_PORT,
    PCAP_MAGIC,
    internet_checksum,
    pcap_bytes,
    udp_datagram,
    write_pcap,
)
from conformance.oracle.tshark import OracleUnavailable, tshark_path

MESSAGES = [b"", b"\x01", b"\x01\x02\x03", bytes(range(256)) * 3]


def records(data: bytes) -> list[bytes]:
    """The packets of a classic little-endian pcap file, checking its headers."""
    magic, major, minor, _, _, snaplen, linktype = struct.unpack_from("<IHHiIII", data)
    assert (magic, major, minor, linktype) == (PCAP_MAGIC, 2, 4, LINKTYPE_RAW)
    offset, packets = 24, []
    while offset < len(data):
        _, _, caplen, origlen = struct.unpack_from("<IIII", data, offset)
        assert caplen == origlen <= snaplen
        packets.append(data[offset + 16 : offset + 16 + caplen])
        offset += 16 + caplen
    assert offset == len(data)
    return packets


def test_each_message_is_one_udp_datagram_to_the_mikey_port() -> None:
    packets = records(pcap_bytes(MESSAGES))
    assert len(packets) == len(MESSAGES)
    for packet, message in zip(packets, MESSAGES, strict=True):
        version_ihl, total_len, proto = packet[0], struct.unpack_from("!H", packet, 2)[0], packet[9]
        assert (version_ihl, total_len, proto) == (0x45, len(packet), 17)
        _, dst_port, udp_len = struct.unpack_from("!HHH", packet, 20)
        assert (dst_port, udp_len) == (MIKEY_PORT, 8 + len(message))
        assert packet[28:] == message


def test_checksums_verify() -> None:
    for packet in records(pcap_bytes(MESSAGES)):
        assert internet_checksum(packet[:20]) == 0  # RFC 791: header sums to all ones
        udp = packet[20:]
        pseudo = packet[12:20] + struct.pack("!BBH", 0, 17, len(udp))
        assert internet_checksum(pseudo + udp) == 0  # RFC 768


def test_oversized_message_is_refused() -> None:
    udp_datagram(b"\x00" * MAX_UDP_PAYLOAD)
    with pytest.raises(ValueError):
        udp_datagram(b"\x00" * (MAX_UDP_PAYLOAD + 1))


def test_tshark_reads_the_file_with_good_checksums(tmp_path: Path) -> None:
    try:
        tshark = tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")
    path = tmp_path / "m.pcap"
    write_pcap(str(path), MESSAGES)
    fields = ["ip.checksum.status", "udp.checksum.status", "udp.dstport", "udp.length"]
    command = [tshark, "-n", "-r", str(path), "-o", "ip.check_checksum:TRUE"]
    command += ["-o", "udp.check_checksum:TRUE", "-T", "fields"]
    command += [arg for f in fields for arg in ("-e", f)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    # Checksum status 1 is "Good" (epan/proto.h PROTO_CHECKSUM_E_GOOD).
    assert rows == [["1", "1", str(MIKEY_PORT), str(8 + len(m))] for m in MESSAGES]
