"""SRTP round trips through libsrtp (pylibsrtp) with keys MIKEY handed off.

`round_trip(sender, receiver)` protects RTP packets with the sender's
`SrtpKeys` and unprotects them with the receiver's, and reports what happened
instead of raising, so a test can drive it from any pair of parties (two
derivations here; an initiator and a responder of a real exchange elsewhere).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import pylibsrtp

from mikey.srtp import SrtpKeys, libsrtp_session

SSRC = 0x5500_0001


def rtp_packet(seq: int, payload: bytes, ssrc: int = SSRC, timestamp: int = 0) -> bytes:
    """A minimal RTP packet (RFC 3550 5.1): V=2, no padding/extension/CSRC, PT 96."""
    return struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, timestamp, ssrc) + payload


DEFAULT_PACKETS = tuple(rtp_packet(seq, f"media frame {seq}".encode() * 4) for seq in range(1, 6))


@dataclass(frozen=True)
class RoundTrip:
    """The outcome of sending RTP packets from one SRTP party to another."""

    sent: tuple[bytes, ...]
    protected: tuple[bytes, ...]
    received: tuple[bytes, ...]
    error: str | None
    """libsrtp's error on the first packet the receiver refused, else None."""

    @property
    def ok(self) -> bool:
        """Every packet arrived, authenticated and decrypted to what was sent."""
        return self.error is None and self.received == self.sent


def round_trip(
    sender: SrtpKeys, receiver: SrtpKeys, packets: Sequence[bytes] = DEFAULT_PACKETS
) -> RoundTrip:
    """Protect `packets` under `sender`'s keys, unprotect them under `receiver`'s."""
    tx = libsrtp_session(sender, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    rx = libsrtp_session(receiver, pylibsrtp.Policy.SSRC_ANY_INBOUND)
    protected = tuple(tx.protect(p) for p in packets)
    received: list[bytes] = []
    for packet in protected:
        try:
            received.append(rx.unprotect(packet))
        except pylibsrtp.Error as exc:
            return RoundTrip(tuple(packets), protected, tuple(received), str(exc))
    return RoundTrip(tuple(packets), protected, tuple(received), None)
