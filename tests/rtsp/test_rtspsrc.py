"""The other direction of RFC 4567 4.2: the suite's RTSP server and an RTSP client.

Against GStreamer's rtspsrc (gst-launch-1.0; skipped, with the reason, only
when it or the rtspsrc/srtpdec elements are missing): the suite's report is
real and every deviation is expected; what rtspsrc sends in SETUP; its
media really decrypts when offered a key the way GStreamer reads it; its
busy loop on ID payloads. And `mikeyconf serve --rtsp` against rtspsrc and
against our own RTSP client (suts/rtsp.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.expectations import load as load_expectations
from conformance.reference import ReferenceInitiator, exchange_params
from conformance.rtsp_media import cleartext_keys, reported_sequences
from mikey.srtp import SrtpKeys, libsrtp_session
from mikey.wire import (
    DataType,
    EncrAlg,
    Kemac,
    KeyData,
    KeyType,
    MacAlg,
    decode_message,
    encode_key_data,
    encode_message,
)
from suts.base import Profile, SutFailure
from suts.rtp import pcmu_payload, rtp_packet, sender_report
from suts.rtsp_responder import RtspClientSut
from suts.rtspsrc import available, from_spec

ROOT = Path(__file__).resolve().parents[2]
SSRC = 0x4D494B45


@pytest.fixture
def rtspsrc() -> Iterator[RtspClientSut]:
    reason = available()
    if reason is not None:
        pytest.skip(f"no rtspsrc: {reason}")
    sut = from_spec("", Profile())
    assert isinstance(sut, RtspClientSut)
    yield sut
    sut.close()


def offer(include_ids: bool = False, tek: bytes | None = None) -> tuple[bytes, SrtpKeys | None]:
    """A V=0 PSK I_MESSAGE with its key in the clear; `tek`: one Key data of type TEK
    holding those bytes (GStreamer's master key || salt) instead of the reference's."""
    ref = ReferenceInitiator(
        Profile(),
        exchange_params(
            encr_alg=EncrAlg.NULL,
            mac_alg=MacAlg.NULL,
            key_type=KeyType.TEK_SALT,
            include_ids=include_ids,
            v=False,
        ),
    )
    message = ref.i_message()
    if tek is None:
        return message, ref.srtp_keys(1)
    parsed = decode_message(message)
    kemac = encode_key_data((KeyData(KeyType.TEK, tek),))
    payloads = tuple(
        replace(p, encr_data=kemac) if isinstance(p, Kemac) else p for p in parsed.payloads
    )
    return encode_message(replace(parsed, payloads=payloads)), SrtpKeys(tek[:16], tek[16:])


def test_rtspsrc_answers_with_its_own_i_message_and_takes_media_keyed_its_way(
    rtspsrc: RtspClientSut,
) -> None:
    """rtspsrc sends its own PSK I_MESSAGE in SETUP (V=0, KEMAC NULL/NULL, a 30-byte TEK for
    its SRTCP, uri = the medium's control URL); offered a 30-byte TEK it decrypts our SRTP:
    its receiver reports (under its own key) name our SSRC and sequence numbers we sent,
    and it depayloads exactly the PCMU we sent."""
    import pylibsrtp

    message, keys = offer(tek=os.urandom(30))
    assert keys is not None
    reply = rtspsrc.respond(message, exchange_params())
    assert (
        reply.accepted
        and "uri=rtsp://127.0.0.1:" in reply.detail
        and "/test/stream=0" in reply.detail
    )
    answer = decode_message(reply.message or b"")
    kemac = answer.first(Kemac)
    assert answer.hdr.data_type == DataType.PSK_INIT and not answer.hdr.v
    assert kemac is not None and (kemac.encr_alg, kemac.mac_alg) == (EncrAlg.NULL, MacAlg.NULL)
    sender = libsrtp_session(keys, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    seqs = range(0x1000, 0x1000 + 25)
    capture = rtspsrc.send_srtp(
        tuple(sender.protect(rtp_packet(SSRC, s)) for s in seqs),
        sender.protect_rtcp(sender_report(SSRC, 25)),
    )
    reported = reported_sequences(capture.rtcp, cleartext_keys(reply.message), SSRC)
    assert reported and all(seq in seqs for seq in reported)
    assert capture.payload == b"".join(pcmu_payload(s) for s in seqs)


def test_rtspsrc_spins_on_an_offer_with_id_payloads(rtspsrc: RtspClientSut) -> None:
    """gstmikey.c loops on the ID payloads RFC 3830 3.1 allows: a SutFailure with evidence."""
    message, _ = offer(include_ids=True)
    with pytest.raises(SutFailure, match=r"spins: .* s of CPU after DESCRIBE.*DESCRIBE 200"):
        rtspsrc.respond(message, exchange_params())


def test_suite_run_against_rtspsrc_is_real_and_every_deviation_is_expected(
    rtspsrc: RtspClientSut, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "run",
            "--sut",
            "rtspsrc",
            "--out",
            str(tmp_path),
            "--run-id",
            "run",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run = json.loads((tmp_path / "run" / "results.json").read_text())
    results = run["results"]
    verdicts = {r["test_id"]: r["verdict"] for r in results}
    client = "rfc4567/test_rtsp_client.py::"
    assert (
        verdicts[client + "test_client_takes_media_under_the_exchanged_keys"]
        == "expected-deviation"
    )
    assert (
        verdicts[client + "test_client_aborts_on_an_offer_that_is_not_mikey[text]"]
        == "expected-deviation"
    )
    assert not [t for t, v in verdicts.items() if v in ("error", "fail", "unexpected-pass")]
    assert run["summary"]["inconclusive_counted"] == 0  # each one's precondition is listed
    deviating = [t for t, v in verdicts.items() if v == "expected-deviation"]
    listed = load_expectations(ROOT / "suts" / "expectations" / "rtspsrc.json")
    assert listed.unmatched(deviating) == []  # no stale entry
