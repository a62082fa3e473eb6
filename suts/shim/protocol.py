"""The envelope of the shim protocol: requests, answers and the error model (PROTOCOL.md).

One JSON object per line, UTF-8, each way. A request is
`{"id": N, "op": NAME, "args": {...}}`; its answer carries the same id and
either `"ok": true, "result": {...}` or `"ok": false, "error": {"kind": KIND,
"message": TEXT}`. The operations' `args` and `result` are in suts.shim.codec.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from suts.shim.codec import CodecError, JsonObject, expect

VERSION = "mikey-shim/1"
"""The protocol version this package speaks (the hello operation names it)."""

MAX_LINE = 1 << 20
"""The longest line either end must read (bytes, newline excluded): 1 MiB."""

OPERATIONS = (
    "hello",
    "initiate",
    "complete",
    "respond",
    "decode",
    "encode",
    "srtp_keys",
    "update",
    "reset",
)
"""One per call of suts.base.Sut, plus the handshake."""


class ErrorKind(StrEnum):
    """Why a shim answers a request with an error instead of a result."""

    FAILURE = "failure"
    """The SUT failed the operation (crashed, refused a call out of sequence)."""
    UNSUPPORTED = "unsupported"
    """The shim does not implement this operation."""
    BAD_REQUEST = "bad-request"
    """The request is not what PROTOCOL.md allows (bad JSON, unknown op, bad args, version)."""


@dataclass(frozen=True)
class ShimError(Exception):
    """An error answer: the shim is healthy and says why it did not do the operation."""

    kind: ErrorKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


def dump(obj: JsonObject) -> bytes:
    """One protocol line: compact JSON, UTF-8, newline-terminated."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8") + b"\n"


def load(line: bytes) -> JsonObject:
    """The JSON object on one line; CodecError if it is not one."""
    try:
        obj = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CodecError(f"not a JSON line ({exc}): {line[:80]!r}") from None
    return expect(obj, dict, "line")


def request(rid: int, op: str, args: JsonObject) -> bytes:
    return dump({"id": rid, "op": op, "args": args})


def result_line(rid: Any, result: JsonObject) -> bytes:
    return dump({"id": rid, "ok": True, "result": result})


def error_line(rid: Any, kind: ErrorKind, message: str) -> bytes:
    return dump({"id": rid, "ok": False, "error": {"kind": kind.value, "message": message}})


def read_answer(line: bytes, rid: int) -> JsonObject:
    """The result of the answer to request `rid`.

    Raises ShimError for an error answer, CodecError for anything that is not
    a well-formed answer to this request (a protocol violation).
    """
    answer = load(line)
    got = answer.get("id")
    if got != rid or isinstance(got, bool):
        raise CodecError(f"answer to request {rid} carries id {got!r:.40}")
    if expect(answer.get("ok"), bool, "answer.ok"):
        return expect(answer.get("result"), dict, "answer.result")
    error = expect(answer.get("error"), dict, "answer.error")
    try:
        kind = ErrorKind(str(error.get("kind")))
    except ValueError:
        raise CodecError(f"answer.error.kind: unknown kind {error.get('kind')!r:.40}") from None
    raise ShimError(kind, expect(error.get("message", ""), str, "answer.error.message"))
