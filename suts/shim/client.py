"""ShimSut: the suite's side of the shim protocol, a suts.base.Sut driving a subprocess.

Each call is one request line and one answer line (PROTOCOL.md) within the
call's timeout. A shim that breaks the protocol (exits, hangs, closes stdout,
floods, writes garbage, answers another id or a result of the wrong shape)
is killed, the call raises SutFailure with the fault and the tail of the
shim's stderr, and the next call starts a fresh shim (handshake and profile
again). An error answer (the shim reports a failure, or an operation it does
not support) raises SutFailure too, but the shim keeps running.

reset() on a dead shim does nothing: the next call starts a fresh, hence reset,
shim. A fault during reset() is raised by the next call instead, so that it
becomes the failure of the test that follows (not an error of its set-up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mikey.srtp import SrtpKeys
from suts.base import (
    DEFAULT_CALL_TIMEOUT,
    Capabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Reply,
    Role,
    Sut,
    SutFailure,
    UpdateParams,
)
from suts.shim import codec
from suts.shim.codec import CodecError, JsonObject
from suts.shim.process import ShimFault, ShimProcess
from suts.shim.protocol import MAX_LINE, VERSION, ShimError, read_answer, request

T = TypeVar("T")

DEFAULT_TIMEOUT = DEFAULT_CALL_TIMEOUT
"""Seconds a call may take, unless `timeout` says otherwise (suts.shim.from_spec: the run's
--call-timeout, the profile's call_timeout, MIKEYCONF_SHIM_TIMEOUT)."""

START_TIMEOUT = 10.0
"""Seconds a starting shim has for its handshake (at least; `timeout` if longer): the
program starts, loads its stack and takes the profile, which a loaded machine makes
slow, and which no test pays for more than once unless the shim dies."""

STDERR_EVIDENCE = 2000
"""Bytes of the shim's stderr quoted in a failure's message."""


@dataclass
class ShimSut(Sut):
    """A SUT behind a shim: a program speaking mikey-shim/1 on its stdin and stdout."""

    command: Sequence[str] = ()
    timeout: float = DEFAULT_TIMEOUT
    start_timeout: float = START_TIMEOUT
    max_line: int = MAX_LINE
    _process: ShimProcess | None = field(default=None, init=False, repr=False)
    _caps: Capabilities | None = field(default=None, init=False, repr=False)
    _next_id: int = field(default=0, init=False, repr=False)
    _deferred: str | None = field(default=None, init=False, repr=False)
    restarts: int = field(default=0, init=False)
    """How many times a shim was started after the first (each after a fault)."""

    def capabilities(self) -> Capabilities:
        """What the shim said in its first handshake (asked once, kept for the run)."""
        if self._caps is None:
            self._running()
        assert self._caps is not None
        return self._caps

    def initiate(self, params: ExchangeParams) -> bytes:
        args = {"params": codec.params_to_json(params)}
        return self._call("initiate", args, lambda r: codec.unb64(r.get("message"), "message"))

    def complete(self, response: bytes | None) -> Outcome:
        args = {"response": codec.opt_b64(response)}
        return self._call("complete", args, codec.outcome_from_json)

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        args = {"message": codec.b64(message), "params": codec.params_to_json(params)}
        return self._call("respond", args, codec.reply_from_json)

    def decode(self, data: bytes) -> DecodeResult:
        return self._call("decode", {"data": codec.b64(data)}, codec.decoded_from_json)

    def encode(self, structure: dict[str, Any]) -> bytes:
        args = {"structure": structure}
        return self._call("encode", args, lambda r: codec.unb64(r.get("message"), "message"))

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        args = {"role": role.value, "cs_id": cs_id}
        return self._call("srtp_keys", args, lambda r: codec.keys_from_json(r.get("keys")))

    def update(self, params: UpdateParams | None = None) -> bytes:
        args = {} if params is None else {"params": codec.update_params_to_json(params)}
        return self._call("update", args, lambda r: codec.unb64(r.get("message"), "message"))

    def reset(self) -> None:
        if self._process is None or self._deferred is not None:
            return
        try:
            self._call("reset", {}, lambda r: None)
        except SutFailure as exc:
            self._deferred = str(exc)

    def call_timeout(self) -> float:
        return self.timeout

    def close(self) -> None:
        """End the shim: EOF on its stdin, a moment to exit, then kill."""
        if self._process is not None:
            self._process.close(grace=0.5)
            self._process = None

    def _call(self, op: str, args: JsonObject, read: Callable[[JsonObject], T]) -> T:
        if self._deferred is not None:
            deferred, self._deferred = self._deferred, None
            raise SutFailure(f"the shim failed reset() before this test: {deferred}")
        process = self._running()
        try:
            return read(self._exchange(process, op, args))
        except CodecError as exc:
            raise self._fault(process, op, f"bad answer: {exc}") from None
        except ShimError as exc:
            raise SutFailure(self._evidence(process, f"shim {op}() answered {exc}")) from None
        except ShimFault as exc:
            raise self._fault(process, op, str(exc)) from None

    def _exchange(self, process: ShimProcess, op: str, args: JsonObject) -> JsonObject:
        self._next_id += 1
        timeout = max(self.timeout, self.start_timeout) if op == "hello" else self.timeout
        line = process.exchange(request(self._next_id, op, args), timeout)
        return read_answer(line, self._next_id)

    def _running(self) -> ShimProcess:
        """The live shim, started (handshake, profile) if there is none."""
        if self._process is not None:
            return self._process
        if not self.command:
            raise SutFailure("no shim command line given")
        try:
            process = ShimProcess(self.command, self.max_line)
        except ShimFault as exc:
            raise SutFailure(f"shim {' '.join(self.command)!r}: {exc}") from None
        if self._caps is not None:
            self.restarts += 1
        try:
            result = self._exchange(process, "hello", self._hello())
            version = codec.expect(result.get("version"), str, "hello.version")
            if version != VERSION:
                raise CodecError(f"the shim speaks {version!r:.40}, not {VERSION}")
            caps = codec.capabilities_from_json(result.get("capabilities"))
            if self._caps is not None and caps != self._caps:
                raise CodecError("its capabilities changed after a restart")
        except (CodecError, ShimError, ShimFault) as exc:
            raise self._fault(process, "hello", f"handshake failed: {exc}") from None
        self._caps, self._process = caps, process
        return process

    def _hello(self) -> JsonObject:
        return {"version": VERSION, "profile": codec.profile_to_json(self.profile)}

    def _fault(self, process: ShimProcess, op: str, what: str) -> SutFailure:
        """Kill the shim after a protocol fault; the failure to raise, with evidence."""
        process.close()
        if process is self._process:
            self._process = None
        return SutFailure(self._evidence(process, f"shim {op}() fault: {what}; shim killed"))

    @staticmethod
    def _evidence(process: ShimProcess, message: str) -> str:
        tail = process.stderr_tail(STDERR_EVIDENCE).rstrip() or "(nothing)"
        return f"{message}\n[shim stderr, its end]\n{tail}"
