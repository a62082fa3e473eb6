"""The network peer's control channel: JSON lines over TCP (suts/NET.md specifies it).

A MIKEY device answers I_MESSAGEs on its own, but only something outside
MIKEY can make it start an exchange, export the keys it derived, or forget
its CSBs. This optional side channel does that: one JSON object per line each
way, one request answered by one response, in order. `mikeyconf serve`
speaks it; a vendor wraps its device's management API in it.

Request:  {"op": NAME, ...fields}
Response: {"ok": true, ...result} or {"ok": false, "error": "one line"}

The values (Profile, ExchangeParams, Capabilities, Outcome, SrtpKeys) are in
the JSON forms of the shim protocol (suts/shim/PROTOCOL.md "Types",
suts.shim.codec). This module holds the client; the server is
conformance/serve.py.
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from typing import Any, BinaryIO

from suts.base import Capabilities, Role, SutFailure
from suts.shim import codec

PROTOCOL = 1
"""The control protocol's version, in the `capabilities` response."""

MAX_LINE = 1 << 16
"""A response line longer than this is garbage, not a response."""


NETWORK_ROLES = frozenset({Role.INITIATOR, Role.RESPONDER})
"""The roles a network peer can play: the decoder role is not offered over the network."""


def network_capabilities_to_json(caps: Capabilities) -> dict[str, Any]:
    """The `capabilities` result: the shim protocol's Capabilities form, network roles
    only, with the control protocol's version."""
    network = replace(caps, roles=caps.roles & NETWORK_ROLES)
    return {**codec.capabilities_to_json(network), "protocol": PROTOCOL}


def network_capabilities_from_json(obj: Any) -> Capabilities:
    """The device's capabilities as the adapter can use them: network roles only, and no
    RSA-R group mode, which a datagram cannot ask of a responder (NET.md)."""
    caps = codec.capabilities_from_json(obj)
    return replace(caps, roles=caps.roles & NETWORK_ROLES, rsar_group=False)


# -- the client ---------------------------------------------------------------------------


class Refused(SutFailure):
    """The device answered a request with ok: false (the channel stays in step)."""


class ControlClient:
    """A connection to a device's control channel; every failure is a SutFailure.

    After a failure (timeout, garbage, closed connection) the connection is out
    of step with the device, so it is dropped and the next call connects anew.
    """

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address = (host, port)
        self.where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.timeout = timeout
        self._sock: socket.socket | None = None
        self._file: BinaryIO | None = None
        self._connect()

    def _connect(self) -> tuple[socket.socket, BinaryIO]:
        if self._sock is None or self._file is None:
            try:
                self._sock = socket.create_connection(self.address, timeout=self.timeout)
            except OSError as exc:
                raise SutFailure(
                    f"the control channel at {self.where} is unreachable: {exc.strerror or exc}"
                ) from None
            self._file = self._sock.makefile("rb")
        return self._sock, self._file

    def call(self, op: str, wait: float = 0.0, **fields: Any) -> dict[str, Any]:
        """Send one request and return its response's fields; `wait` is how long the
        device may take on top of the channel's timeout (e.g. for a UDP answer)."""
        try:
            return self._call(op, wait, fields)
        except Refused:
            raise
        except SutFailure:
            self.close()
            raise

    def _call(self, op: str, wait: float, fields: dict[str, Any]) -> dict[str, Any]:
        sock, lines = self._connect()
        request = json.dumps({"op": op, **fields}, separators=(",", ":")) + "\n"
        try:
            sock.settimeout(self.timeout + wait)
            sock.sendall(request.encode("utf-8"))
            line = lines.readline(MAX_LINE + 1)
        except OSError as exc:
            raise SutFailure(
                f"control channel {self.where}, {op}: {exc.strerror or exc or 'timed out'}"
            ) from None
        if not line:
            raise SutFailure(f"control channel {self.where} closed the connection during {op}")
        try:
            response = json.loads(line)
        except ValueError:
            raise SutFailure(
                f"control channel {self.where} answered {op} with garbage: {line[:60]!r}"
            ) from None
        if not isinstance(response, dict) or not isinstance(response.get("ok"), bool):
            raise SutFailure(
                f"control channel {self.where}: {op} response without ok: {line[:60]!r}"
            )
        if not response["ok"]:
            raise Refused(f"the device refused {op}: {response.get('error', 'no reason given')}")
        return response

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._sock is not None:
            self._sock.close()
        self._sock = self._file = None


def decoded(what: str, decode: Any, obj: Any) -> Any:
    """`decode(obj)`, with a malformed field (the device's fault) as a SutFailure."""
    try:
        return decode(obj)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # codec.CodecError too
        raise SutFailure(f"the control channel sent a malformed {what}: {exc}") from None
