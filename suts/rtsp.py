"""An RTSP server carrying MIKEY (RFC 4567) as the SUT: `--sut rtsp://HOST:PORT/PATH[?timeout=S]`.

`--sut rtsp:gst-rtsp-server` starts the real peer of suts/rtsp_peer itself
(gst-rtsp-server on loopback, a child process) and restarts it on the call
after a fault, adding its exit status and last output to the evidence.

In RTSP the server is MIKEY's initiator (RFC 4567 4.2): it offers its
I_MESSAGE in `a=key-mgmt:mikey` of the DESCRIBE answer's SDP, and the client
answers (the verification message, when the I_MESSAGE asks for one) in the
KeyMgmt header of the first SETUP. So the adapter plays the initiator role:

- `initiate`: a fresh RTSP connection, DESCRIBE; the I_MESSAGE is the
  effective key-mgmt of the first medium (media level over session level,
  RFC 4567 3.1), parsed strictly with mikey.sdp.
- `complete(response)`: SETUP of that medium (RTP/SAVP over UDP to the
  adapter's own loopback ports) with `KeyMgmt: prot=mikey; data="..."`
  (3.2) when there is a response. 2xx: accepted; 463 Key Management
  Failure to a KeyMgmt header: rejected (4.2: "an error is sent back as the
  SETUP response using RTSP error code 463"); 403 to a SETUP without one
  (4.2, SHOULD): rejected; any other status is a SutFailure. A KeyMgmt header in the SETUP
  answer is read strictly too (3.2).
- `receive_srtp`: PLAY, then the SRTP and SRTCP datagrams the server sends
  to the client ports for a short while (the end-to-end proof, see
  conformance/rfc4567).

The ExchangeParams cannot travel to an RTSP server: it keys by its own
configuration. Its algorithms are declared in the spec's query
(`encr=NULL,AES_CM_128`, `mac=NULL,HMAC_SHA_1_160`; default NULL for both,
which is what gst-rtsp-server 1.22 sends), and `err-payloads=no` keeps
Error messages with ERR payloads from a server that hangs on them; the
responder and decoder roles and key export are not offered. Every network
fault, timeout or malformed answer is a SutFailure carrying the last RTSP exchanges; the next call
starts over on a new connection.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from mikey.sdp import (
    KeyMgmtError,
    KeyMgmtSpec,
    keymgmt_header,
    mikey_data,
    parse_keymgmt_value,
    scan_sdp,
)
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
from suts.rtsp_client import RtspConnection, RtspResponse
from suts.rtsp_peer import PeerUnavailable, RtspServer, available, start_server
from suts.transport import Segment, TransportLog

DEFAULT_TIMEOUT = 5.0
"""Seconds each RTSP request may take (the spec's timeout=S, else the profile's
call_timeout or `mikeyconf run --call-timeout`, else this)."""
MEDIA_SECONDS = 1.0
KEY_MANAGEMENT_FAILURE = 463
"""RFC 4567 3.2: "463" ; Key management failure."""
FORBIDDEN = 403
"""RFC 4567 4.2: a SETUP without the key management the server expects."""


@dataclass(frozen=True)
class RtspSpec:
    """What an `rtsp:` SUT spec names."""

    url: str
    host: str
    port: int
    timeout: float = DEFAULT_TIMEOUT
    encr_algs: frozenset[EncrAlg] = frozenset({EncrAlg.NULL})
    mac_algs: frozenset[MacAlg] = frozenset({MacAlg.NULL})
    err_payloads: bool = True
    """`err-payloads=no`: the server is not to be sent Error messages with ERR payloads
    (gst-rtsp-server 1.22's main loop spins on them, and a server at a URL is not
    restarted): Capabilities.takes_err_payloads."""


def _names(values: list[str], kind: type[EncrAlg] | type[MacAlg], key: str) -> frozenset[Any]:
    try:
        return frozenset(kind[n] for v in values for n in v.split(","))
    except KeyError as exc:
        raise SutSpecError(f"rtsp SUT: unknown {key} algorithm {exc}") from None


def parse_spec(rest: str, default_timeout: float = DEFAULT_TIMEOUT) -> RtspSpec:
    """`//HOST:PORT/PATH[?timeout=S&encr=..&mac=..]`, the timeout `default_timeout` unless
    it gives one; SutSpecError naming what is wrong."""
    parts = urlsplit("rtsp:" + rest)
    if not parts.hostname or not parts.path:
        raise SutSpecError(f"rtsp SUT: expected rtsp://HOST:PORT/PATH, got rtsp:{rest!r}")
    query = parse_qs(parts.query)
    unknown = sorted(set(query) - {"timeout", "encr", "mac", "err-payloads"})
    if unknown:
        raise SutSpecError(f"rtsp SUT: unknown option(s) {', '.join(unknown)}")
    try:
        port = parts.port or 554
        timeout = float(query.get("timeout", [default_timeout])[-1])
    except ValueError as exc:
        raise SutSpecError(f"rtsp SUT: {exc}") from None
    if timeout <= 0:
        raise SutSpecError("rtsp SUT: timeout must be positive")
    err_payloads = query.get("err-payloads", ["yes"])[-1]
    if err_payloads not in ("yes", "no"):
        raise SutSpecError(f"rtsp SUT: err-payloads must be yes or no, got {err_payloads!r}")
    return RtspSpec(
        url=f"rtsp://{parts.netloc}{parts.path}",
        host=parts.hostname,
        port=port,
        timeout=timeout,
        encr_algs=_names(query.get("encr", ["NULL"]), EncrAlg, "encr"),
        mac_algs=_names(query.get("mac", ["NULL"]), MacAlg, "mac"),
        err_payloads=err_payloads == "yes",
    )


LAUNCHED = "gst-rtsp-server"
"""`--sut rtsp:gst-rtsp-server`: the adapter starts suts/rtsp_peer itself and restarts it."""


def from_spec(rest: str, profile: Profile) -> Sut:
    """The `--sut rtsp:...` entry point (suts.load_sut)."""
    if rest == LAUNCHED:
        reason = available()
        if reason is not None:
            raise SutSpecError(f"rtsp:{LAUNCHED} cannot start: {reason}")
    timeout = profile.call_timeout or DEFAULT_TIMEOUT
    if rest == LAUNCHED:
        spec = parse_spec("//127.0.0.1:0/test", timeout)
        return RtspSut(spec=spec, profile=profile, launched=True)
    return RtspSut(spec=parse_spec(rest, timeout), profile=profile)


def bind_port_pair(host: str) -> tuple[socket.socket, socket.socket]:
    """Two UDP sockets on consecutive ports, the first even (RTP, then RTCP; RFC 3550 11)."""
    for _ in range(50):
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind((host, 0))
        port = rtp.getsockname()[1]
        if port % 2 == 0 and port < 65535:
            rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                rtcp.bind((host, port + 1))
            except OSError:
                rtcp.close()
            else:
                return rtp, rtcp
        rtp.close()
    raise SutFailure("cannot bind a pair of UDP client ports")


@dataclass
class RtspSut(Sut):
    """An RTSP server offering MIKEY-keyed SRTP, driven as MIKEY initiator."""

    spec: RtspSpec = field(default_factory=lambda: parse_spec("//127.0.0.1:554/"))
    _conn: RtspConnection | None = None
    _base: str = ""
    _control: str = ""
    _session: str | None = None
    _ports: tuple[socket.socket, socket.socket] | None = None
    launched: bool = False
    """The adapter runs the endpoint (suts.rtsp_peer): a fault restarts it on the next call."""
    _server: RtspServer | None = None
    _faulted: bool = False
    _log: TransportLog = field(default_factory=TransportLog)

    def _ensure_server(self) -> None:
        """Start the launched endpoint, or restart it after a fault or its death."""
        if not self.launched:
            return
        if self._server is not None and not self._faulted and self._server.process.poll() is None:
            return
        if self._server is not None:
            self._server.stop()
        self._server, self._faulted = None, False
        try:
            self._server = start_server()
        except PeerUnavailable as exc:
            raise SutFailure(str(exc)) from None
        self.spec = replace(self.spec, **_location(self._server.url))

    def _evidence(self) -> str:
        """The last RTSP exchanges and, for a launched endpoint, its state and last output."""
        transcript = "\n".join(self._conn.transcript) if self._conn else ""
        if self._server is not None:
            self._faulted = True
            transcript += "\n" + self._server.status()
        return transcript

    def call_timeout(self) -> float:
        return self.spec.timeout

    def transport(self) -> list[Segment]:
        return self._log.take()

    def capabilities(self) -> Capabilities:
        return Capabilities(
            name=f"rtsp {self.spec.url}",
            modes=frozenset({"PSK"}),
            roles=frozenset({Role.INITIATOR}),
            encr_algs=self.spec.encr_algs,
            mac_algs=self.spec.mac_algs,
            key_types=frozenset({KeyType.TEK}),
            media=True,
            provisionable=False,
            takes_err_payloads=self.spec.err_payloads,
        )

    def _request(self, method: str, url: str, headers: dict[str, str]) -> RtspResponse:
        if self._conn is None:
            raise SutFailure(f"RTSP {method} before DESCRIBE")
        try:
            return self._conn.request(method, url, headers)
        except SutFailure as exc:
            raise self._fail(str(exc)) from None

    def _fail(self, reason: str) -> SutFailure:
        evidence = self._evidence()
        self._session = None  # no TEARDOWN to an endpoint that just failed
        self.reset()
        return SutFailure(f"{reason}; last exchanges:\n{evidence}")

    def initiate(self, params: ExchangeParams) -> bytes:
        self.reset()
        self._ensure_server()
        self._conn = RtspConnection(
            self.spec.host, self.spec.port, self.spec.timeout, log=self._log
        )
        answer = self._request("DESCRIBE", self.spec.url, {"Accept": "application/sdp"})
        if answer.status != 200:
            raise self._fail(f"DESCRIBE answered {answer.status} {answer.reason}")
        try:
            found = scan_sdp(answer.body)
            offer = found.effective(0) if found.media else None
        except KeyMgmtError as exc:
            raise self._fail(f"DESCRIBE's SDP: {exc}") from None
        if offer is None:
            raise self._fail("DESCRIBE's SDP has no a=key-mgmt:mikey for its first medium")
        self._base = answer.header("Content-Base") or self.spec.url
        self._control = urljoin(self._base, _first_media_control(answer.body))
        return offer.data

    def complete(self, response: bytes | None) -> Outcome:
        self._ports = bind_port_pair("127.0.0.1")
        rtp_port = self._ports[0].getsockname()[1]
        headers = {"Transport": f"RTP/SAVP;unicast;client_port={rtp_port}-{rtp_port + 1}"}
        if response is not None:
            header = keymgmt_header([KeyMgmtSpec(response)])
            headers["KeyMgmt"] = header.partition(":")[2].strip()
        answer = self._request("SETUP", self._control, headers)
        if 200 <= answer.status < 300:
            self._session = (answer.header("Session") or "").split(";")[0] or None
            self._answer_keymgmt(answer)
            return Outcome(True, detail=f"SETUP {answer.status} {answer.reason}")
        rejection = KEY_MANAGEMENT_FAILURE if response is not None else FORBIDDEN
        if answer.status == rejection:
            return Outcome(False, detail=f"SETUP {answer.status} {answer.reason}")
        raise self._fail(f"SETUP answered {answer.status} {answer.reason}, not 2xx or {rejection}")

    def _answer_keymgmt(self, answer: RtspResponse) -> bytes | None:
        value = answer.header("KeyMgmt")
        if value is None:
            return None
        try:
            return mikey_data(parse_keymgmt_value(value))
        except KeyMgmtError as exc:
            raise self._fail(f"the SETUP answer's KeyMgmt header: {exc}") from None

    def receive_srtp(self) -> MediaCapture:
        if self._ports is None or self._session is None:
            raise SutFailure("no established RTSP session to PLAY")
        answer = self._request("PLAY", self._base, {"Session": self._session})
        if answer.status != 200:
            raise self._fail(f"PLAY answered {answer.status} {answer.reason}")
        rtp, rtcp = _collect(self._ports, MEDIA_SECONDS)
        return MediaCapture(rtp=tuple(rtp), rtcp=tuple(rtcp))

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        raise SutFailure("an RTSP server is MIKEY's initiator only (RFC 4567 4.2)")

    def decode(self, data: bytes) -> DecodeResult:
        raise SutFailure("an RTSP server does not offer the decoder role")

    def encode(self, structure: dict[str, Any]) -> bytes:
        raise SutFailure("an RTSP server does not offer the encoder role")

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        return None

    def update(self, params: UpdateParams | None = None) -> bytes:
        raise SutFailure("re-keying within RTSP is for further study (RFC 4567 4.2)")

    def reset(self) -> None:
        if self._conn is not None and self._session is not None:
            with contextlib.suppress(SutFailure):
                self._conn.request("TEARDOWN", self._base, {"Session": self._session})
        if self._conn is not None:
            self._conn.close()
        if self._ports is not None:
            for sock in self._ports:
                sock.close()
        self._conn, self._session, self._ports = None, None, None

    def close(self) -> None:
        self.reset()
        if self._server is not None:
            self._server.stop()
            self._server = None


def _location(url: str) -> dict[str, Any]:
    """The url, host and port fields of an RtspSpec for `url`."""
    spec = parse_spec(url.removeprefix("rtsp:"))
    return {"url": spec.url, "host": spec.host, "port": spec.port}


def _first_media_control(sdp: str) -> str:
    """The a=control of the first m= section (RFC 2326 C.1.1), "" when it has none."""
    in_media = False
    for line in sdp.replace("\r\n", "\n").split("\n"):
        if line.startswith("m="):
            if in_media:
                break
            in_media = True
        elif in_media and line.startswith("a=control:"):
            return line[len("a=control:") :].strip()
    return ""


def _collect(
    ports: tuple[socket.socket, socket.socket], seconds: float
) -> tuple[list[bytes], list[bytes]]:
    """Every datagram on the RTP and RTCP ports for `seconds`."""
    found: tuple[list[bytes], list[bytes]] = ([], [])
    with selectors.DefaultSelector() as sel:
        for index, sock in enumerate(ports):
            sel.register(sock, selectors.EVENT_READ, index)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            for key, _ in sel.select(left):
                found[key.data].append(ports[key.data].recv(65535))
    return found
