"""The network peer's control channel: JSON lines over TCP (suts/NET.md specifies it).

A MIKEY device answers I_MESSAGEs on its own, but only something outside
MIKEY can make it start an exchange, export the keys it derived, or forget
its CSBs. This optional side channel does that: one JSON object per line each
way, one request answered by one response, in order. `mikeyconf serve`
speaks it; a vendor wraps its device's management API in it.

Request:  {"op": NAME, ...fields}
Response: {"ok": true, ...result} or {"ok": false, "error": "one line"}

This module holds the JSON forms both ends share and the client; the
server is conformance/serve.py.
"""

from __future__ import annotations

import json
import socket
from typing import Any, BinaryIO

from mikey.srtp import SrtpKeys
from mikey.wire import EncrAlg, ErrorNo, IdType, KeyType, MacAlg, ProtType
from mikey.wire.payloads import Id, PolicyParam, SecurityPolicy, SrtpIdEntry
from suts.base import Capabilities, ExchangeParams, Outcome, Profile, Role, SutFailure

PROTOCOL = 1
"""The control protocol's version, in the `capabilities` response."""

MAX_LINE = 1 << 16
"""A response line longer than this is garbage, not a response."""


# -- JSON forms ---------------------------------------------------------------------------


def id_to_json(ident: Id) -> dict[str, Any]:
    return {"type": ident.id_type.name, "data": ident.data.hex()}


def id_from_json(obj: Any) -> Id:
    return Id(IdType[obj["type"]], bytes.fromhex(obj["data"]))


def profile_to_json(profile: Profile) -> dict[str, Any]:
    """The whole provisioning profile (PIXIT), the pre-shared key included."""
    return {
        "psk": profile.psk.hex(),
        "id_initiator": id_to_json(profile.id_initiator),
        "id_responder": id_to_json(profile.id_responder),
        "max_skew": profile.max_skew,
    }


def profile_from_json(obj: Any) -> Profile:
    return Profile(
        psk=bytes.fromhex(obj["psk"]),
        id_initiator=id_from_json(obj["id_initiator"]),
        id_responder=id_from_json(obj["id_responder"]),
        max_skew=float(obj["max_skew"]),
    )


def _policy_to_json(policy: SecurityPolicy) -> dict[str, Any]:
    return {
        "policy_no": policy.policy_no,
        "prot_type": int(policy.prot_type),
        "params": [{"type": int(p.type), "value": p.value.hex()} for p in policy.params],
    }


def _policy_from_json(obj: Any) -> SecurityPolicy:
    prot = int(obj["prot_type"])
    return SecurityPolicy(
        int(obj["policy_no"]),
        ProtType(prot) if prot in ProtType._value2member_map_ else prot,  # type: ignore[arg-type]
        tuple(PolicyParam(int(p["type"]), bytes.fromhex(p["value"])) for p in obj["params"]),
    )


def params_to_json(params: ExchangeParams) -> dict[str, Any]:
    cs_map = params.cs_map
    policies = params.policies
    return {
        "mode": params.mode,
        "v": params.v,
        "encr_alg": params.encr_alg.name,
        "mac_alg": params.mac_alg.name,
        "key_type": params.key_type.name,
        "cs_map": None if cs_map is None else [[e.policy_no, e.ssrc, e.roc] for e in cs_map],
        "policies": None if policies is None else [_policy_to_json(p) for p in policies],
        "include_ids": params.include_ids,
    }


def params_from_json(obj: Any) -> ExchangeParams:
    cs_map, policies = obj["cs_map"], obj["policies"]
    return ExchangeParams(
        mode=str(obj["mode"]),
        v=bool(obj["v"]),
        encr_alg=EncrAlg[obj["encr_alg"]],
        mac_alg=MacAlg[obj["mac_alg"]],
        key_type=KeyType[obj["key_type"]],
        cs_map=None if cs_map is None else tuple(SrtpIdEntry(*map(int, e)) for e in cs_map),
        policies=None if policies is None else tuple(_policy_from_json(p) for p in policies),
        include_ids=bool(obj["include_ids"]),
    )


NETWORK_ROLES = frozenset({Role.INITIATOR, Role.RESPONDER})
"""The roles a network peer can play: the decoder role is not offered over the network."""


def capabilities_to_json(caps: Capabilities) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "name": caps.name,
        "modes": sorted(caps.modes),
        "roles": sorted(r.value for r in caps.roles & NETWORK_ROLES),
        "encr_algs": sorted(a.name for a in caps.encr_algs),
        "mac_algs": sorted(a.name for a in caps.mac_algs),
        "key_types": sorted(k.name for k in caps.key_types),
        "exports_keys": caps.exports_keys,
        "updates": caps.updates,
    }


def capabilities_from_json(obj: Any) -> Capabilities:
    return Capabilities(
        name=str(obj["name"]),
        modes=frozenset(str(m) for m in obj["modes"]),
        roles=frozenset(Role(r) for r in obj["roles"]) & NETWORK_ROLES,
        encr_algs=frozenset(EncrAlg[a] for a in obj["encr_algs"]),
        mac_algs=frozenset(MacAlg[a] for a in obj["mac_algs"]),
        key_types=frozenset(KeyType[k] for k in obj["key_types"]),
        exports_keys=bool(obj["exports_keys"]),
        updates=bool(obj["updates"]),
    )


def keys_to_json(keys: SrtpKeys | None) -> dict[str, Any] | None:
    if keys is None:
        return None
    return {
        "master_key": keys.master_key.hex(),
        "master_salt": keys.master_salt.hex(),
        "profile": keys.profile,
    }


def keys_from_json(obj: Any) -> SrtpKeys | None:
    if obj is None:
        return None
    return SrtpKeys(
        bytes.fromhex(obj["master_key"]), bytes.fromhex(obj["master_salt"]), obj["profile"]
    )


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    error = None if outcome.error is None else int(outcome.error)
    return {"accepted": outcome.accepted, "error": error, "detail": outcome.detail}


def outcome_from_json(obj: Any) -> Outcome:
    error = obj["error"]
    return Outcome(
        accepted=bool(obj["accepted"]),
        error=None if error is None else ErrorNo(int(error)),
        detail=str(obj["detail"]),
    )


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
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SutFailure(f"the control channel sent a malformed {what}: {exc!r}") from None
