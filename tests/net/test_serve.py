"""`mikeyconf serve`: loopback by default, one log line per message, clean stop, clear errors."""

from __future__ import annotations

import json
import signal
import socket
from pathlib import Path

import pytest

from conformance.reference import ReferenceInitiator, exchange_params
from mikey import vectors
from mikey.wire import DataType, Error, ErrorNo, decode_message
from suts import load_sut
from suts.base import ExchangeParams, Profile
from suts.shim.codec import params_to_json, profile_to_json
from tests.net.serving import mikeyconf, served


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_binds_loopback_by_default_and_stops_cleanly(tmp_path: Path, sig: int) -> None:
    with served(tmp_path) as server:
        first = server.text().splitlines()[0]
        assert "MIKEY on udp 127.0.0.1:" in first and "control on tcp 127.0.0.1:" in first
        assert server.stop(sig) == 0
        assert server.text().splitlines()[-1].endswith("mikeyconf serve: stopped")


def test_answers_the_rfc_4567_i_message_and_logs_one_line(tmp_path: Path) -> None:
    """The RFC 4567 5.1 I_MESSAGE is old (its timestamp is from 2006): the reference
    answers with an Error message (Invalid TS, RFC 3830 5.3) and logs the message."""
    doc = vectors.load("rfc4567-examples.json")
    message = bytes.fromhex(doc["testGroups"][0]["tests"][0]["message"])
    with served(tmp_path, "--no-control") as server, socket.socket(type=socket.SOCK_DGRAM) as udp:
        assert "no control channel" in server.text()
        udp.settimeout(10)
        udp.sendto(message, ("127.0.0.1", server.port))
        answer = decode_message(udp.recv(65535))
        assert server.stop() == 0
    assert answer.hdr.data_type == DataType.ERROR
    lines = [line for line in server.text().splitlines() if "udp <-" in line]
    assert len(lines) == 1 and "PSK_INIT CSB 0xcd177e50" in lines[0] and "ERROR" in lines[0]


def test_control_channel_speaks_json_lines(tmp_path: Path) -> None:
    """capabilities, reset and initiate through a raw socket, as NET.md writes them."""
    with (
        served(tmp_path) as server,
        socket.create_connection(("127.0.0.1", server.control_port or 0), timeout=10) as tcp,
        socket.socket(type=socket.SOCK_DGRAM) as udp,
    ):
        udp.bind(("127.0.0.1", 0))
        udp.settimeout(10)
        lines = tcp.makefile("rb")

        def call(request: dict[str, object]) -> dict[str, object]:
            tcp.sendall(json.dumps(request).encode() + b"\n")
            answer: dict[str, object] = json.loads(lines.readline())
            return answer

        caps = call({"op": "capabilities"})
        assert caps["ok"] and caps["protocol"] == 1 and caps["roles"] == ["initiator", "responder"]
        assert call({"op": "reset", "profile": profile_to_json(Profile())}) == {"ok": True}
        peer = list(udp.getsockname())
        assert call({"op": "initiate", "params": params_to_json(ExchangeParams()), "peer": peer})[
            "ok"
        ]
        assert decode_message(udp.recv(65535)).hdr.data_type == DataType.PSK_INIT
        bad = call({"op": "teleport"})
        assert bad == {"ok": False, "error": "unknown op 'teleport'"}
        malformed = call({"op": "initiate", "params": {}})
        assert malformed["ok"] is False and "malformed initiate request" in str(malformed["error"])
        tcp.sendall(b"not json\n")
        assert json.loads(lines.readline()) == {"ok": False, "error": "not a JSON line"}


def test_a_taken_port_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket(type=socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        done = mikeyconf("serve", "--port", str(port), timeout=60)
    assert done.returncode == 2
    assert (
        done.stderr
        == f"mikeyconf: error: cannot listen on udp 127.0.0.1:{port}: the port is taken\n"
    )


def test_a_bad_profile_is_a_one_line_error(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text('{"psk": "zz"}', encoding="utf-8")
    done = mikeyconf("serve", "--port", "0", "--profile", str(profile), timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"mikeyconf: error: profile {profile}: bad profile value")
    assert done.stderr.count("\n") == 1


def test_the_profile_file_provisions_the_reference(tmp_path: Path) -> None:
    """With another pre-shared key in --profile, the suite's default key fails to
    authenticate: the reference answers Auth failure."""
    profile = tmp_path / "profile.json"
    profile.write_text('{"psk": "' + "ab" * 16 + '"}', encoding="utf-8")
    with (
        served(tmp_path, "--no-control", "--profile", str(profile)) as server,
        socket.socket(type=socket.SOCK_DGRAM) as udp,
    ):
        udp.settimeout(10)
        udp.sendto(
            ReferenceInitiator(Profile(), exchange_params()).i_message(), ("127.0.0.1", server.port)
        )
        answer = decode_message(udp.recv(65535))
    errors = [p.error_no for p in answer.all(Error)]
    assert errors == [ErrorNo.AUTH_FAILURE]


def test_ipv6_bind_and_control_channel(tmp_path: Path) -> None:
    """--bind ::1: MIKEY and the control channel on the IPv6 loopback, reached with
    `udp:[::1]:PORT?control=[::1]:CPORT`."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    with served(tmp_path, "--bind", "::1") as server:
        assert "MIKEY on udp [::1]:" in server.text() and "control on tcp [::1]:" in server.text()
        sut = load_sut(f"udp:[::1]:{server.port}?control=[::1]:{server.control_port}", Profile())
        ref = ReferenceInitiator(Profile(), exchange_params())
        reply = sut.respond(ref.i_message(), ref.params)
        assert reply.message is not None and ref.take_response(reply.message).accepted
        assert decode_message(sut.initiate(ExchangeParams())).hdr.data_type == DataType.PSK_INIT
        sut.close()
