"""RFC 4567 4.2, the other direction: an RTSP client as MIKEY's responder.

The suite's reference initiator stands behind an RTSP server (the SUT adapter
serves its I_MESSAGE in the DESCRIBE answer, suts/rtsp_responder.py); the
client answers in SETUP's KeyMgmt header, or aborts the session. These tests
apply to SUTs that carry MIKEY in RTSP and media (capabilities().media).

The media proof: after the exchange the suite sends SRTP (PCMU, suts/rtp.py)
under the keys of the reference's crypto session 1 (RFC 3830 4.1.3, Appendix
A), then an SRTCP sender report. The client took it in only if its SRTCP
receiver report names our SSRC with an extended highest sequence number we
sent (RFC 3550 6.4.1); media it cannot authenticate never reaches its RTP
session. The report is read under the keys it was sent with: a crypto
session of the CSB, or a key the client sent in the clear in its own KeyMgmt
message (GStreamer's rtspsrc sends its own I_MESSAGE for its SRTCP; a 30-byte
TEK there is read as master key || salt, as GStreamer writes it). When the
client also says what it depayloaded (MediaCapture.payload), that must be
what we sent.
"""

from __future__ import annotations

import pytest

from conformance.checks import not_applicable
from conformance.evidence import Evidence
from conformance.reference import ReferenceInitiator, exchange_params, send_to_responder
from conformance.rtsp_media import cleartext_keys, reported_sequences
from mikey.srtp import libsrtp_session
from mikey.wire import EncrAlg, KeyType, MacAlg, SrtpIdEntry
from suts.base import ExchangeParams, Profile, Sut
from suts.rtp import pcmu_payload, rtp_packet, sender_report

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("responder")]

SSRC = 0x4D494B45
FIRST_SEQ = 0x1000
PACKETS = 25
NOT_MIKEY = {
    "text": b"not a MIKEY message",
    "truncated-header": bytes.fromhex("0100050012345678"),  # a Common Header is 10+ bytes (6.1)
}


def rtsp_client(sut: Sut) -> None:
    if not sut.capabilities().media:
        not_applicable("the SUT carries no MIKEY in RTSP (no media)")


def client_params(sut: Sut) -> ExchangeParams:
    """The plainest exchange the client declares it takes: V=0 (no answer needed, RFC
    3830 3.1), no optional IDs, its own KEMAC algorithms and Key data type, and our
    stream's SSRC for crypto session 1."""
    caps = sut.capabilities()
    encr = EncrAlg.AES_CM_128 if EncrAlg.AES_CM_128 in caps.encr_algs else min(caps.encr_algs)
    mac = MacAlg.HMAC_SHA_1_160 if MacAlg.HMAC_SHA_1_160 in caps.mac_algs else min(caps.mac_algs)
    key = KeyType.TEK_SALT if KeyType.TEK_SALT in caps.key_types else min(caps.key_types)
    return exchange_params(
        v=False,
        include_ids=False,
        encr_alg=encr,
        mac_alg=mac,
        key_type=key,
        cs_map=(SrtpIdEntry(policy_no=0, ssrc=SSRC, roc=0),),  # our stream (RFC 3830 6.1.1)
    )


@pytest.mark.requirement("RFC4567-4.2-client-abort")
@pytest.mark.parametrize("kind", sorted(NOT_MIKEY))
def test_client_aborts_on_an_offer_that_is_not_mikey(
    sut: Sut, profile: Profile, evidence: Evidence, kind: str
) -> None:
    """Key management data that does not decode is an error: the session is aborted
    (no SETUP) and no error is sent back (4.2)."""
    rtsp_client(sut)
    ref = ReferenceInitiator(profile, client_params(sut))
    reply = send_to_responder(sut, ref, NOT_MIKEY[kind], evidence)
    assert reply.accepted is not True, f"the client set the session up: {reply.detail}"
    assert reply.message is None, "the client sent key management data back (4.2: no error)"


@pytest.mark.requirement("RFC4567-3-media-keyed-by-key-mgmt")
def test_client_takes_media_under_the_exchanged_keys(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """SRTP under the keys the exchange established reaches the client: its receiver
    report names our SSRC and a sequence number we sent."""
    rtsp_client(sut)
    pytest.importorskip("pylibsrtp", reason="not-applicable: pylibsrtp is not installed")
    import pylibsrtp

    ref = ReferenceInitiator(profile, client_params(sut))
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    assert reply.accepted is not False, f"the client aborted the session: {reply.detail}"
    keys = ref.srtp_keys(1)
    sender = libsrtp_session(keys, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    seqs = range(FIRST_SEQ, FIRST_SEQ + PACKETS)
    rtp = tuple(sender.protect(rtp_packet(SSRC, seq)) for seq in seqs)
    capture = sut.send_srtp(rtp, sender.protect_rtcp(sender_report(SSRC, PACKETS)))
    evidence.note(f"media: sent {PACKETS} SRTP, got {len(capture.rtcp)} SRTCP back")
    candidates = [ref.srtp_keys(cs) for cs in ref.cs_ids] + cleartext_keys(reply.message)
    highest = reported_sequences(capture.rtcp, candidates, SSRC)
    evidence.note(f"reports on our SSRC: highest sequence numbers {highest}")
    assert any(seqs[0] <= h <= seqs[-1] for h in highest), (
        f"no receiver report names SSRC {SSRC:#x} with a sequence number we sent "
        f"({len(capture.rtcp)} SRTCP packets came back)"
    )
    if capture.payload is not None:
        sent = b"".join(pcmu_payload(seq) for seq in seqs)
        assert capture.payload and capture.payload in sent, (
            f"the client's {len(capture.payload)} bytes of media are not what we sent"
        )
