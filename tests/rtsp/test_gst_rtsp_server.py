"""The RTSP adapter against a live gst-rtsp-server: the suite's report is real, the media
really decrypts, and the findings its expectations file states are measured here."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.expectations import load as load_expectations
from conformance.reference import ReferenceResponder
from mikey.srtp import SrtpKeys, libsrtp_session
from mikey.wire import DataType, Kemac, KeyType, decode_key_data, decode_message
from suts.base import ExchangeParams, Profile, SutFailure
from suts.rtsp import RtspSut, from_spec
from suts.rtsp_peer import RtspServer, start_server

ROOT = Path(__file__).resolve().parents[2]


def adapter(server: RtspServer, query: str = "") -> RtspSut:
    sut = from_spec(server.url.removeprefix("rtsp:") + query, Profile())
    assert isinstance(sut, RtspSut)
    return sut


def test_suite_run_is_real_and_every_deviation_is_expected(
    rtsp_server: RtspServer, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "run",
            "--sut",
            rtsp_server.url + "?err-payloads=no",  # a server at a URL is not restarted
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
    rand = "rfc3830/test_freshness_initiator.py::test_rand_is_at_least_128_bits[PSK]"
    assert verdicts[rand] == "pass"
    media = "rfc4567/test_rtsp_media.py::test_media_decrypts_under_the_exchanged_keys"
    assert verdicts[media] == "expected-deviation"
    assert not [t for t, v in verdicts.items() if v in ("error", "fail", "unexpected-pass")]
    assert run["summary"]["inconclusive_counted"] == 0  # each one's precondition is listed
    deviating = [t for t, v in verdicts.items() if v == "expected-deviation"]
    listed = load_expectations(ROOT / "suts" / "expectations" / "rtsp.json")
    assert listed.unmatched(deviating) == []  # no stale entry


def offered_tek(message: bytes) -> bytes:
    """The Key data gst-rtsp-server sends in the clear (KEMAC Encr alg NULL)."""
    kemac = decode_message(message).first(Kemac)
    assert kemac is not None
    key_data = decode_key_data(kemac.encr_data)
    assert len(key_data) == 1 and key_data[0].key_type == KeyType.TEK
    return key_data[0].key


def test_media_decrypts_under_the_offered_tek_read_as_key_and_salt(
    rtsp_server: RtspServer,
) -> None:
    """The end-to-end path works: SETUP, PLAY, SRTP on our UDP ports, libsrtp unprotects
    every packet under the 30-byte TEK split as master key (16) and salt (14)."""
    import pylibsrtp

    sut = adapter(rtsp_server)
    try:
        tek = offered_tek(sut.initiate(ExchangeParams()))
        assert sut.complete(None).accepted
        capture = sut.receive_srtp()
    finally:
        sut.close()
    assert len(tek) == 30
    session = libsrtp_session(SrtpKeys(tek[:16], tek[16:]), pylibsrtp.Policy.SSRC_ANY_INBOUND)
    assert len(capture.rtp) >= 10
    for packet in capture.rtp:
        assert len(session.unprotect(packet)) == len(packet) - 10  # the 80-bit tag
    other = libsrtp_session(SrtpKeys(tek[:16], bytes(14)), pylibsrtp.Policy.SSRC_ANY_INBOUND)
    with pytest.raises(pylibsrtp.Error):
        other.unprotect(capture.rtp[0])


def test_setup_answers_200_to_key_management_data_that_is_not_mikey(
    rtsp_server: RtspServer,
) -> None:
    """RFC 4567 4.2 asks for 463 when key management fails; gst-rtsp-server says 200."""
    sut = adapter(rtsp_server)
    try:
        sut.initiate(ExchangeParams())
        outcome = sut.complete(b"\x01" * 40)
    finally:
        sut.close()
    assert outcome.accepted and outcome.detail == "SETUP 200 OK"


@pytest.mark.usefixtures("rtsp_server")  # skips without the peer
def test_a_wedged_server_is_a_sut_failure_with_evidence_and_is_restarted() -> None:
    """A MIKEY Error message in SETUP's KeyMgmt spins gst-rtsp-server's main loop (gstmikey.c
    loops on a payload it does not parse): the adapter times out, reports the exchange and
    the server's state, and the next call runs on a restarted server."""
    sut = from_spec("gst-rtsp-server", Profile())
    assert isinstance(sut, RtspSut)
    try:
        sut.spec = replace(sut.spec, timeout=1.0)
        first = sut.initiate(ExchangeParams())
        rejection = ReferenceResponder(Profile()).take(first)
        assert rejection.message is not None
        assert decode_message(rejection.message).hdr.data_type == DataType.ERROR
        with pytest.raises(SutFailure, match=r"(?s)SETUP: timed out.*>> DESCRIBE.*still running"):
            sut.complete(rejection.message)
        wedged = sut.spec.port
        second = sut.initiate(ExchangeParams())
        assert sut.spec.port != wedged and second != first
        assert sut.complete(None).accepted
    finally:
        sut.close()


@pytest.mark.usefixtures("rtsp_server")  # skips without the peer
def test_the_launcher_exits_when_its_parent_goes_away() -> None:
    """No orphan: the launcher quits at end of file on stdin, as when the suite dies."""
    server = start_server()
    try:
        assert server.process.stdin is not None
        server.process.stdin.close()
        assert server.process.wait(timeout=5) == 0
    finally:
        server.stop()
