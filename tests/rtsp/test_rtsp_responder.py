"""suts/rtsp_responder.py without GStreamer: specs, and clients that abort, crash or never
come, scripted in Python; and the RFC 4567 client tests against a conformant fake client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from suts import SutSpecError
from suts.base import ExchangeParams, Profile, SutFailure
from suts.rtsp_responder import DEFAULT_TIMEOUT, RtspClientSut, from_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]
SCRIPTED = Path(__file__).with_name("scripted_client.py")


def client(command: str) -> RtspClientSut:
    return RtspClientSut(spec=parse_spec(command), profile=Profile())


@pytest.mark.parametrize(
    ("rest", "message"),
    [
        ("gst-launch-1.0 rtspsrc", "must contain {url}"),
        ("?colour=red x {url}", "unknown option"),
        ("?timeout=0 x {url}", "timeout must be positive"),
        ("?keys=TEKK x {url}", "unknown key type"),
        ("x '{url}", "cannot split"),
    ],
)
def test_bad_specs_are_one_line_errors(rest: str, message: str) -> None:
    with pytest.raises(SutSpecError, match=message):
        parse_spec(rest)


def scripted(*requests: str) -> RtspClientSut:
    """A client that sends DESCRIBE, then `requests` ("|" between lines), then quits."""
    args = " ".join(f"'{r}'" for r in ("DESCRIBE URL RTSP/1.0", *requests))
    return client(f"{sys.executable} {SCRIPTED} {{url}} {args}")


@pytest.mark.parametrize("requests", [(), ("TEARDOWN URL RTSP/1.0",)], ids=["close", "teardown"])
def test_a_client_that_does_not_set_up_aborted_the_session(requests: tuple[str, ...]) -> None:
    sut = scripted(*requests)
    try:
        reply = sut.respond(b"\x01\x00offer", ExchangeParams())
    finally:
        sut.close()
    assert reply.accepted is False and reply.message is None and "no SETUP" in reply.detail


def test_a_setup_the_adapter_does_not_serve_is_a_sut_failure() -> None:
    sut = scripted("SETUP URL/stream=0 RTSP/1.0|Transport: RTP/AVP;unicast;client_port=5000-5001")
    with pytest.raises(SutFailure, match=r"a SETUP the adapter does not serve \(answered 461\)"):
        sut.respond(b"\x01\x00offer", ExchangeParams())
    sut.close()


def test_a_crashing_client_is_a_sut_failure_with_its_status_and_output() -> None:
    sut = client("sh -c 'echo dying; kill -SEGV $$' {url}")
    with pytest.raises(SutFailure, match=r"client exit status -11; last output: dying"):
        sut.respond(b"\x01\x00offer", ExchangeParams())
    sut.close()


def test_a_client_that_never_comes_is_a_sut_failure() -> None:
    sut = client("?timeout=0.2 sh -c 'exit 3' {url}")
    with pytest.raises(SutFailure, match=r"exited without DESCRIBE.*exit status 3"):
        sut.respond(b"\x01\x00offer", ExchangeParams())
    sut.close()


def test_client_tests_pass_a_conformant_client(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "conformance/rfc4567/test_rtsp_client.py",
            "--sut",
            "tests.mutants.client_mutants:RtspClientLikeSut",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "3 passed" in done.stdout, done.stdout[-2000:]


def test_the_timeout_is_the_spec_s_then_the_profile_s_then_the_default() -> None:
    profile = Profile(call_timeout=1.5)
    assert from_spec("x {url}", Profile()).call_timeout() == DEFAULT_TIMEOUT
    assert from_spec("x {url}", profile).call_timeout() == 1.5
    assert from_spec("?timeout=0.2 x {url}", profile).call_timeout() == 0.2
