"""suts.net: the `udp:` spec, and peers that are silent, unreachable or answer garbage."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from conformance.checks import expect_rejection
from conformance.evidence import Evidence
from suts import SutSpecError, load_sut
from suts.base import ExchangeParams, Profile, Role, SutFailure
from suts.net import MIKEY_PORT, NetSpec, NetSut, parse_spec
from suts.net_control import PROTOCOL
from tests.net.peers import control_peer, free_udp_port, udp_peer
from tests.net.serving import run_suite

PARSED = {
    "mikey.example": NetSpec("mikey.example", MIKEY_PORT),
    "127.0.0.1:4000": NetSpec("127.0.0.1", 4000),
    "[::1]": NetSpec("::1", MIKEY_PORT),
    "[fe80::1%eth0]:4000": NetSpec("fe80::1%eth0", 4000),
    "h:1?timeout=0.5": NetSpec("h", 1, None, 0.5),
    "h?control=127.0.0.1:9": NetSpec("h", MIKEY_PORT, ("127.0.0.1", 9)),
    "h?control=[::1]:9&timeout=3": NetSpec("h", MIKEY_PORT, ("::1", 9), 3.0),
}


@pytest.mark.parametrize(("rest", "spec"), PARSED.items(), ids=PARSED.keys())
def test_parses_the_spec(rest: str, spec: NetSpec) -> None:
    assert parse_spec(rest) == spec


BAD_SPECS = {
    "::1:2269": "in brackets",
    "[::1": "unclosed",
    "[::1]2269": "expected :PORT",
    ":2269": "no host",
    "h:0": "1-65535",
    "h:65536": "1-65535",
    "h:x": "1-65535",
    "h?timeout=0": "timeout",
    "h?timeout=soon": "timeout",
    "h?control=127.0.0.1": "needs a port",
    "h?control=a:1&control=b:2": "options are",
    "h?retries=3": "options are",
    "h?timeout": "key=value",
}


@pytest.mark.parametrize(("rest", "message"), BAD_SPECS.items(), ids=BAD_SPECS.keys())
def test_a_bad_spec_is_a_one_line_sut_spec_error(rest: str, message: str) -> None:
    with pytest.raises(SutSpecError, match=message) as caught:
        load_sut(f"udp:{rest}", Profile())
    assert "\n" not in str(caught.value)


def test_without_control_channel_only_the_responder_role_is_offered() -> None:
    with udp_peer(lambda data: None) as (host, port):
        sut = load_sut(f"udp:{host}:{port}?timeout=0.1", Profile())
        caps = sut.capabilities()
        assert caps.roles == {Role.RESPONDER} and caps.modes == {"PSK"}
        assert not caps.exports_keys and not caps.updates
        for call in (
            lambda: sut.initiate(ExchangeParams()),
            lambda: sut.complete(b"x"),
            sut.update,
            lambda: sut.srtp_keys(Role.RESPONDER, 1),
            lambda: sut.decode(b"x"),
        ):
            with pytest.raises(SutFailure, match="interface misuse"):
                call()
        sut.close()


def test_a_silent_peer_gives_no_answer_and_no_word() -> None:
    """Silence is Reply(None, accepted=None): a rejection the tests accept (5.3), and a
    missing verification message they fail (3.1)."""
    with udp_peer(lambda data: None) as (host, port):
        sut = load_sut(f"udp:{host}:{port}?timeout=0.1", Profile())
        reply = sut.respond(b"\x01\x00", ExchangeParams())
        sut.close()
    assert (reply.message, reply.accepted) == (None, None)
    assert "no answer within 0.1 s" in reply.detail
    expect_rejection(reply, Evidence(), None, None)


def test_a_garbage_answer_is_handed_to_the_tests_which_fail_it() -> None:
    with udp_peer(lambda data: b"\xffgarbage") as (host, port):
        sut = load_sut(f"udp:{host}:{port}?timeout=2", Profile())
        reply = sut.respond(b"\x01\x00", ExchangeParams())
        sut.close()
    assert (reply.message, reply.accepted) == (b"\xffgarbage", None)
    with pytest.raises(AssertionError, match="not a valid MIKEY message"):
        expect_rejection(reply, Evidence(), None, None)


def test_an_unreachable_peer_is_a_sut_failure_not_silence() -> None:
    sut = load_sut(f"udp:127.0.0.1:{free_udp_port()}?timeout=1", Profile())
    with pytest.raises(SutFailure, match="unreachable: nothing listens there"):
        sut.respond(b"\x01\x00", ExchangeParams())
        sut.respond(b"\x01\x00", ExchangeParams())
    sut.close()


def test_close_closes_the_sockets() -> None:
    with udp_peer(lambda data: None) as (host, port):
        sut = load_sut(f"udp:{host}:{port}", Profile())
        assert isinstance(sut, NetSut)
        sut.close()
        assert sut._sock.fileno() == -1


def test_ipv6_loopback() -> None:
    try:
        with udp_peer(lambda data: data[::-1], host="::1") as (host, port):
            sut = load_sut(f"udp:[{host}]:{port}?timeout=2", Profile())
            assert sut.respond(b"\x01\x02", ExchangeParams()).message == b"\x02\x01"
            sut.close()
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")


CAPS = {
    "ok": True,
    "protocol": PROTOCOL,
    "name": "fake",
    "modes": ["PSK"],
    "roles": ["initiator", "responder", "decoder"],
    "encr_algs": ["AES_CM_128"],
    "mac_algs": ["HMAC_SHA_1_160"],
    "key_types": ["TGK"],
    "exports_keys": False,
    "updates": False,
}


def line(obj: object) -> bytes:
    return json.dumps(obj).encode() + b"\n"


BAD_CONTROL = {
    "garbage": ([b"hello there\n"], "garbage"),
    "closed": ([b""], "closed the connection"),
    "not an object": ([line([1, 2])], "without ok"),
    "refused": ([line({"ok": False, "error": "busy"})], "refused capabilities: busy"),
    "other protocol": ([line({**CAPS, "protocol": 99})], "protocol 99"),
    "malformed capabilities": ([line({**CAPS, "roles": ["juggler"]})], "malformed capabilities"),
    "refused reset": ([line(CAPS), line({"ok": False, "error": "no"})], "refused reset"),
}


@pytest.mark.parametrize(("lines", "message"), BAD_CONTROL.values(), ids=BAD_CONTROL.keys())
def test_a_misbehaving_control_channel_is_a_clear_error(lines: list[bytes], message: str) -> None:
    with (
        udp_peer(lambda data: None) as (host, port),
        control_peer(lines) as cport,
        pytest.raises(SutSpecError, match=message),
    ):
        load_sut(f"udp:{host}:{port}?control=127.0.0.1:{cport}&timeout=0.5", Profile())


def test_after_garbage_the_control_channel_is_reconnected() -> None:
    """A connection that answered garbage is out of step: the next call connects anew."""
    first = [line(CAPS), line({"ok": True}), b"garbage\n"]
    second = [line({"ok": False, "error": "no keys"}), line({"ok": True, "keys": None})]
    with udp_peer(lambda data: None) as (host, port), control_peer(first, second) as cport:
        sut = load_sut(f"udp:{host}:{port}?control=127.0.0.1:{cport}", Profile())
        with pytest.raises(SutFailure, match="garbage"):
            sut.srtp_keys(Role.INITIATOR, 1)
        with pytest.raises(SutFailure, match="refused srtp_keys: no keys"):
            sut.srtp_keys(Role.INITIATOR, 1)
        assert sut.srtp_keys(Role.INITIATOR, 1) is None, "still the second connection"
        sut.close()


def test_an_unreachable_control_channel_is_a_clear_error() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        cport = taken.getsockname()[1]
    with pytest.raises(SutSpecError, match=r"control channel at 127\.0\.0\.1:\d+ is unreachable"):
        load_sut(f"udp:127.0.0.1?control=127.0.0.1:{cport}", Profile())


def test_the_decoder_role_is_never_offered_even_if_the_device_claims_it() -> None:
    lines = [line(CAPS), line({"ok": True})]
    with udp_peer(lambda data: None) as (host, port), control_peer(lines) as cport:
        sut = load_sut(f"udp:{host}:{port}?control=127.0.0.1:{cport}", Profile())
        assert sut.capabilities().roles == {Role.INITIATOR, Role.RESPONDER}
        sut.close()


# -- the suite against misbehaving peers: the verdicts stay meaningful -------------------

RESPONDER_TESTS = "rfc3830/test_psk_responder.py"
VALID = f"{RESPONDER_TESTS}::test_valid_i_message_gets_a_verification_message[AES_CM_128]"
TIMING = "rfc3830/test_timing_responder.py"
STALE = f"{TIMING}::test_a_timestamp_outside_the_clock_skew_is_refused[PSK-stale]"
"""A rejection test: silence passes it."""


def test_suite_against_an_unreachable_peer_fails_with_the_reason(tmp_path: Path) -> None:
    spec = f"udp:127.0.0.1:{free_udp_port()}?timeout=0.2"
    results = run_suite(tmp_path, "dead", "--sut", spec, "--test", VALID, "--test", STALE)
    applicable = [r for r in results.values() if r["verdict"] != "not-applicable"]
    assert applicable and {r["verdict"] for r in applicable} == {"fail"}
    assert all("unreachable" in r["reason"] for r in applicable)


def test_suite_against_a_silent_peer_fails_every_test_that_needs_an_answer(
    tmp_path: Path,
) -> None:
    """Silence passes a rejection test (RFC 3830 5.3 allows it) but fails every test
    that needs the verification message."""
    with udp_peer(lambda data: None) as (host, port):
        spec = f"udp:{host}:{port}?timeout=0.1"
        results = run_suite(tmp_path, "silent", "--sut", spec, "--test", VALID, "--test", STALE)
    valid = results[VALID]
    assert valid["verdict"] == "fail" and "no verification message" in valid["reason"]
    stale = results[STALE]
    assert stale["verdict"] == "pass"


def test_the_timeout_is_the_spec_s_then_the_profile_s_then_two_seconds() -> None:
    """`?timeout=S` names this one device; the profile's call_timeout (which `mikeyconf run
    --call-timeout` overrides) stands in when it is not given; 2 s without either."""
    where = f"udp:127.0.0.1:{free_udp_port()}"
    for spec, profile, want in (
        (where, Profile(), 2.0),
        (where, Profile(call_timeout=0.7), 0.7),
        (f"{where}?timeout=0.5", Profile(call_timeout=0.7), 0.5),
    ):
        sut = load_sut(spec, profile)
        assert sut.call_timeout() == want
        sut.close()
    with pytest.raises(SutSpecError, match="call_timeout must be 0-600 seconds"):
        load_sut(where, Profile(call_timeout=601))
