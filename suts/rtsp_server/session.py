"""The RTSP server (RFC 2326 subset) that offers one MIKEY-keyed stream (RFC 4567 4.2).

Methods: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, and GET_PARAMETER /
SET_PARAMETER answered 200 as keep-alives (RFC 2326 10.8, 10.9); anything
else is 501. One RTSP session per TCP connection, one medium (PCMU over
RTP/SAVP, unicast UDP) with control URL `<path>/stream=0`.

The server is MIKEY's initiator (4.2): DESCRIBE asks the `KeyManagement`
for an offer and puts it in `a=key-mgmt:mikey` at media level (3.1); SETUP
passes the data of its KeyMgmt header (3.2; None without one) back to it.
When the key management fails the SETUP is answered 463 Key Management
Failure (4.2), or 403 Forbidden when the header was missing (4.2, SHOULD),
and nothing is set up. PLAY hands the session to `on_play`, which runs the
media in its own thread. Every step is noted in `Session.events` (never key
material), and `on_end` gets the session when its connection closes.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from mikey.sdp import KeyMgmt, KeyMgmtError, parse_keymgmt_value, sdp_attribute
from suts.rtsp_server.framing import FramingError, RequestReader, RtspRequest, response
from suts.rtsp_server.media import ClientTransport, MediaLink
from suts.transport import TransportLog, new_connection

CONTROL = "stream=0"
PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER, SET_PARAMETER"
_CLIENT_PORT = re.compile(r"client_port=(\d+)-(\d+)")


class KeyManagement(Protocol):
    """MIKEY's initiator behind the server, one per DESCRIBE."""

    def offer(self) -> bytes:
        """The I_MESSAGE for `a=key-mgmt:mikey` (RFC 4567 4.2)."""

    def take(self, data: bytes | None) -> bool:
        """The client's answer from SETUP's KeyMgmt header (None: none); True when the
        key management succeeds."""


@dataclass
class Session:
    """One client connection: its RTSP session, key management and media."""

    peer: str
    session_id: str = field(default_factory=lambda: secrets.token_hex(8))
    keymgmt: KeyManagement | None = None
    offer: bytes | None = None
    answer: bytes | None = None
    answer_uri: str | None = None
    setup_status: int | None = None
    transport: ClientTransport | None = None
    media: MediaLink | None = None
    playing: bool = False
    player: threading.Thread | None = None
    """The thread running `on_play` for this session."""
    torn_down: bool = False
    closed: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    events: list[str] = field(default_factory=list)


def sdp(host: str, offer: bytes) -> str:
    """The session description: one PCMU medium over RTP/SAVP keyed by `offer` (3.1)."""
    lines = [
        "v=0",
        f"o=- {secrets.randbits(31)} 1 IN IP4 {host}",
        "s=mikeyconf serve --rtsp",
        f"c=IN IP4 {host}",
        "t=0 0",
        "a=control:*",
        "m=audio 0 RTP/SAVP 0",
        "a=rtpmap:0 PCMU/8000",
        f"a=control:{CONTROL}",
        sdp_attribute(KeyMgmt(offer)),
    ]
    return "".join(line + "\r\n" for line in lines)


class RtspMikeyServer:
    """Listens on host:port; `url` is the stream's RTSP URL."""

    def __init__(
        self,
        keymgmt: Callable[[], KeyManagement],
        on_play: Callable[[Session], None],
        on_end: Callable[[Session], None] = lambda session: None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/test",
        keep_finished: bool = True,
        log: TransportLog | None = None,
    ) -> None:
        """`keep_finished=False` drops each session once `on_end` has seen it (a
        long-running server); the default keeps them for the adapter's evidence. `log`
        gets every request and response whole (suts/transport.py)."""
        self.keymgmt, self.on_play, self.on_end = keymgmt, on_play, on_end
        self.log = log
        self.keep_finished = keep_finished
        self.host, self.path = host, "/" + path.strip("/")
        self.listener = socket.create_server((host, port))
        self.port = self.listener.getsockname()[1]
        self.url = f"rtsp://{host}:{self.port}{self.path}"
        self.changed = threading.Condition()
        self.sessions: list[Session] = []
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.changed:
            for session in self.sessions:
                session.stop.set()

    def _accept(self) -> None:
        while not self._closing:
            try:
                conn, peer = self.listener.accept()
            except OSError:
                return
            session = Session(peer=f"{peer[0]}:{peer[1]}")
            with self.changed:
                self.sessions.append(session)
            threading.Thread(target=self._serve, args=(conn, session), daemon=True).start()

    def _record(self, direction: str, connection: int, data: bytes) -> None:
        if self.log is not None:
            self.log.record(direction, "rtsp", connection, data)

    def _note(self, session: Session, event: str) -> None:
        with self.changed:
            session.events.append(event)
            self.changed.notify_all()

    def _serve(self, conn: socket.socket, session: Session) -> None:
        reader = RequestReader(conn)
        connection = new_connection()
        try:
            with conn:
                while (request := reader.next()) is not None:
                    self._record("from-sut", connection, request.raw)
                    status, headers, body = self._handle(session, request)
                    self._note(session, f"{request.method} {status}")
                    answer = response(request.header("CSeq"), status, headers, body)
                    conn.sendall(answer)
                    self._record("to-sut", connection, answer)
        except FramingError as exc:
            self._note(session, f"bad request: {exc}")
            with contextlib.suppress(OSError):
                conn.sendall(response(None, 400, {"Connection": "close"}))
        except OSError as exc:
            self._note(session, f"connection error: {exc.strerror or exc}")
        finally:
            session.stop.set()
            with self.changed:
                session.closed = True
                self.changed.notify_all()
            self.on_end(session)
            if not self.keep_finished:
                with self.changed:
                    self.sessions.remove(session)
                    self.changed.notify_all()

    def _handle(self, session: Session, request: RtspRequest) -> tuple[int, dict[str, str], str]:
        method = request.method
        if method == "OPTIONS":
            return 200, {"Public": PUBLIC}, ""
        if method in ("GET_PARAMETER", "SET_PARAMETER"):
            return 200, {"Session": session.session_id}, ""
        if method == "DESCRIBE":
            if request.url.rstrip("/") != self.url:
                return 404, {}, ""
            session.keymgmt = self.keymgmt()
            session.offer = session.keymgmt.offer()
            headers = {"Content-Type": "application/sdp", "Content-Base": self.url + "/"}
            return 200, headers, sdp(self.host, session.offer)
        if method == "SETUP":
            answer = self._setup(session, request)
            if session.setup_status != 200:  # a second SETUP (455) leaves the first's
                session.setup_status = answer[0]
            return answer
        if method in ("PLAY", "TEARDOWN"):
            given = (request.header("Session") or "").split(";")[0].strip()
            if method == "TEARDOWN":
                session.torn_down = True  # the client ends the session, set up or not
                session.stop.set()
            if session.setup_status != 200 or given != session.session_id:
                return 454, {}, ""
            if method == "TEARDOWN":
                return 200, {"Session": session.session_id}, ""
            if not session.playing:
                session.playing = True
                session.player = threading.Thread(target=self.on_play, args=(session,), daemon=True)
                session.player.start()
            return 200, {"Session": session.session_id, "Range": "npt=0-"}, ""
        return 501, {"Public": PUBLIC}, ""

    def _setup(self, session: Session, request: RtspRequest) -> tuple[int, dict[str, str], str]:
        if request.url != f"{self.url}/{CONTROL}":
            return 404, {}, ""
        if session.keymgmt is None:
            return 455, {}, ""  # no DESCRIBE on this connection: no offer to answer
        if session.setup_status == 200:
            return 455, {}, ""  # one medium, set up once
        transport = request.header("Transport") or ""
        ports = _CLIENT_PORT.search(transport)
        if "RTP/SAVP" not in transport or "multicast" in transport or ports is None:
            return 461, {}, ""
        status = self._keymgmt(session, request.header("KeyMgmt"))
        if status != 200:
            session.stop.set()
            return status, {}, ""
        rtp_port, rtcp_port = int(ports.group(1)), int(ports.group(2))
        session.transport = ClientTransport(session.peer.rpartition(":")[0], rtp_port, rtcp_port)
        session.media = MediaLink(self.host)
        server = "-".join(map(str, session.media.server_ports))
        answer = f"RTP/SAVP;unicast;client_port={rtp_port}-{rtcp_port};server_port={server}"
        return 200, {"Session": f"{session.session_id};timeout=60", "Transport": answer}, ""

    def _keymgmt(self, session: Session, header: str | None) -> int:
        """200, or 463 when the key management fails on the KeyMgmt data, or 403 when
        the header is missing and the key management needs it (RFC 4567 4.2)."""
        assert session.keymgmt is not None
        data = None
        if header is not None:
            try:
                specs = [s for s in parse_keymgmt_value(header) if s.kmpid == "mikey"]
            except KeyMgmtError as exc:
                self._note(session, f"KeyMgmt header: {exc}")
                return 463
            if len(specs) != 1:
                self._note(session, f"KeyMgmt header: {len(specs)} mikey key-mgmt-specs")
                return 463
            data, session.answer_uri = specs[0].data, specs[0].uri
            session.answer = data
        if session.keymgmt.take(data):
            return 200
        return 463 if data is not None else 403
