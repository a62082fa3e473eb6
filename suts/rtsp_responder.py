"""An RTSP client carrying MIKEY (RFC 4567) as the SUT: `--sut rtsp-client:[?OPTIONS ]COMMAND`.

COMMAND is the client's command line (split as a shell would, never run by
one), with `{url}` standing for the RTSP URL to play and, optionally,
`{out}` for a file the client writes what it depayloads. OPTIONS, a query
up to the first blank: `timeout=S` (seconds the client has, from DESCRIBE,
to set up or abort, and to PLAY; default: the profile's call_timeout or `mikeyconf run
--call-timeout`, else 2), `encr=`, `mac=` (the KEMAC algorithms it takes, default
NULL: a client cannot be given our pre-shared key, so it can only read a
key sent in the clear), `keys=` (Key data types, default TEK_SALT). E.g.

    --sut rtsp-client:'?timeout=3 vlc -I dummy {url}'

`--sut rtspsrc` (suts/rtspsrc.py) is GStreamer's rtspsrc through gst-launch-1.0.

In RTSP the server is MIKEY's initiator (4.2), so the client is the
responder. Per `respond(message)` the adapter serves `message` in the
DESCRIBE answer's `a=key-mgmt:mikey` (suts/rtsp_server, on 127.0.0.1),
starts COMMAND as a child process in its own process group (it has 10 s to
send DESCRIBE), and waits for:

- SETUP: the client took the offer (4.2: on an error "the session is
  aborted", so a SETUP means it did not find one). The Reply carries the
  data of SETUP's KeyMgmt header, accepted=True; without the header it
  carries None, which is right when the offer asked for no answer (V=0,
  RFC 3830 3.1) and fails the tests that sent V=1. The adapter answers 200
  whatever the data: the suite, not the adapter, judges it. A SETUP the
  adapter cannot serve (not RTP/SAVP over unicast UDP) is a SutFailure.
- no SETUP, the connection closed or TEARDOWN sent, the client exited: it
  aborted the session; Reply(None, accepted=False).
- a crash (killed by a signal), neither within `timeout` of DESCRIBE (a
  hang; a client burning more than 0.15 s of CPU meanwhile is taken to spin
  at once), or no DESCRIBE at all: SutFailure with the exit status, the
  client's last output and the RTSP requests it sent. The client is killed;
  the next exchange starts anew.

`send_srtp` then waits for the client's PLAY, sends the media and returns
what the client sent back (and the `{out}` file's content as the payload).
The client runs until the next exchange, `reset` or `close`.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs

from mikey.srtp import SrtpKeys
from mikey.wire import EncrAlg, KeyType, MacAlg
from suts import SutSpecError
from suts.base import (
    Capabilities,
    DecodeResult,
    ExchangeParams,
    MediaCapture,
    Outcome,
    Profile,
    Reply,
    Role,
    Sut,
    SutFailure,
    UpdateParams,
)
from suts.rtsp_server.session import RtspMikeyServer, Session
from suts.transport import Segment, TransportLog

DEFAULT_TIMEOUT = 2.0
MEDIA_WAIT = 5.0
"""Seconds to wait, after the last packet, for the client's first SRTCP report: RFC 3550
6.2 and 6.3.1 put a receiver's first one about 1 to 4 s after it joins (half the 5 s
minimum interval, randomized), and the client joins at PLAY, before the media."""
OUTPUT_LINES = 5
START_TIMEOUT = 10.0
"""Seconds the client has from its start to DESCRIBE; `timeout` runs from DESCRIBE on."""
SPIN_CPU = 0.15
"""CPU seconds a client (its process group) may burn between DESCRIBE and SETUP (or
abort) before it is taken to spin in a loop (Linux /proc); a client that sleeps is
caught by `timeout`."""


def _cpu_seconds(group: int) -> float:
    """The user + system CPU time of the processes of process group `group` (proc(5) stat:
    pgrp, utime, stime), so a wrapper's child counts too; 0 when /proc cannot tell."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == group:
                total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not Linux's format
            continue
    return total / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ClientSpec:
    """What an `rtsp-client:` spec names."""

    command: tuple[str, ...]
    timeout: float = DEFAULT_TIMEOUT
    encr_algs: frozenset[EncrAlg] = frozenset({EncrAlg.NULL})
    mac_algs: frozenset[MacAlg] = frozenset({MacAlg.NULL})
    key_types: frozenset[KeyType] = frozenset({KeyType.TEK_SALT})


def _names(values: list[str], kind: Any, key: str) -> frozenset[Any]:
    try:
        return frozenset(kind[n] for v in values for n in v.split(","))
    except KeyError as exc:
        raise SutSpecError(f"rtsp-client SUT: unknown {key} {exc}") from None


def parse_spec(rest: str, default_timeout: float = DEFAULT_TIMEOUT) -> ClientSpec:
    """`[?OPTIONS ]COMMAND`, the timeout `default_timeout` unless OPTIONS give one;
    SutSpecError naming what is wrong."""
    options = ""
    if rest.startswith("?"):
        options, _, rest = rest[1:].partition(" ")
    try:
        command = tuple(shlex.split(rest))
    except ValueError as exc:
        raise SutSpecError(f"rtsp-client SUT: cannot split the command: {exc}") from None
    if not any("{url}" in arg for arg in command):
        raise SutSpecError("rtsp-client SUT: the command must contain {url}")
    query = parse_qs(options, keep_blank_values=True)
    unknown = sorted(set(query) - {"timeout", "encr", "mac", "keys"})
    if unknown:
        raise SutSpecError(f"rtsp-client SUT: unknown option(s) {', '.join(unknown)}")
    try:
        timeout = float(query.get("timeout", [default_timeout])[-1])
    except ValueError as exc:
        raise SutSpecError(f"rtsp-client SUT: {exc}") from None
    if timeout <= 0:
        raise SutSpecError("rtsp-client SUT: timeout must be positive")
    return ClientSpec(
        command=command,
        timeout=timeout,
        encr_algs=_names(query.get("encr", ["NULL"]), EncrAlg, "encr algorithm"),
        mac_algs=_names(query.get("mac", ["NULL"]), MacAlg, "mac algorithm"),
        key_types=_names(query.get("keys", ["TEK_SALT"]), KeyType, "key type"),
    )


def from_spec(rest: str, profile: Profile) -> Sut:
    """The `--sut rtsp-client:...` entry point (suts.load_sut)."""
    spec = parse_spec(rest, profile.call_timeout or DEFAULT_TIMEOUT)
    return RtspClientSut(spec=spec, profile=profile)


@dataclass
class _Offer:
    """The key management behind the adapter's server: the suite's I_MESSAGE, and every
    answer taken (the suite judges it, RFC 4567 4.2's 463 is the suite's verdict)."""

    message: bytes

    def offer(self) -> bytes:
        return self.message

    def take(self, data: bytes | None) -> bool:
        return True


@dataclass
class _Client:
    """The client process, in its own process group, its output in a file."""

    process: subprocess.Popen[bytes]
    output: IO[bytes]
    out: Path

    def status(self) -> str:
        code = self.process.poll()
        state = "still running" if code is None else f"exit status {code}"
        self.output.seek(0)
        lines = self.output.read().decode("utf-8", "replace").strip().splitlines()
        return f"client {state}; last output: {' | '.join(lines[-OUTPUT_LINES:]) or 'none'}"

    def stop(self) -> None:
        if self.process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                    self.process.wait(timeout=2)
                    break
                except subprocess.TimeoutExpired:
                    continue
                except ProcessLookupError:
                    break
        self.process.wait()
        self.output.close()


@dataclass
class RtspClientSut(Sut):
    """An RTSP client that takes MIKEY-keyed SRTP, driven as MIKEY responder."""

    spec: ClientSpec = field(default_factory=lambda: parse_spec("true {url}"))
    _server: RtspMikeyServer | None = None
    _client: _Client | None = None
    _session: Session | None = None
    _dir: tempfile.TemporaryDirectory[str] | None = None
    _log: TransportLog = field(default_factory=TransportLog)

    def call_timeout(self) -> float:
        return self.spec.timeout

    def transport(self) -> list[Segment]:
        return self._log.take()

    def capabilities(self) -> Capabilities:
        return Capabilities(
            name=f"rtsp client {shlex.join(self.spec.command)}",
            modes=frozenset({"PSK"}),
            roles=frozenset({Role.RESPONDER}),
            encr_algs=self.spec.encr_algs,
            mac_algs=self.spec.mac_algs,
            key_types=self.spec.key_types,
            media=True,
            provisionable=False,
        )

    def _start(self, message: bytes) -> tuple[RtspMikeyServer, _Client]:
        self.reset()
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="mikey-rtsp-client-")
        server = RtspMikeyServer(
            lambda: _Offer(message), on_play=lambda session: None, log=self._log
        )
        self._server = server
        out = Path(self._dir.name) / "out"
        out.unlink(missing_ok=True)
        argv = [
            a.replace("{url}", server.url).replace("{out}", str(out)) for a in self.spec.command
        ]
        output = tempfile.TemporaryFile()  # noqa: SIM115 - _Client.stop closes it
        try:
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=output, stderr=output, start_new_session=True
            )
        except OSError as exc:
            output.close()
            raise SutFailure(f"cannot run the client {argv[0]!r}: {exc.strerror or exc}") from None
        self._client = _Client(process, output, out)
        return server, self._client

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        server, client = self._start(message)
        deadline = time.monotonic() + START_TIMEOUT
        cpu_at_describe: float | None = None
        with server.changed:
            while True:
                described = [s for s in server.sessions if s.offer is not None]
                done = [s for s in described if s.setup_status is not None or s.torn_down]
                if done or (described and all(s.closed for s in described)):
                    break
                if client.process.poll() is not None and not described:
                    break
                if described and cpu_at_describe is None:
                    deadline = time.monotonic() + self.spec.timeout
                    cpu_at_describe = _cpu_seconds(client.process.pid)
                spun = _cpu_seconds(client.process.pid) - (cpu_at_describe or 0.0)
                if cpu_at_describe is not None and spun > SPIN_CPU:
                    raise self._fail(f"spins: {spun:.2f} s of CPU after DESCRIBE, no SETUP")
                if time.monotonic() > deadline:
                    what = "neither set up nor aborted" if described else "sent no DESCRIBE"
                    raise self._fail(f"{what} in time")
                server.changed.wait(0.05)
        if done and done[0].setup_status not in (200, None):
            status = done[0].setup_status
            raise self._fail(f"sent a SETUP the adapter does not serve (answered {status})")
        if done and done[0].setup_status == 200:
            self._session = done[0]
            uri = f" (uri={done[0].answer_uri})" if done[0].answer_uri else ""
            what = "KeyMgmt" if done[0].answer is not None else "no KeyMgmt"
            return Reply(done[0].answer, True, f"SETUP with {what}{uri}")
        time.sleep(0.1)  # let an exiting client be reaped: a crash is not an abort
        code = client.process.poll()
        if code is not None and code < 0:
            raise self._fail("crashed")
        if not described:
            raise self._fail("exited without DESCRIBE")
        return Reply(None, False, f"the client aborted the session, no SETUP; {client.status()}")

    def _fail(self, what: str) -> SutFailure:
        evidence = self._client.status() if self._client else ""
        if self._server is not None:
            evidence += "; rtsp: " + " / ".join(
                f"{s.peer}: {', '.join(s.events)}" for s in self._server.sessions
            )
        self.reset()
        return SutFailure(f"the RTSP client {what}; {evidence}")

    def send_srtp(self, rtp: tuple[bytes, ...], rtcp: bytes) -> MediaCapture:
        session, server = self._session, self._server
        if session is None or server is None or self._client is None:
            raise SutFailure("no RTSP session set up to play")
        with server.changed:
            if not server.changed.wait_for(lambda: session.playing, self.spec.timeout):
                raise self._fail(f"sent no PLAY within {self.spec.timeout} s")
        assert session.media is not None and session.transport is not None
        session.media.stream(session.transport, rtp, lambda sent: rtcp, session.stop)
        session.media.settle(MEDIA_WAIT)
        capture = session.media.capture()
        out = self._client.out
        payload = out.read_bytes() if out.exists() else None
        return MediaCapture(capture.rtp, capture.rtcp, payload)

    def complete(self, response: bytes | None) -> Outcome:
        raise SutFailure("an RTSP client is MIKEY's responder only (RFC 4567 4.2)")

    def initiate(self, params: ExchangeParams) -> bytes:
        raise SutFailure("an RTSP client is MIKEY's responder only (RFC 4567 4.2)")

    def decode(self, data: bytes) -> DecodeResult:
        raise SutFailure("an RTSP client does not offer the decoder role")

    def encode(self, structure: dict[str, Any]) -> bytes:
        raise SutFailure("an RTSP client does not offer the encoder role")

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        return None

    def update(self, params: UpdateParams | None = None) -> bytes:
        raise SutFailure("re-keying within RTSP is for further study (RFC 4567 4.2)")

    def reset(self) -> None:
        if self._client is not None:
            self._client.stop()
        if self._server is not None:
            for session in self._server.sessions:
                if session.media is not None:
                    session.media.close()
            self._server.close()
        self._client, self._server, self._session = None, None, None

    def close(self) -> None:
        self.reset()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
