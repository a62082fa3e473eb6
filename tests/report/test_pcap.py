"""The pcap writer: checksums, fragments and the file format."""

from __future__ import annotations

import io
import socket
import struct

import pytest

from conformance.report.pcap import (
    FILE_HEADER,
    MAX_UDP_PAYLOAD,
    Packet,
    checksum,
    udp,
    write_pcap,
)


def test_checksum_of_a_known_ipv4_header() -> None:
    # The worked example of the IPv4 header checksum (192.168.0.1 -> 192.168.0.199).
    header = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    assert checksum(header) == 0xB861
    assert checksum(header[:10] + b"\xb8\x61" + header[12:]) == 0


def test_a_udp_datagram_verifies_against_its_pseudo_header() -> None:
    packet = udp(("127.0.0.1", 20000), ("127.0.0.2", 2269), b"\x01\x02\x03", ident=7)
    assert checksum(packet[:20]) == 0
    segment = packet[20:]
    pseudo = socket.inet_aton("127.0.0.1") + socket.inet_aton("127.0.0.2")
    pseudo += struct.pack("!BBH", 0, 17, len(segment))
    assert checksum(pseudo + segment) == 0
    assert struct.unpack("!HHH", segment[:6]) == (20000, 2269, 11)


def test_a_message_longer_than_a_udp_datagram_is_refused() -> None:
    udp(("127.0.0.1", 20000), ("127.0.0.2", 2269), bytes(MAX_UDP_PAYLOAD), ident=1)
    with pytest.raises(ValueError, match="65508 bytes do not fit one UDP datagram"):
        udp(("127.0.0.1", 20000), ("127.0.0.2", 2269), bytes(MAX_UDP_PAYLOAD + 1), ident=1)


def test_the_file_holds_a_header_and_one_record_per_packet() -> None:
    out = io.BytesIO()
    assert write_pcap(out, [Packet(1.5, b"ab"), Packet(2.000001, b"cde")]) == 2
    data = out.getvalue()
    assert data[:24] == FILE_HEADER and struct.unpack("<I", data[:4])[0] == 0xA1B2C3D4
    assert struct.unpack("<IIII", data[24:40]) == (1, 500000, 2, 2) and data[40:42] == b"ab"
    assert struct.unpack("<IIII", data[42:58]) == (2, 1, 3, 3) and data[58:] == b"cde"
