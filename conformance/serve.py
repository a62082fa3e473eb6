"""mikeyconf serve: the reference implementation as a MIKEY device on the network.

    mikeyconf serve [--bind ADDR] [--port N] [--control-port N | --no-control]
                    [--profile FILE]
    mikeyconf serve --rtsp ...   (the reference as an RTSP server: conformance/serve_rtsp.py)

It answers MIKEY messages arriving as UDP datagrams on ADDR:N (default
127.0.0.1:2269, IANA's MIKEY port; 0 picks a free port) with the reference
responder (suts.builtin, mikey.modes), and exposes the control channel of
suts/NET.md (JSON lines over TCP, always on loopback) through which a client
makes it initiate an exchange towards an address, complete or update it,
export its SRTP keys, reset or re-provision it. So a device can be tested in
both roles against the reference, and `--sut udp:...?control=...` runs the
conformance suite against it (tests/net do exactly that, over loopback).

A datagram from the address the reference initiator last sent to (and still
awaits an answer from) is that answer; any other datagram goes to the
responder. One log line per message on stdout, readiness line first;
Ctrl-C or SIGTERM stops it cleanly (exit 0). A taken port is a one-line
error (exit 2).
"""

from __future__ import annotations

import argparse
import errno
import json
import signal
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from conformance.cli import CliError, load_profile
from mikey.wire import DecodeError, decode_message
from suts.base import ExchangeParams, Outcome, Profile, Role, SutFailure
from suts.builtin import BuiltinSut
from suts.net import MAX_DATAGRAM, MIKEY_PORT
from suts.net_control import MAX_LINE, network_capabilities_to_json
from suts.shim.codec import (
    keys_to_json,
    outcome_to_json,
    params_from_json,
    profile_from_json,
    update_params_from_json,
)

Address = tuple[Any, ...]
POLL = 0.25
"""How often the loops look at the stop flag (seconds)."""


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the reference as a MIKEY device on UDP (and a control channel)",
        description="Answer MIKEY over UDP with the reference implementation; a control "
        "channel (JSON lines over TCP on loopback, suts/NET.md) makes it initiate.",
    )
    serve.add_argument(
        "--bind", "--host", default="127.0.0.1", metavar="ADDR", help="default 127.0.0.1"
    )
    serve.add_argument("--port", type=_port, help="default 2269 (--rtsp: 8554); 0: any")
    control = serve.add_mutually_exclusive_group()
    control.add_argument(
        "--control-port", type=_port, default=0, metavar="N", help="default: any free port"
    )
    control.add_argument("--no-control", action="store_true", help="responder only")
    serve.add_argument("--profile", metavar="FILE", help="provisioning profile (JSON object)")
    from conformance import serve_rtsp  # it imports this module's log and describe

    serve_rtsp.add_arguments(serve)
    serve.set_defaults(handler=serve_command)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port 0-65535, got {text!r}")
    return int(text)


def log(line: str) -> None:
    stamp = datetime.now(UTC).strftime("%H:%M:%S.%f")[:-3]
    print(f"{stamp} {line}", flush=True)


def describe(data: bytes) -> str:
    """A message, as one log line names it (never its keys)."""
    try:
        hdr = decode_message(data).hdr
    except DecodeError:
        return f"undecodable ({len(data)} B)"
    return f"{hdr.data_type.name} CSB {hdr.csb_id:#010x} ({len(data)} B)"


def show(address: Address) -> str:
    host, port = address[0], address[1]
    return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"


class Device:
    """The reference behind one UDP socket and the control channel; thread-safe."""

    def __init__(self, profile: Profile, udp: socket.socket) -> None:
        self.udp = udp
        self.sut = BuiltinSut(profile=profile)
        self.cond = threading.Condition()
        self.awaiting: Address | None = None
        """Where the reference initiator sent its last message and awaits the answer from."""
        self.answers: list[Outcome] = []

    def datagram(self, data: bytes, source: Address) -> None:
        """Take one datagram: the initiator's awaited answer, or a message to respond to."""
        with self.cond:
            if self.awaiting is not None and source[:2] == self.awaiting[:2]:
                self.awaiting = None
                outcome = self._guarded(lambda: self.sut.complete(data))
                self.answers.append(outcome)
                self.cond.notify_all()
                verdict = "accepted" if outcome.accepted else "rejected"
                log(
                    f"udp <- {show(source)} {describe(data)}: initiator {verdict}: {outcome.detail}"
                )
                return
            try:
                modes = self.sut.capabilities().modes
                mode = self.sut.responder_mode(data)
                reply = self.sut.respond(
                    data, ExchangeParams(mode=mode if mode in modes else "PSK")
                )
            except SutFailure as exc:
                log(f"udp <- {show(source)} {describe(data)}: reference failed: {exc}")
                return
        answer = f"answered {describe(reply.message)}" if reply.message else "no answer"
        log(f"udp <- {show(source)} {describe(data)}: {answer}: {reply.detail}")
        if reply.message is not None:
            try:
                self.udp.sendto(reply.message, source)
            except OSError as exc:
                log(f"udp -> {show(source)}: cannot send: {exc.strerror or exc}")

    @staticmethod
    def _guarded(call: Callable[[], Outcome]) -> Outcome:
        try:
            return call()
        except SutFailure as exc:
            return Outcome(False, None, str(exc))

    # -- the control channel (suts/NET.md) ----------------------------------------------

    def control(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        handler = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
        if handler is None:
            return {"ok": False, "error": f"unknown op {op!r}"}
        try:
            result: dict[str, Any] = handler(request)
        except SutFailure as exc:
            return {"ok": False, "error": str(exc)}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return {"ok": False, "error": f"malformed {op} request: {exc!r}"}
        except OSError as exc:
            return {"ok": False, "error": f"{op}: cannot send: {exc.strerror or exc}"}
        return {"ok": True, **result}

    def op_capabilities(self, request: dict[str, Any]) -> dict[str, Any]:
        return network_capabilities_to_json(self.sut.capabilities())

    def op_reset(self, request: dict[str, Any]) -> dict[str, Any]:
        profile = profile_from_json(request["profile"]) if "profile" in request else None
        with self.cond:
            self.sut = BuiltinSut(profile=profile or self.sut.profile)
            self.awaiting, self.answers = None, []
        return {}

    def _send_as_initiator(self, what: str, make: Callable[[], bytes], peer: Any) -> None:
        address = (str(peer[0]), int(peer[1]))
        with self.cond:
            message = make()
            self.awaiting, self.answers = address, []
        log(f"udp -> {show(address)} {describe(message)}: {what}")
        self.udp.sendto(message, address)

    def op_initiate(self, request: dict[str, Any]) -> dict[str, Any]:
        params = params_from_json(request["params"])
        self._send_as_initiator("initiated", lambda: self.sut.initiate(params), request["peer"])
        return {}

    def op_update(self, request: dict[str, Any]) -> dict[str, Any]:
        params = request.get("params")
        asked = None if params is None else update_params_from_json(params)
        what = "update (RFC 3830 4.5)"
        self._send_as_initiator(what, lambda: self.sut.update(asked), request["peer"])
        return {}

    def op_complete(self, request: dict[str, Any]) -> dict[str, Any]:
        """The initiator's outcome: of the answer that came (or comes within `timeout`)
        when `answer` is true, else of the exchange with no answer at all."""
        detail = "no answer"
        with self.cond:
            if request["answer"]:
                timeout = float(request["timeout"])
                if self.cond.wait_for(lambda: bool(self.answers), timeout):
                    return outcome_to_json(self.answers.pop(0))
                detail = f"no answer within {timeout} s"
            self.awaiting = None
            outcome = self.sut.complete(None)
        return outcome_to_json(Outcome(outcome.accepted, outcome.error, detail))

    def op_srtp_keys(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.cond:
            keys = self.sut.srtp_keys(Role(request["role"]), int(request["cs_id"]))
        return {"keys": keys_to_json(keys)}


def control_connection(device: Device, conn: socket.socket, stop: threading.Event) -> None:
    """Serve one control client: a JSON request per line, a JSON response per line."""
    with conn, conn.makefile("rb") as lines:
        conn.settimeout(None)
        while not stop.is_set():
            line = lines.readline(MAX_LINE + 1)
            if not line:
                return
            try:
                request = json.loads(line)
                response = (
                    device.control(request)
                    if isinstance(request, dict)
                    else {"ok": False, "error": "a request is a JSON object"}
                )
            except ValueError:
                response = {"ok": False, "error": "not a JSON line"}
            try:
                conn.sendall(json.dumps(response).encode("utf-8") + b"\n")
            except OSError:
                return


def accept_loop(device: Device, server: socket.socket, stop: threading.Event) -> None:
    server.settimeout(POLL)
    while not stop.is_set():
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        threading.Thread(target=control_connection, args=(device, conn, stop), daemon=True).start()


def _bind(kind: int, host: str, port: int, what: str) -> socket.socket:
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=kind)[0]
        sock = socket.socket(family, kind)
    except OSError as exc:
        raise CliError(f"cannot listen on {what} {host}:{port}: {exc.strerror or exc}") from None
    try:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        if kind == socket.SOCK_STREAM:
            sock.listen()
    except OSError as exc:
        sock.close()
        reason = "the port is taken" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise CliError(f"cannot listen on {what} {show((host, port))}: {reason}") from None
    return sock


def serve_command(options: argparse.Namespace, argv: list[str]) -> int:
    profile = load_profile(options.profile)
    if options.rtsp:
        from conformance import serve_rtsp

        try:
            return serve_rtsp.serve_rtsp(options, profile)
        except OSError as exc:
            where = show((options.bind, options.port))
            taken = exc.errno == errno.EADDRINUSE
            reason = "the port is taken" if taken else exc.strerror or str(exc)
            raise CliError(f"cannot serve RTSP on {where}: {reason}") from None
    port = MIKEY_PORT if options.port is None else options.port
    udp = _bind(socket.SOCK_DGRAM, options.bind, port, "udp")
    control: socket.socket | None = None
    try:
        if not options.no_control:
            loopback = "::1" if udp.family == socket.AF_INET6 else "127.0.0.1"
            control = _bind(socket.SOCK_STREAM, loopback, options.control_port, "control tcp")
        return run(Device(profile, udp), udp, control)
    finally:
        udp.close()
        if control is not None:
            control.close()


def run(device: Device, udp: socket.socket, control: socket.socket | None) -> int:
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    where = f"control on tcp {show(control.getsockname())}" if control else "no control channel"
    log(f"mikeyconf serve: MIKEY on udp {show(udp.getsockname())}, {where} (Ctrl-C stops)")
    if control is not None:
        threading.Thread(target=accept_loop, args=(device, control, stop), daemon=True).start()
    udp.settimeout(POLL)
    try:
        while not stop.is_set():
            try:
                data, source = udp.recvfrom(MAX_DATAGRAM)
            except TimeoutError:
                continue
            except ConnectionRefusedError:  # an ICMP error for an earlier datagram we sent
                continue
            device.datagram(data, source)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log("mikeyconf serve: stopped")
    return 0
