"""Classic libpcap files of IPv4 packets (LINKTYPE_RAW), written with struct.

The format (https://www.tcpdump.org/manpages/pcap-savefile.5.html): a 24-byte
file header, then per packet a 16-byte record header (seconds, microseconds,
captured and original length) and the packet. The packets are IPv4 (RFC 791)
carrying UDP datagrams (RFC 768) with valid checksums.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

MAGIC_USEC = 0xA1B2C3D4
LINKTYPE_RAW = 101
"""Raw IPv4/IPv6, no link-layer header."""
SNAPLEN = 262144
FILE_HEADER = struct.pack("<IHHiIII", MAGIC_USEC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_RAW)
RECORD = struct.Struct("<IIII")

IP_HEADER = struct.Struct("!BBHHHBBH4s4s")
UDP_HEADER = struct.Struct("!HHHH")
PROTO_UDP = 17
TTL = 64
MAX_UDP_PAYLOAD = 65535 - IP_HEADER.size - UDP_HEADER.size
"""65507: the most one UDP datagram over IPv4 carries."""

Endpoint = tuple[str, int]
"""An IPv4 address and a port."""


@dataclass(frozen=True)
class Packet:
    """One captured IPv4 packet and when it was seen (seconds since the epoch)."""

    time: float
    data: bytes


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071): one's complement of the one's complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _pseudo_header(src: str, dst: str, proto: int, length: int) -> bytes:
    """RFC 768: the checksum covers the addresses, protocol and length too."""
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, length)


def _ipv4(src: str, dst: str, proto: int, ident: int, frag: int, payload: bytes) -> bytes:
    fields = [0x45, 0, IP_HEADER.size + len(payload), ident & 0xFFFF, frag, TTL, proto, 0]
    addrs = (socket.inet_aton(src), socket.inet_aton(dst))
    head = IP_HEADER.pack(*fields, *addrs)
    fields[-1] = checksum(head)
    return IP_HEADER.pack(*fields, *addrs) + payload


def udp(src: Endpoint, dst: Endpoint, payload: bytes, ident: int) -> bytes:
    """The IPv4 packet of one UDP datagram; ValueError when `payload` cannot be one."""
    if len(payload) > MAX_UDP_PAYLOAD:
        raise ValueError(f"{len(payload)} bytes do not fit one UDP datagram")
    length = UDP_HEADER.size + len(payload)
    pseudo = _pseudo_header(src[0], dst[0], PROTO_UDP, length)
    head = UDP_HEADER.pack(src[1], dst[1], length, 0)
    sum_ = checksum(pseudo + head + payload) or 0xFFFF  # RFC 768: 0 means "no checksum"
    segment = UDP_HEADER.pack(src[1], dst[1], length, sum_) + payload
    return _ipv4(src[0], dst[0], PROTO_UDP, ident, 0, segment)


def write_pcap(out: BinaryIO, packets: Iterable[Packet]) -> int:
    """Write a whole pcap file of `packets` (in the order given); returns how many."""
    out.write(FILE_HEADER)
    written = 0
    for packet in packets:
        micros = max(0, round(packet.time * 1_000_000))
        size = len(packet.data)
        out.write(RECORD.pack(micros // 1_000_000, micros % 1_000_000, size, size) + packet.data)
        written += 1
    return written
