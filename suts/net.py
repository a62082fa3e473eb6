"""A MIKEY device on the network as the SUT: `--sut udp:HOST[:PORT][?control=HOST:PORT&timeout=S]`.

MIKEY messages travel as single UDP datagrams to and from the device's MIKEY
port (PORT, default 2269, IANA's "mikey" port; HOST may be a name, an IPv4
address or an IPv6 address in brackets, `udp:[::1]:2269`). suts/NET.md has
the whole story; in short:

- Responder role (always offered): `respond` sends the suite's message to the
  device and waits `timeout` seconds for one datagram back (the spec's timeout=S, else
  the profile's call_timeout or `mikeyconf run --call-timeout`, else 2). A
  datagram is the device's answer, whatever its bytes (the tests judge it: a
  garbage answer fails their strict decoding); silence is
  `Reply(None, accepted=None)`. The device cannot say what it did with the
  message, so `accepted` is always None and the tests judge by what came
  back (conformance.checks: a rejection may be silent or an Error message,
  RFC 3830 5.3; a valid I_MESSAGE with V=1 must be answered, 3.1).
  The ExchangeParams of `respond` cannot travel with a datagram: the device
  answers by its own configuration, which must match the suite's profile.
- Initiator role, and key export, updates and reset: only through the
  optional control channel (`control=HOST:PORT`, JSON lines over TCP,
  suts/net_control.py). The adapter tells the device to initiate towards the
  adapter's own UDP address, receives the I_MESSAGE as a datagram, sends the
  R_MESSAGE back as a datagram and asks the channel how the device took it.
  `reset` provisions the device with the suite's profile. Without a control
  channel the adapter offers the responder role only, PSK with the
  mandatory algorithms (RFC 3830 4.2), no key export, no updates, so the
  tests needing more are not applicable, never failed.
- The decoder role is not offered over the network.

The UDP socket is connected to the device, so it takes datagrams from the
device's address only, and an ICMP port unreachable (the device is not
listening) makes the next call a SutFailure instead of silence. A device
must therefore send from the port it listens on. Every failure to reach the
device or its control channel, or garbage on the control channel, is a
SutFailure with a one-line reason; `close` closes both sockets.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from mikey.srtp import SrtpKeys
from suts import SutSpecError
from suts.base import (
    Capabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Profile,
    Reply,
    Role,
    Sut,
    SutFailure,
    UpdateParams,
)
from suts.net_control import PROTOCOL, ControlClient, decoded, network_capabilities_from_json
from suts.shim.codec import (
    keys_from_json,
    outcome_from_json,
    params_to_json,
    profile_to_json,
    update_params_to_json,
)

MIKEY_PORT = 2269
"""IANA's port for MIKEY over UDP and TCP ("mikey")."""

DEFAULT_TIMEOUT = 2.0
MAX_DATAGRAM = 65535


@dataclass(frozen=True)
class NetSpec:
    """What a `udp:` SUT spec names."""

    host: str
    port: int
    control: tuple[str, int] | None = None
    timeout: float = DEFAULT_TIMEOUT


def split_host_port(text: str, default_port: int | None, what: str) -> tuple[str, int]:
    """HOST[:PORT] with HOST a name, an IPv4 address or [IPv6]; ValueError if malformed."""
    if text.startswith("["):
        host, bracket, after = text[1:].partition("]")
        if not bracket or not host:
            raise ValueError(f"{what}: unclosed or empty [IPv6 address] in {text!r}")
        if after and not after.startswith(":"):
            raise ValueError(f"{what}: expected :PORT after ], got {after!r}")
        port_text = after[1:] if after else None
    else:
        if text.count(":") > 1:
            raise ValueError(f"{what}: an IPv6 address goes in brackets, e.g. [::1]:2269")
        host, colon, port_text_ = text.partition(":")
        port_text = port_text_ if colon else None
        if not host:
            raise ValueError(f"{what}: no host in {text!r}")
    if port_text is None:
        if default_port is None:
            raise ValueError(f"{what}: HOST:PORT needs a port, got {text!r}")
        return host, default_port
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"{what}: port must be 1-65535, got {port_text!r}")
    return host, int(port_text)


def parse_spec(rest: str, default_timeout: float = DEFAULT_TIMEOUT) -> NetSpec:
    """The parts of `udp:REST`, the timeout `default_timeout` unless REST gives one;
    ValueError naming what is wrong."""
    address, _, query = rest.partition("?")
    host, port = split_host_port(address, MIKEY_PORT, "udp:HOST[:PORT]")
    try:
        options = parse_qs(query, keep_blank_values=True, strict_parsing=True) if query else {}
    except ValueError:
        raise ValueError(f"udp:...?{query}: expected key=value pairs joined by &") from None
    unknown = sorted(set(options) - {"control", "timeout"})
    if unknown or any(len(v) != 1 for v in options.values()):
        raise ValueError(f"udp: options are control=HOST:PORT and timeout=SECONDS, got {query!r}")
    control = None
    if "control" in options:
        control = split_host_port(options["control"][0], None, "control=HOST:PORT")
    timeout = default_timeout
    if "timeout" in options:
        try:
            timeout = float(options["timeout"][0])
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= 600:
            raise ValueError(f"timeout must be 0-600 seconds, got {options['timeout'][0]!r}")
    return NetSpec(host, port, control, timeout)


def from_spec(rest: str, profile: Profile) -> Sut:
    """The `udp:` scheme of suts.load_sut."""
    try:
        spec = parse_spec(rest, profile.call_timeout or DEFAULT_TIMEOUT)
        if not 0 < spec.timeout <= 600:
            raise ValueError(f"call_timeout must be 0-600 seconds, got {spec.timeout}")
        return NetSut(spec, profile)
    except (ValueError, SutFailure) as exc:
        raise SutSpecError(str(exc)) from None


class NetSut(Sut):
    """A MIKEY device reached over UDP, with an optional control channel."""

    def __init__(self, spec: NetSpec, profile: Profile) -> None:
        super().__init__(profile)
        self.spec = spec
        self.where = (
            f"[{spec.host}]:{spec.port}" if ":" in spec.host else f"{spec.host}:{spec.port}"
        )
        self._sock = _connected_socket(spec.host, spec.port)
        self._control: ControlClient | None = None
        self._caps = Capabilities(
            name=f"MIKEY peer at udp {self.where}",
            modes=frozenset({"PSK"}),
            roles=frozenset({Role.RESPONDER}),
            provisionable=False,
        )
        if spec.control is not None:
            try:
                self._control = ControlClient(*spec.control, timeout=max(5.0, spec.timeout))
                self._caps = self._remote_capabilities(self._control)
                self.reset()
            except SutFailure:
                self.close()
                raise

    def _remote_capabilities(self, control: ControlClient) -> Capabilities:
        answer = control.call("capabilities")
        if answer.get("protocol") != PROTOCOL:
            raise SutFailure(
                f"the control channel speaks protocol {answer.get('protocol')!r}, not {PROTOCOL}"
            )
        caps: Capabilities = decoded("capabilities", network_capabilities_from_json, answer)
        return caps

    # -- the SUT interface --------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        return self._caps

    def call_timeout(self) -> float:
        return self.spec.timeout

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        self._drain()
        self._send(message)
        answer = self._receive()
        detail = "" if answer is not None else f"no answer within {self.spec.timeout} s"
        return Reply(answer, None, detail)

    def initiate(self, params: ExchangeParams) -> bytes:
        return self._have_device_send("initiate", params=params_to_json(params))

    def update(self, params: UpdateParams | None = None) -> bytes:
        asked = {} if params is None else {"params": update_params_to_json(params)}
        return self._have_device_send("update", **asked)

    def complete(self, response: bytes | None) -> Outcome:
        control = self._need_control("complete")
        if response is None:
            answer = control.call("complete", answer=False)
        else:
            self._send(response)
            wait = self.spec.timeout
            answer = control.call("complete", wait=wait, answer=True, timeout=wait)
        outcome: Outcome = decoded("outcome", outcome_from_json, answer)
        return outcome

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        control = self._need_control("srtp_keys")
        answer = control.call("srtp_keys", role=role.value, cs_id=cs_id)
        keys: SrtpKeys | None = decoded("srtp_keys", keys_from_json, answer.get("keys"))
        return keys

    def reset(self) -> None:
        if self._control is not None:
            self._control.call("reset", profile=profile_to_json(self.profile))
        self._drain()

    def decode(self, data: bytes) -> DecodeResult:
        raise SutFailure("interface misuse: the decoder role is not offered over the network")

    def encode(self, structure: dict[str, Any]) -> bytes:
        raise SutFailure("interface misuse: the encoder is not offered over the network")

    def close(self) -> None:
        self._sock.close()
        if self._control is not None:
            self._control.close()

    # -- datagrams ----------------------------------------------------------------------

    def _need_control(self, call: str) -> ControlClient:
        if self._control is None:
            raise SutFailure(f"interface misuse: {call}() needs a control channel (?control=)")
        return self._control

    def _have_device_send(self, op: str, **fields: Any) -> bytes:
        """Have the device send a message (I_MESSAGE, update) to our UDP address."""
        control = self._need_control(op)
        self._drain()
        host, port = self._sock.getsockname()[:2]
        control.call(op, peer=[host, port], **fields)
        data = self._receive()
        if data is None:
            raise SutFailure(f"the device sent nothing within {self.spec.timeout} s of {op}")
        return data

    def _send(self, data: bytes) -> None:
        try:
            self._sock.send(data)
        except OSError as exc:
            raise self._unreachable(exc) from None

    def _receive(self) -> bytes | None:
        """One datagram from the device, or None after the timeout."""
        self._sock.settimeout(self.spec.timeout)
        try:
            return self._sock.recv(MAX_DATAGRAM)
        except TimeoutError:
            return None
        except OSError as exc:
            raise self._unreachable(exc) from None

    def _drain(self) -> None:
        """Drop datagrams left over from an earlier call (a late answer, a duplicate)."""
        self._sock.setblocking(False)
        try:
            while True:
                self._sock.recv(MAX_DATAGRAM)
        except OSError:  # nothing left; or the ICMP error of an earlier send
            pass

    def _unreachable(self, exc: OSError) -> SutFailure:
        if isinstance(exc, ConnectionRefusedError):
            return SutFailure(
                f"the device at udp {self.where} is unreachable: nothing listens there"
            )
        return SutFailure(f"udp {self.where}: {exc.strerror or exc}")


def _connected_socket(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    except OSError as exc:
        raise ValueError(f"udp:{host}: cannot resolve the host: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.connect(address)
    except OSError as exc:
        sock.close()
        raise ValueError(f"udp:{host}:{port}: {exc.strerror or exc}") from None
    return sock
