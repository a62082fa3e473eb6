"""RTSP client mutants: the reference responder behind the rtsp-client adapter's interface.

`RtspClientLikeSut` is the built-in SUT as an RTSP client would be (RFC 4567
4.2): responder only, it aborts the session on an error without sending
anything back, and after the exchange it takes SRTP under the keys of the
CSB it responded to (crypto session 1) and reports on it in an SRTCP
receiver report under the same keys. conformance/rfc4567/test_rtsp_client.py
passes it (tests/rtsp) and must fail each mutant.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, replace

from mikey.srtp import SrtpKeys, libsrtp_session
from mikey.wire import DecodeError, decode_message
from suts.base import (
    Capabilities,
    ExchangeParams,
    MediaCapture,
    Profile,
    Reply,
    Role,
    Sut,
    SutFailure,
)
from suts.builtin import BuiltinSut
from suts.rtp import RECEIVER_REPORT, RTP_HEADER
from tests.mutants.bank import mutant

REPORTER = 0x52454345


def receiver_report(ssrc: int, highest: int) -> bytes:
    """An RTCP RR with one report block on `ssrc` (RFC 3550 6.4.2)."""
    block = struct.pack("!IIIIII", ssrc, 0, highest, 0, 0, 0)
    return struct.pack("!BBHI", 0x81, RECEIVER_REPORT, 7, REPORTER) + block


@dataclass
class RtspClientLikeSut(BuiltinSut):
    """The built-in responder as an RTSP client; `change` alters the keys it takes media
    under, `sets_up_anyway` makes it take an offer that is not MIKEY."""

    change: Callable[[SrtpKeys], SrtpKeys] | None = None
    sets_up_anyway: bool = False

    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), roles=frozenset({Role.RESPONDER}), media=True)

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        if self.sets_up_anyway:
            try:
                decode_message(message)
            except DecodeError:
                return Reply(None, True, "SETUP without KeyMgmt")
        reply = super().respond(message, params)
        if reply.accepted is False:
            return Reply(None, False, f"aborted: {reply.detail}")
        return reply

    def send_srtp(self, rtp: tuple[bytes, ...], rtcp: bytes) -> MediaCapture:
        import pylibsrtp

        keys = self.srtp_keys(Role.RESPONDER, 1)
        if keys is None:
            raise SutFailure("no established CSB to take the media under")
        taken_under = self.change(keys) if self.change else keys
        inbound = libsrtp_session(taken_under, pylibsrtp.Policy.SSRC_ANY_INBOUND)
        taken = []
        for packet in rtp:
            try:
                taken.append(inbound.unprotect(packet))
            except pylibsrtp.Error:
                continue
        reports = []
        if taken:
            ssrc = struct.unpack_from("!I", taken[-1], 8)[0]
            highest = max(struct.unpack_from("!H", p, 2)[0] for p in taken)
            outbound = libsrtp_session(keys, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
            reports.append(outbound.protect_rtcp(receiver_report(ssrc, highest)))
        payload = b"".join(p[RTP_HEADER:] for p in taken)
        return MediaCapture(rtp=(), rtcp=tuple(reports), payload=payload)


@mutant(
    breaks="RFC4567-3-media-keyed-by-key-mgmt",
    description="an RTSP client that takes SRTP under a master salt one bit off the exchanged one",
)
def client_media_under_other_keys(profile: Profile) -> Sut:
    from tests.mutants.media_mutants import _other_salt  # the bank imports both modules

    return RtspClientLikeSut(profile=profile, change=_other_salt)


@mutant(
    breaks="RFC4567-4.2-client-abort",
    description="an RTSP client that sets the session up on an offer that is not MIKEY",
)
def client_sets_up_on_garbage(profile: Profile) -> Sut:
    return RtspClientLikeSut(profile=profile, sets_up_anyway=True)
