"""Media mutants: an initiator whose SRTP is not keyed by the CSB it exchanged.

`MediaSut` is the built-in SUT with media: after an exchange it initiated,
it sends SRTP and SRTCP packets protected through libsrtp with the keys it
derived itself (its srtp_keys), on the SSRC its CS ID map names. The mutant
protects them with other keys, so conformance/rfc4567/test_rtsp_media.py
must fail it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from mikey.srtp import SrtpKeys, libsrtp_session
from mikey.wire import SrtpIdEntry
from suts.base import Capabilities, ExchangeParams, MediaCapture, Profile, Role, Sut, SutFailure
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant

SSRC = 0x4D494B45
PACKETS = 5
KeyChange = Callable[[SrtpKeys], SrtpKeys]


def _same(keys: SrtpKeys) -> SrtpKeys:
    return keys


def rtp_packet(seq: int) -> bytes:
    """An RTP packet (RFC 3550 5.1): V=2, PT 0 (PCMU), 160 bytes of silence."""
    header = bytes([0x80, 0]) + seq.to_bytes(2, "big") + (seq * 160).to_bytes(4, "big")
    return header + SSRC.to_bytes(4, "big") + b"\xff" * 160


def rtcp_packet() -> bytes:
    """An RTCP sender report without report blocks (RFC 3550 6.4.1)."""
    return bytes([0x80, 200, 0, 6]) + SSRC.to_bytes(4, "big") + bytes(20)


@dataclass
class MediaSut(BuiltinSut):
    """The built-in SUT that sends SRTP keyed by its own exported keys (`change` aside)."""

    change: KeyChange = _same

    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), media=True)

    def initiate(self, params: ExchangeParams) -> bytes:
        return super().initiate(replace(params, cs_map=(SrtpIdEntry(0, SSRC, 0),)))

    def receive_srtp(self) -> MediaCapture:
        import pylibsrtp

        keys = self.srtp_keys(Role.INITIATOR, 1)
        if keys is None:
            raise SutFailure("no established CSB to key the media")
        session = libsrtp_session(self.change(keys), pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
        rtp = tuple(session.protect(rtp_packet(seq)) for seq in range(PACKETS))
        return MediaCapture(rtp=rtp, rtcp=(session.protect_rtcp(rtcp_packet()),))


def _other_salt(keys: SrtpKeys) -> SrtpKeys:
    return replace(keys, master_salt=bytes([keys.master_salt[0] ^ 1]) + keys.master_salt[1:])


@mutant(
    breaks="RFC4567-3-media-keyed-by-key-mgmt",
    description="sends SRTP under a master salt one bit off the one the exchange established",
)
def media_under_other_keys(profile: Profile) -> Sut:
    return MediaSut(profile=profile, change=_other_salt)
