"""Checks shared by the conformance tests: each one asserts, with a reason a vendor can act on.

An AssertionError here becomes the test's "fail" verdict; its message is the
reason in the report, so every message says what the RFC wanted and what the
SUT did. The applicability checks at the end skip instead: what a SUT's codec
capabilities leave out makes a codec test not applicable, never failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NoReturn

import pytest

from conformance.evidence import Evidence
from conformance.plugin import NOT_APPLICABLE
from conformance.vehicle import t_not_refused, vehicle
from mikey.srtp import SrtpKeys
from mikey.wire import DecodeError, decode_message
from mikey.wire.message import SPEC_BY_CLASS
from mikey.wire.payloads import (
    Error,
    GeneralExtension,
    Kemac,
    Message,
    SecurityPolicy,
    Sign,
    Timestamp,
    Verification,
)
from mikey.wire.registry import DataType, EncrAlg, ErrorNo, PayloadType
from suts.base import CodecCapabilities, DecodeResult, Reply, Role, Sut


def strict_decode(data: bytes, what: str) -> Message:
    """Our strict decoder's reading of a message the SUT sent; fails the test if invalid."""
    try:
        return decode_message(data)
    except DecodeError as exc:
        raise AssertionError(f"{what} is not a valid MIKEY message: {exc}") from None


def answered(reply: Reply, sent_v: bool) -> bool:
    """Whether the SUT took the message: its own word, else what it sent back."""
    if reply.accepted is not None:
        return reply.accepted
    if reply.message is None:
        return not sent_v
    try:
        return decode_message(reply.message).hdr.data_type != DataType.ERROR
    except DecodeError:
        return False


def expect_rejection(
    reply: Reply,
    evidence: Evidence,
    csb_id: int | None,
    allowed: frozenset[ErrorNo] | None,
) -> None:
    """The SUT must not take the message (RFC 3830 5.3: discard it).

    It may stay silent or answer with an Error message (5.1.2: HDR, T, {ERR},
    {SP}, [V|SIGNr]); when it answers, the Error message must be well formed,
    carry the offending CSB ID when one was readable (6.1), and name one of the
    `allowed` error numbers of Table 6.12 (None: any).
    """
    evidence.note(f"SUT says: accepted={reply.accepted} {reply.detail}".strip())
    if allowed is not None and ErrorNo.INVALID_TS not in allowed:
        with vehicle():  # the message's T is current: refused for it, the test checked nothing
            t_not_refused(reply)
    assert reply.accepted is not True, f"the SUT accepted the message ({reply.detail})"
    if reply.message is None:
        return
    msg = strict_decode(reply.message, "the SUT's answer")
    assert msg.hdr.data_type == DataType.ERROR, (
        f"the SUT answered with a {msg.hdr.data_type.name} message instead of rejecting"
    )
    check_error_message(msg, csb_id, allowed)


ERROR_MESSAGE_PAYLOADS = (Timestamp, Error, SecurityPolicy, Verification, Sign, GeneralExtension)
"""HDR, T, {ERR}, {SP}, [V|SIGNr] (RFC 3830 5.1.2); General Extensions go anywhere (6.15)."""


def check_error_message(
    msg: Message, csb_id: int | None, allowed: frozenset[ErrorNo] | None
) -> None:
    """The form and content of an Error message (RFC 3830 5.1.2, 6.12)."""
    kinds = ", ".join(type(p).__name__ for p in msg.payloads)
    form = "HDR, T, {ERR}, {SP}, [V|SIGNr] (RFC 3830 5.1.2)"
    assert msg.first(Timestamp) is not None, f"Error message without T: {kinds}; wants {form}"
    stray = [type(p).__name__ for p in msg.payloads if not isinstance(p, ERROR_MESSAGE_PAYLOADS)]
    assert not stray, f"Error message carries {', '.join(stray)}; wants {form}"
    auth = [i for i, p in enumerate(msg.payloads) if isinstance(p, Verification | Sign)]
    assert auth in ([], [len(msg.payloads) - 1]), f"V or SIGN not last: {kinds}; wants {form}"
    errors = [p.error_no for p in msg.all(Error)]
    assert errors, "Error message without any ERR payload (RFC 3830 5.1.2)"
    if csb_id is not None:
        assert msg.hdr.csb_id == csb_id, (
            f"Error message CSB ID {msg.hdr.csb_id:#010x}, not the message's {csb_id:#010x}"
        )
    if allowed is not None:
        names = ", ".join(sorted(e.name for e in allowed))
        got = ", ".join(e.name for e in errors)
        assert any(e in allowed for e in errors), (
            f"Error message names {got}; RFC 3830 Table 6.12 wants {names}"
        )


def differences(want: Any, got: Any, path: str = "message") -> list[str]:
    """Where `got` differs from `want` (two JSON forms), one line per differing field."""
    if isinstance(want, dict) and isinstance(got, dict):
        name = want.get("type")
        here = f"{path} ({name})" if isinstance(name, str) else path  # a payload: say which
        keys = [*want, *(k for k in got if k not in want)]
        return [d for k in keys for d in differences(want.get(k), got.get(k), f"{here}.{k}")]
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        pairs = enumerate(zip(want, got, strict=True))
        return [d for i, (w, g) in pairs for d in differences(w, g, f"{path}[{i}]")]
    return [] if want == got else [f"{path}: RFC encoding gives {want!r}, SUT {got!r}"]


def not_applicable(reason: str) -> NoReturn:
    """End the test with the verdict not-applicable (the SUT cannot take part in it)."""
    pytest.skip(f"{NOT_APPLICABLE}{reason}")


def codec_lacks(codec: CodecCapabilities, msg: Message) -> list[str]:
    """What of `msg` a codec with these capabilities does not implement, one phrase each."""
    lacking: list[str] = []
    hdr = msg.hdr
    if hdr.n_cs and hdr.cs_id_map_type not in codec.cs_id_map_types:
        kind = getattr(hdr.cs_id_map_type, "name", hdr.cs_id_map_type)
        lacking.append(f"#CS > 0 with the CS ID map type {kind} (RFC 3830 6.1, RFC 4563 5)")
    for payload in msg.payloads:
        spec = SPEC_BY_CLASS[type(payload)]
        if spec.kind not in codec.payloads:
            lacking.append(f"the {spec.name} payload ({spec.section})")
        if not isinstance(payload, Kemac) or not payload.encr_data:
            continue
        if payload.encr_alg != EncrAlg.NULL and not codec.encrypted_kemac:
            lacking.append("encrypted KEMAC Encr data (RFC 3830 4.2.3, 6.2)")
        elif payload.encr_alg == EncrAlg.NULL and PayloadType.KEY_DATA not in codec.payloads:
            lacking.append("the Key data sub-payload (RFC 3830 6.13)")
    return list(dict.fromkeys(lacking))


def require_encoder_for(sut: Sut, msg: Message) -> None:
    """Not applicable unless the SUT's encoder writes all that `msg` has (its capabilities)."""
    caps = sut.capabilities()
    lacking = codec_lacks(caps.encoder, msg)
    if lacking:
        not_applicable(f"{caps.name}'s encoder does not write {'; '.join(lacking)}")


def waive_unimplemented_refusal(sut: Sut, msg: Message, result: DecodeResult) -> None:
    """Not applicable when the SUT refused a valid `msg` its decoder does not implement.

    RFC 3830 5.3: on unsupported parameters "the processing is then aborted", so
    refusing such a message is right. Only the refusal is waived: a SUT that
    accepts the message must read it right, and one that hangs or crashes on it
    has already failed (SutFailure) before this check.
    """
    if result.accepted:
        return
    caps = sut.capabilities()
    lacking = codec_lacks(caps.decoder, msg)
    if lacking:
        not_applicable(
            f"{caps.name}'s decoder does not read {'; '.join(lacking)}, "
            f"and refuses the message ({result.detail or 'no detail'})"
        )


def check_srtp_keys(
    sut: Sut,
    role: Role,
    reference: Callable[[int], SrtpKeys],
    cs_ids: Iterable[int],
    evidence: Evidence,
) -> None:
    """The SUT's SRTP master key and salt (as `role`) are the reference's for every crypto
    session. The keys go to the evidence as secrets, never into the assertion message."""
    for cs_id in cs_ids:
        ours, theirs = reference(cs_id), sut.srtp_keys(role, cs_id)
        evidence.srtp_keys(cs_id, ours, theirs)
        same = theirs == ours  # not in the assert: the keys stay out of the report
        assert same, f"crypto session {cs_id}: SRTP keys differ from the reference"
