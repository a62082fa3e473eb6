"""The plain RTP and RTCP packets of the RTSP media checks (RFC 3550), before SRTP.

A deterministic test source (PCMU, payload type 0, RFC 3551 4.5.14: 8 kHz,
160 samples per 20 ms packet) whose payload is a function of the sequence
number, so what a client depayloads can be compared with what was sent; the
RTCP sender report the server sends; and the report blocks of a receiver's
RTCP compound packet, the proof that it took the media in.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

PCMU = 0
"""RFC 3551 Table 4: payload type 0, PCMU/8000."""
SAMPLES = 160
"""20 ms at 8 kHz (RFC 3551 4.5.14), one byte per sample."""
PACKET_INTERVAL = 0.02
SENDER_REPORT = 200
RECEIVER_REPORT = 201
RTP_HEADER = 12
RTCP_HEADER = 8


def pcmu_payload(seq: int) -> bytes:
    """The test source's payload of packet `seq`: a ramp starting at seq's low byte."""
    return bytes((seq + i) % 256 for i in range(SAMPLES))


def rtp_packet(ssrc: int, seq: int) -> bytes:
    """One RTP packet of the test source (RFC 3550 5.1): V=2, no marker, PT 0."""
    header = struct.pack("!BBHII", 0x80, PCMU, seq & 0xFFFF, (seq * SAMPLES) & 0xFFFFFFFF, ssrc)
    return header + pcmu_payload(seq)


def sender_report(ssrc: int, packets: int, ntp: int = 0) -> bytes:
    """An RTCP SR without report blocks (RFC 3550 6.4.1) after `packets` test packets."""
    body = struct.pack(
        "!IQIII", ssrc, ntp, (packets * SAMPLES) & 0xFFFFFFFF, packets, packets * SAMPLES
    )
    return struct.pack("!BBH", 0x80, SENDER_REPORT, len(body) // 4) + body


@dataclass(frozen=True)
class ReportBlock:
    """One reception report block (RFC 3550 6.4.1) of an SR or RR."""

    reporter: int
    ssrc: int
    fraction_lost: int
    cumulative_lost: int
    highest_seq: int
    """The extended highest sequence number received."""


def report_blocks(compound: bytes) -> list[ReportBlock]:
    """The report blocks of every SR and RR in an RTCP compound packet (RFC 3550 6.1);
    a packet cut short ends the walk."""
    blocks: list[ReportBlock] = []
    at = 0
    while at + RTCP_HEADER <= len(compound):
        first, kind, words = struct.unpack_from("!BBH", compound, at)
        end = at + 4 * (words + 1)
        if first >> 6 != 2 or end > len(compound):
            break
        if kind in (SENDER_REPORT, RECEIVER_REPORT):
            reporter = struct.unpack_from("!I", compound, at + 4)[0]
            start = at + RTCP_HEADER + (20 if kind == SENDER_REPORT else 0)
            for n in range(first & 0x1F):
                offset = start + 24 * n
                if offset + 24 > end:
                    break
                ssrc, lost, highest = struct.unpack_from("!III", compound, offset)
                blocks.append(ReportBlock(reporter, ssrc, lost >> 24, lost & 0xFFFFFF, highest))
        at = end
    return blocks
