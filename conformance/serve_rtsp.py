"""mikeyconf serve --rtsp: the reference as an RTSP server offering one MIKEY-keyed stream.

    mikeyconf serve --rtsp [--host ADDR] [--port N] [--path /test] [--profile FILE]
                    [--encr ALG] [--mac ALG] [--key-type TYPE] [--no-ids] [--no-v]
                    [--duration S] [--show-secrets]

Serves rtsp://ADDR:N/PATH (default 127.0.0.1:8554/test) with suts/rtsp_server.
Per DESCRIBE the reference PSK initiator makes a fresh I_MESSAGE (the options
choose its KEMAC algorithms, Key data type, IDs and V flag, RFC 3830 3.1)
and offers it in `a=key-mgmt:mikey` (RFC 4567 4.2); SETUP's KeyMgmt data goes
to the same initiator, strictly: an answer it does not accept is answered
463 Key Management Failure, a missing one it needs 403 (4.2). After PLAY it
sends the PCMU test source (suts/rtp.py) as SRTP under crypto session 1's
keys, with SRTCP sender reports, until TEARDOWN, the connection closes or
`--duration` seconds pass, and reads the client's SRTCP receiver reports.

One log line per session when it ends: the client, the offer, the SETUP
verdict, what was sent and what the client reported (keys only with
--show-secrets).
"""

from __future__ import annotations

import argparse
import itertools
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from conformance.rtsp_media import cleartext_keys, reported_sequences
from conformance.serve import describe, log
from mikey.srtp import libsrtp_session
from mikey.wire import EncrAlg, KeyType, MacAlg, SrtpIdEntry
from suts.base import ExchangeParams, Outcome, Profile, Role, SutFailure
from suts.builtin import BuiltinSut
from suts.rtp import PACKET_INTERVAL, rtp_packet, sender_report
from suts.rtsp_server.session import RtspMikeyServer, Session

RTSP_PORT = 8554
"""The customary unprivileged RTSP port (554 needs root)."""
SSRC = 0x4D494B45
"""The stream's SSRC, named for crypto session 1 in the offer's CS ID map (RFC 3830 6.1.1)."""
FIRST_SEQ = 0x1000


def add_arguments(serve: argparse.ArgumentParser) -> None:
    rtsp = serve.add_argument_group("--rtsp: the reference as an RTSP server (RFC 4567 4.2)")
    rtsp.add_argument("--rtsp", action="store_true", help="serve RTSP instead of MIKEY/UDP")
    rtsp.add_argument("--path", default="/test", help="the stream's path (default /test)")
    rtsp.add_argument("--encr", choices=[a.name for a in EncrAlg], default="AES_CM_128")
    rtsp.add_argument("--mac", choices=[a.name for a in MacAlg], default="HMAC_SHA_1_160")
    rtsp.add_argument("--key-type", choices=[k.name for k in KeyType], default="TGK")
    rtsp.add_argument("--no-ids", action="store_true", help="offer no IDi/IDr")
    rtsp.add_argument("--no-v", action="store_true", help="V=0: ask for no answer")
    rtsp.add_argument("--duration", type=float, default=30.0, help="seconds of media at most")
    rtsp.add_argument("--show-secrets", action="store_true", help="log the SRTP keys")


@dataclass
class ReferenceOffer:
    """The reference initiator behind one DESCRIBE (suts.rtsp_server KeyManagement)."""

    sut: BuiltinSut
    params: ExchangeParams
    message: bytes = b""
    outcome: Outcome | None = None

    def offer(self) -> bytes:
        self.message = self.sut.initiate(self.params)
        return self.message

    def take(self, data: bytes | None) -> bool:
        try:
            self.outcome = self.sut.complete(data)
        except SutFailure as exc:
            self.outcome = Outcome(False, None, str(exc))
        return self.outcome.accepted


def _stream(session: Session, duration: float) -> None:
    """PLAY: the test source under crypto session 1's keys until stopped."""
    import pylibsrtp

    offer = session.keymgmt
    assert isinstance(offer, ReferenceOffer) and session.media and session.transport
    keys = offer.sut.srtp_keys(Role.INITIATOR, 1)
    if keys is None:
        session.events.append("no keys to protect the media")
        return
    sender = libsrtp_session(keys, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    count = int(duration / PACKET_INTERVAL)
    packets: Iterator[bytes] = (
        sender.protect(rtp_packet(SSRC, seq))
        for seq in itertools.islice(itertools.count(FIRST_SEQ), count)
    )
    session.media.stream(
        session.transport,
        packets,
        lambda sent: sender.protect_rtcp(sender_report(SSRC, sent)),
        session.stop,
    )
    session.media.settle(0.0, drain=0.5)


def summary(session: Session, show_secrets: bool) -> str:
    """One log line for a finished session (no key material unless `show_secrets`)."""
    offer = session.keymgmt
    if not isinstance(offer, ReferenceOffer):
        return f"rtsp {session.peer}: {', '.join(session.events) or 'no request'}"
    if session.player is not None:
        session.player.join(timeout=2.0)
    parts = [f"rtsp {session.peer}: offered {describe(offer.message)}"]
    answer = describe(session.answer) if session.answer is not None else "no KeyMgmt"
    if session.setup_status is not None:
        verdict = offer.outcome.detail if offer.outcome else ""
        parts.append(f"SETUP {session.setup_status} on {answer} ({verdict})")
    if session.media is not None:
        keys = offer.sut.srtp_keys(Role.INITIATOR, 1)
        capture = session.media.capture()
        candidates = ([keys] if keys else []) + cleartext_keys(session.answer)
        highest = reported_sequences(capture.rtcp, candidates, SSRC)
        parts.append(
            f"sent {session.media.sent} SRTP; client sent {len(capture.rtcp)} SRTCP, "
            f"reports on our stream up to seq {max(highest) if highest else 'none'}"
        )
        if show_secrets and keys:
            parts.append(f"master key {keys.master_key.hex()} salt {keys.master_salt.hex()}")
        session.media.close()
    parts.append("torn down" if session.torn_down else "closed")
    return "; ".join(parts)


def serve_rtsp(options: argparse.Namespace, profile: Profile) -> int:
    params = ExchangeParams(
        cs_map=(SrtpIdEntry(policy_no=0, ssrc=SSRC, roc=0),),  # RFC 3830 6.1.1: our stream
        encr_alg=EncrAlg[options.encr],
        mac_alg=MacAlg[options.mac],
        key_type=KeyType[options.key_type],
        include_ids=not options.no_ids,
        v=not options.no_v,
    )
    server = RtspMikeyServer(
        keymgmt=lambda: ReferenceOffer(BuiltinSut(profile=profile), params),
        on_play=lambda session: _stream(session, options.duration),
        on_end=lambda session: log(summary(session, options.show_secrets)),
        host=options.bind,
        port=RTSP_PORT if options.port is None else options.port,
        path=options.path,
        keep_finished=False,  # a long-running server: each session is logged, then dropped
    )
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    log(f"mikeyconf serve: RTSP on {server.url} (Ctrl-C stops)")
    try:
        stop.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()
    log("mikeyconf serve: stopped")
    return 0
