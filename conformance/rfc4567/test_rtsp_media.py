"""The end-to-end proof of an RFC 4567 exchange: the endpoint's media decrypts under its keys.

The SUT initiates (an RTSP server offers its I_MESSAGE in DESCRIBE, RFC 4567
4.2); the reference responder takes it and derives the crypto sessions' SRTP
master keys and salts (RFC 3830 4.1.3, Appendix A); the SUT takes the answer
(in SETUP's KeyMgmt header) and starts its media (PLAY). Every SRTP and SRTCP
packet it sends must authenticate and decrypt through libsrtp under the keys
of its crypto session, found by the packet's SSRC in the CS ID map (RFC 3830
6.1.1: the SSRC "MUST be used for the i-th SRTP stream"). Media under other
keys fails libsrtp's authentication check, so it fails here too.
"""

from __future__ import annotations

import pytest

from conformance.evidence import Evidence
from conformance.reference import ReferenceResponder, exchange_params, initiate
from mikey.srtp import SrtpKeys, libsrtp_session
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("initiator")]

RTP_HEADER = 12
RTCP_HEADER = 8


def _ssrc(packet: bytes, at: int) -> int | None:
    """The SSRC at byte `at` of an RTP (4) or RTCP (4, the sender's) header (RFC 3550 5.1, 6.4)."""
    return int.from_bytes(packet[at : at + 4], "big") if len(packet) >= at + 4 else None


def _unprotect(keys: SrtpKeys, packets: tuple[bytes, ...], rtcp: bool) -> list[str]:
    """Why each packet does not authenticate and decrypt under `keys` (libsrtp)."""
    import pylibsrtp

    session = libsrtp_session(keys, pylibsrtp.Policy.SSRC_ANY_INBOUND)
    faults = []
    for number, packet in enumerate(packets):
        try:
            session.unprotect_rtcp(packet) if rtcp else session.unprotect(packet)
        except pylibsrtp.Error as exc:
            faults.append(f"{'SRTCP' if rtcp else 'SRTP'} packet {number}: {exc}")
    return faults


@pytest.mark.requirement("RFC4567-3-media-keyed-by-key-mgmt", "RFC3830-6.1.1-ssrc")
def test_media_decrypts_under_the_exchanged_keys(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """After the exchange, the SUT's SRTP (and SRTCP) decrypts under the keys it exchanged."""
    if not sut.capabilities().media:
        pytest.skip("not-applicable: the SUT sends no media")
    pytest.importorskip("pylibsrtp", reason="not-applicable: pylibsrtp is not installed")
    ref = ReferenceResponder(profile)
    reply = ref.take(initiate(sut, exchange_params(), evidence))
    assert reply.outcome.accepted, f"the reference responder rejects: {reply.outcome.reason}"
    answer = evidence.to_sut("R_MESSAGE", reply.message) if reply.message else None
    outcome = sut.complete(answer)
    assert outcome.accepted, f"the SUT rejects the answer: {outcome.detail}"
    csb = ref.csb
    assert csb is not None
    capture = sut.receive_srtp()
    evidence.note(f"media: {len(capture.rtp)} SRTP, {len(capture.rtcp)} SRTCP packets")
    assert capture.rtp, "no SRTP packet arrived after the exchange"
    by_ssrc = {entry.ssrc: cs_id for cs_id, entry in enumerate(csb.cs_map, 1)}
    faults = []
    for packets, at, rtcp in ((capture.rtp, RTP_HEADER - 4, False), (capture.rtcp, 4, True)):
        for ssrc in sorted({_ssrc(p, at) for p in packets}, key=lambda s: s or 0):
            stream = tuple(p for p in packets if _ssrc(p, at) == ssrc)
            cs_id = by_ssrc.get(ssrc) if ssrc is not None else None
            if cs_id is None:
                faults.append(f"SSRC {ssrc} is in no crypto session of the CS ID map")
                continue
            faults += _unprotect(csb.srtp_keys(cs_id), stream, rtcp)
    assert not faults, f"{len(faults)} fault(s), first: {faults[:3]}"
