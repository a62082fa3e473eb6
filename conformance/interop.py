"""One interop exchange between two SUTs, directly through the SUT interface.

The initiator SUT starts the exchange, the responder SUT answers, the
initiator takes the answer (RFC 3830 section 5: I_MESSAGE, then the
verification message where the mode has one; the same profile is handed to
both, so they share identities and the pre-shared key). Then, where both
export them, the SRTP keys of every crypto session (RFC 3830 Appendix A)
must agree, and where pylibsrtp is installed, RTP protected under one side's
keys must unprotect under the other's (RFC 3711), both ways.

The result is a Cell: pass, fail with its reason, or not-applicable when the
two SUTs cannot play those roles in that mode (their capabilities). A SUT
that fails (SutFailure, or any exception from its adapter) fails the cell;
it never stops the matrix.
"""

from __future__ import annotations

import importlib.util
import struct
import time
from dataclasses import dataclass, field, replace

from mikey.srtp import SrtpKeys, libsrtp_session
from mikey.wire import DecodeError, decode_message
from suts.base import Capabilities, ExchangeParams, Role, Sut

HAVE_LIBSRTP = importlib.util.find_spec("pylibsrtp") is not None
RTP_PACKETS = 3


@dataclass(frozen=True)
class Party:
    """A SUT of the matrix: its --sut value, the adapter, and its capabilities."""

    spec: str
    sut: Sut
    caps: Capabilities


@dataclass(frozen=True)
class Cell:
    """The outcome of one (initiator, responder, mode) exchange."""

    initiator: str
    responder: str
    mode: str
    verdict: str
    """pass, fail or not-applicable."""
    reason: str = ""
    keys: str = "not-compared"
    """equal, differ, or not-compared (a side exports none), or not-run."""
    srtp: str = "not-run"
    """ok, failed, or not-run (keys not compared, or no pylibsrtp)."""
    steps: list[str] = field(default_factory=list)
    duration_s: float = 0.0


class CellFailure(Exception):
    """The exchange failed: the message is the cell's reason."""


def applicable(initiator: Party, responder: Party, mode: str) -> str | None:
    """Why the pair cannot play this mode in these roles, or None when it can."""
    for party, role in ((initiator, Role.INITIATOR), (responder, Role.RESPONDER)):
        if mode not in party.caps.modes:
            return f"{party.spec} does not implement mode {mode}"
        if role not in party.caps.roles:
            return f"{party.spec} does not play the {role.value} role"
    return None


def play(initiator: Party, responder: Party, mode: str) -> Cell:
    """Run one exchange from `initiator` to `responder` in `mode`; never raises."""
    base = Cell(initiator.spec, responder.spec, mode, "not-applicable")
    why = applicable(initiator, responder, mode)
    if why is not None:
        return replace(base, reason=why, keys="not-run")
    started = time.monotonic()
    steps: list[str] = []
    try:
        keys, srtp, problem = _exchange(initiator, responder, ExchangeParams(mode=mode), steps)
    except CellFailure as exc:
        cell = replace(base, verdict="fail", reason=str(exc), keys="not-run")
    except Exception as exc:  # SutFailure, or an adapter's bug: the SUT's failure, not ours
        reason = f"{steps[-1]} failed: {type(exc).__name__}: {exc}"
        cell = replace(base, verdict="fail", reason=reason, keys="not-run")
    else:
        verdict = "pass" if problem is None else "fail"
        cell = replace(base, verdict=verdict, reason=problem or "", keys=keys, srtp=srtp)
    return replace(cell, steps=steps, duration_s=round(time.monotonic() - started, 6))


def _exchange(
    initiator: Party, responder: Party, params: ExchangeParams, steps: list[str]
) -> tuple[str, str, str | None]:
    """The exchange and the key checks; returns keys and srtp (as in Cell) and the
    reason the cell fails, if it does."""
    a, b = initiator.sut, responder.sut
    steps.append("reset")
    a.reset()
    b.reset()
    steps.append(f"{initiator.spec} initiate")
    message = a.initiate(params)
    steps.append(f"{responder.spec} respond")
    reply = b.respond(message, params)
    if reply.accepted is False:
        raise CellFailure(f"{responder.spec} rejected the I_MESSAGE: {reply.detail or '-'}")
    steps.append(f"{initiator.spec} complete")
    outcome = a.complete(reply.message)
    if not outcome.accepted:
        error = f" ({outcome.error.name})" if outcome.error is not None else ""
        raise CellFailure(f"{initiator.spec} rejected the answer{error}: {outcome.detail or '-'}")
    return _compare_keys(initiator, responder, message, steps)


def _crypto_sessions(message: bytes) -> range:
    """The crypto session IDs of the I_MESSAGE's CS ID map (RFC 3830 6.1: 1 to #CS)."""
    try:
        return range(1, decode_message(message).hdr.n_cs + 1)
    except DecodeError as exc:
        raise CellFailure(f"the I_MESSAGE does not decode: {exc}") from None


def _compare_keys(
    initiator: Party, responder: Party, message: bytes, steps: list[str]
) -> tuple[str, str, str | None]:
    if not (initiator.caps.exports_keys and responder.caps.exports_keys):
        steps.append("keys not compared: a side does not export its SRTP keys")
        return "not-compared", "not-run", None
    for cs_id in _crypto_sessions(message):
        steps.append(f"srtp_keys of crypto session {cs_id}")
        ours = initiator.sut.srtp_keys(Role.INITIATOR, cs_id)
        theirs = responder.sut.srtp_keys(Role.RESPONDER, cs_id)
        if ours is None or theirs is None:
            missing = initiator.spec if ours is None else responder.spec
            raise CellFailure(f"{missing} exported no SRTP keys for crypto session {cs_id}")
        if ours != theirs:
            return "differ", "not-run", f"crypto session {cs_id}: {_difference(ours, theirs)}"
        if HAVE_LIBSRTP:
            steps.append(f"SRTP round trips of crypto session {cs_id}")
            problem = _round_trip(ours, theirs) or _round_trip(theirs, ours)
            if problem:
                return "equal", "failed", f"crypto session {cs_id}: {problem}"
    return "equal", "ok" if HAVE_LIBSRTP else "not-run", None


def _difference(ours: SrtpKeys, theirs: SrtpKeys) -> str:
    fields = [
        name
        for name in ("master_key", "master_salt", "profile")
        if getattr(ours, name) != getattr(theirs, name)
    ]
    names = " and ".join(f.replace("_", " ") for f in fields)
    return f"the two sides' SRTP {names} {'differs' if len(fields) == 1 else 'differ'}"


def _round_trip(sender: SrtpKeys, receiver: SrtpKeys) -> str | None:
    """Protect RTP under `sender`'s keys, unprotect under `receiver`'s (RFC 3711 3.3, 3.4)."""
    import pylibsrtp

    tx = libsrtp_session(sender, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    rx = libsrtp_session(receiver, pylibsrtp.Policy.SSRC_ANY_INBOUND)
    for seq in range(1, RTP_PACKETS + 1):
        # RFC 3550 5.1: V=2, payload type 96, sequence number, timestamp, SSRC.
        packet = struct.pack("!BBHII", 0x80, 96, seq, 160 * seq, 0x4D494B45) + bytes(40)
        try:
            if rx.unprotect(tx.protect(packet)) != packet:
                return f"SRTP packet {seq} unprotected to other bytes"
        except pylibsrtp.Error as exc:
            return f"SRTP packet {seq} does not unprotect: {exc}"
    return None
