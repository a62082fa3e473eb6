"""Classic libpcap files of IPv4 packets (LINKTYPE_RAW), written with struct.

The format (https://www.tcpdump.org/manpages/pcap-savefile.5.html): a 24-byte
file header, then per packet a 16-byte record header (seconds, microseconds,
captured and original length) and the packet. The packets are IPv4 (RFC 791)
carrying UDP datagrams (RFC 768) or TCP segments (RFC 9293) with valid checksums.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable, Sequence
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
TCP_HEADER = struct.Struct("!HHIIBBHHH")
PROTO_TCP, PROTO_UDP = 6, 17
TCP_SYN, TCP_PSH, TCP_ACK = 0x02, 0x08, 0x10
CLIENT_ISN, SERVER_ISN = 1000, 5000
"""Initial sequence numbers: any will do in a capture."""
MAX_SEGMENT = 1460
"""Bytes of data per TCP segment (a 1500-byte MTU), as a host would send them."""
HANDSHAKE_STEP = 0.000001
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
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _pseudo_header(src: str, dst: str, proto: int, length: int) -> bytes:
    """RFC 768, RFC 9293 3.1: the checksum covers the addresses, protocol and length too."""
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto, length)


def _ipv4(src: str, dst: str, proto: int, ident: int, payload: bytes) -> bytes:
    fields = [0x45, 0, IP_HEADER.size + len(payload), ident & 0xFFFF, 0, TTL, proto, 0]
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
    return _ipv4(src[0], dst[0], PROTO_UDP, ident, segment)


def tcp(src: Endpoint, dst: Endpoint, seq: int, ack: int, flags: int, payload: bytes) -> bytes:
    """The IPv4 packet of one TCP segment (no options, window 65535)."""
    fields = [src[1], dst[1], seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0]
    pseudo = _pseudo_header(src[0], dst[0], PROTO_TCP, TCP_HEADER.size + len(payload))
    fields[7] = checksum(pseudo + TCP_HEADER.pack(*fields) + payload)
    return _ipv4(src[0], dst[0], PROTO_TCP, seq, TCP_HEADER.pack(*fields) + payload)


def tcp_stream(
    client: Endpoint, server: Endpoint, messages: Sequence[tuple[float, bool, bytes]]
) -> list[Packet]:
    """One TCP connection: the three-way handshake just before the first message, then
    each (time, sent by the client, data) as segments of at most MAX_SEGMENT bytes, every
    one acknowledging what the other side sent so far."""
    if not messages:
        return []
    start = messages[0][0] - 3 * HANDSHAKE_STEP
    packets = [
        Packet(start, tcp(client, server, CLIENT_ISN, 0, TCP_SYN, b"")),
        Packet(start + HANDSHAKE_STEP, tcp(server, client, SERVER_ISN, CLIENT_ISN + 1,
                                           TCP_SYN | TCP_ACK, b"")),
        Packet(start + 2 * HANDSHAKE_STEP, tcp(client, server, CLIENT_ISN + 1, SERVER_ISN + 1,
                                               TCP_ACK, b"")),
    ]  # fmt: skip
    seq = {client: CLIENT_ISN + 1, server: SERVER_ISN + 1}
    for when, from_client, data in messages:
        src, dst = (client, server) if from_client else (server, client)
        for at in range(0, len(data), MAX_SEGMENT):
            chunk = data[at : at + MAX_SEGMENT]
            packets.append(
                Packet(when, tcp(src, dst, seq[src], seq[dst], TCP_PSH | TCP_ACK, chunk))
            )
            seq[src] += len(chunk)
    return packets


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
