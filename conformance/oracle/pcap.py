"""A classic libpcap file holding one UDP/IPv4 datagram per MIKEY message.

The file uses LINKTYPE_RAW (101): each record is a bare IPv4 packet, which
tshark dissects without an Ethernet header. Every datagram goes to UDP port
2269, the port IANA registered for MIKEY ("mikey", UDP and TCP), where Wireshark's MIKEY
dissector listens by default. IPv4 header checksum (RFC 791 section 3.1) and
UDP checksum (RFC 768) are computed, so no dissector flags the transport.

Formats: libpcap "classic" file header and record header as documented in
pcap-savefile(5) and draft-ietf-opsawg-pcap.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

MIKEY_PORT = 2269
"""IANA-registered port "mikey" (UDP and TCP); Wireshark's MIKEY dissector listens there."""

LINKTYPE_RAW = 101
"""Link type of a record that starts with the IP header (IPv4 or IPv6)."""

PCAP_MAGIC = 0xA1B2C3D4  # microsecond timestamps
PCAP_VERSION = (2, 4)
SNAPLEN = 0x40000

IPV4_HEADER_LEN = 20
UDP_HEADER_LEN = 8
MAX_UDP_PAYLOAD = 0xFFFF - IPV4_HEADER_LEN - UDP_HEADER_LEN
IPPROTO_UDP = 17

SRC_ADDR = bytes([192, 0, 2, 1])  # TEST-NET-1 (RFC 5737): never a real host
DST_ADDR = bytes([192, 0, 2, 2])
SRC_PORT = 40000


def internet_checksum(data: bytes) -> int:
    """The 16-bit one's complement of the one's complement sum (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_datagram(payload: bytes, src_port: int = SRC_PORT, dst_port: int = MIKEY_PORT) -> bytes:
    """A UDP header and `payload`, checksummed over the IPv4 pseudo-header (RFC 768)."""
    if len(payload) > MAX_UDP_PAYLOAD:
        raise ValueError(f"{len(payload)} bytes do not fit one UDP/IPv4 datagram")
    length = UDP_HEADER_LEN + len(payload)
    pseudo = SRC_ADDR + DST_ADDR + struct.pack("!BBH", 0, IPPROTO_UDP, length)
    header = struct.pack("!HHHH", src_port, dst_port, length, 0)
    checksum = internet_checksum(pseudo + header + payload)
    # A computed 0 is sent as all ones: 0 means "no checksum" (RFC 768).
    header = struct.pack("!HHHH", src_port, dst_port, length, checksum or 0xFFFF)
    return header + payload


def ipv4_packet(udp: bytes, ident: int) -> bytes:
    """An IPv4 header (RFC 791, no options, DF set) carrying the UDP datagram `udp`."""
    total = IPV4_HEADER_LEN + len(udp)
    fields = (0x45, 0, total, ident & 0xFFFF, 0x4000, 64, IPPROTO_UDP, 0)
    header = struct.pack("!BBHHHBBH4s4s", *fields, SRC_ADDR, DST_ADDR)
    checksum = internet_checksum(header)
    return header[:10] + struct.pack("!H", checksum) + header[12:] + udp


def pcap_bytes(messages: Iterable[bytes], port: int = MIKEY_PORT) -> bytes:
    """A whole pcap file: record i (frame i + 1) carries messages[i] to UDP `port`."""
    parts = [
        struct.pack("<IHHiIII", PCAP_MAGIC, *PCAP_VERSION, 0, 0, SNAPLEN, LINKTYPE_RAW),
    ]
    for index, message in enumerate(messages):
        packet = ipv4_packet(udp_datagram(bytes(message), dst_port=port), ident=index)
        # One second apart, so frame times are distinct and readable.
        parts.append(struct.pack("<IIII", index, 0, len(packet), len(packet)))
        parts.append(packet)
    return b"".join(parts)


def write_pcap(path: str, messages: Iterable[bytes], port: int = MIKEY_PORT) -> None:
    """Write `pcap_bytes(messages, port)` to the file at `path`."""
    with open(path, "wb") as out:
        out.write(pcap_bytes(messages, port))
