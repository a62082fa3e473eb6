"""`mikeyconf serve --rtsp`, the reference as an RTSP server (RFC 4567 4.2): the suite's RTSP
server tests pass against it, its media decrypts, and it is strict with what SETUP carries."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.reference import exchange_params
from conformance.rtsp_media import cleartext_keys
from mikey.srtp import libsrtp_session
from suts.base import Profile
from suts.rtp import pcmu_payload
from suts.rtsp import RtspSut, parse_spec
from suts.rtspsrc import available

ROOT = Path(__file__).resolve().parents[2]
CLEAR = ["--no-ids", "--encr", "NULL", "--mac", "NULL", "--key-type", "TEK_SALT"]
"""An offer with its key in the clear, so a test can read it (and rtspsrc can use it)."""


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Iterator[str]:
    """`mikeyconf serve --rtsp` with the options the test names; yields its URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "serve",
            "--rtsp",
            "--port",
            "0",
            "--duration",
            "2",
            *request.param,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "RTSP on rtsp://" in line, line
    yield line.split("RTSP on ")[1].split()[0]
    process.terminate()
    assert process.wait(timeout=10) == 0
    assert "mikeyconf serve: stopped" in process.stdout.read()


def client(url: str) -> RtspSut:
    return RtspSut(spec=parse_spec(url.removeprefix("rtsp:")), profile=Profile())


@pytest.mark.parametrize("serve", [[]], indirect=True)
def test_the_rtsp_server_tests_pass_against_the_reference(serve: str, tmp_path: Path) -> None:
    """The suite as an RTSP client (suts/rtsp.py) against the reference server: the
    I_MESSAGE, the verification message, 463 to an answer that is not MIKEY, and SRTP that
    decrypts under the exchanged keys on the SSRC of the CS ID map."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "run",
            "--sut",
            f"{serve}?encr=AES_CM_128&mac=HMAC_SHA_1_160",
            "--no-expectations",
            "--out",
            str(tmp_path),
            "--run-id",
            "run",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "run" / "results.json").read_text())["results"]
    verdicts = {r["test_id"]: r["verdict"] for r in results}
    assert verdicts["rfc4567/test_rtsp_media.py::test_media_decrypts_under_the_exchanged_keys"] == (
        "pass"
    )
    assert list(verdicts.values()).count("pass") >= 10


@pytest.mark.parametrize("serve", [[*CLEAR, "--no-v"]], indirect=True)
def test_with_v_0_setup_needs_no_keymgmt_and_the_media_decrypts(serve: str) -> None:
    import pylibsrtp

    sut = client(serve)
    try:
        keys = cleartext_keys(sut.initiate(exchange_params()))
        assert sut.complete(None).accepted
        capture = sut.receive_srtp()
    finally:
        sut.close()
    session = libsrtp_session(keys[0], pylibsrtp.Policy.SSRC_ANY_INBOUND)
    plain = [session.unprotect(p) for p in capture.rtp]
    assert len(plain) >= 20 and plain[0][12:] == pcmu_payload(0x1000)


@pytest.mark.parametrize("serve", [[]], indirect=True)
def test_with_v_1_a_setup_without_keymgmt_is_forbidden(serve: str) -> None:
    """RFC 4567 4.2: a SETUP without the key management the server expects gets 403."""
    sut = client(serve)
    try:
        sut.initiate(exchange_params())
        outcome = sut.complete(None)
    finally:
        sut.close()
    assert not outcome.accepted and outcome.detail == "SETUP 403 Forbidden"


@pytest.mark.parametrize("serve", [CLEAR], indirect=True)
def test_rtspsrc_gets_463_as_it_sends_no_verification_message(serve: str) -> None:
    """V=1 asks for a verification message (RFC 3830 3.1); rtspsrc's SETUP carries its own
    I_MESSAGE, which the strict reference does not take: 463 (RFC 4567 4.2)."""
    reason = available()
    if reason is not None:
        pytest.skip(f"no rtspsrc: {reason}")
    done = subprocess.run(
        ["gst-launch-1.0", "rtspsrc", f"location={serve}", "protocols=udp", "!", "fakesink"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode != 0
    assert "Error (463): Key management failure" in done.stdout + done.stderr


def test_a_taken_port_is_a_one_line_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "conformance.cli", "serve", "--rtsp", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last == f"mikeyconf: error: cannot serve RTSP on 127.0.0.1:{port}: the port is taken"
