"""The shim's side of the protocol in Python: serve any suts.base.Sut on stdin and stdout.

`serve(factory)` answers requests until stdin ends. The `hello` request hands
over the profile; `factory(profile)` builds the SUT then. The SUT's own
SutFailure, and any other exception escaping it, become "failure" answers
(the shim survives a crash of what it wraps); NotImplementedError becomes
"unsupported"; a request that is not what PROTOCOL.md allows, "bad-request".
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import BinaryIO

from suts.base import Profile, Role, Sut, SutFailure
from suts.shim import codec
from suts.shim.codec import CodecError, JsonObject, expect
from suts.shim.protocol import (
    MAX_LINE,
    VERSION,
    ErrorKind,
    error_line,
    load,
    result_line,
)

SutFactory = Callable[[Profile], Sut]


class ShimServer:
    """Turns request objects into answer lines for one SUT."""

    def __init__(self, factory: SutFactory) -> None:
        self.factory = factory
        self.sut: Sut | None = None

    def answer(self, line: bytes) -> bytes:
        """The answer line to one request line."""
        rid: object = None
        try:
            req = load(line)
            rid = req.get("id")
            if not isinstance(rid, int) or isinstance(rid, bool):
                raise CodecError(f"request id: expected int, got {rid!r:.40}")
            op = expect(req.get("op"), str, "request op")
            args = expect(req.get("args", {}), dict, "request args")
            handler = getattr(self, f"op_{op}", None)
            if handler is None:
                raise CodecError(f"unknown operation {op!r:.40}")
            if op != "hello" and self.sut is None:
                raise CodecError(f"{op} before hello")
            return result_line(rid, handler(args))
        except CodecError as exc:
            return error_line(rid, ErrorKind.BAD_REQUEST, str(exc))
        except NotImplementedError as exc:
            return error_line(rid, ErrorKind.UNSUPPORTED, str(exc) or "not implemented")
        except SutFailure as exc:
            return error_line(rid, ErrorKind.FAILURE, str(exc))
        except Exception as exc:  # the wrapped SUT crashed: a finding, the shim lives on
            return error_line(rid, ErrorKind.FAILURE, f"{type(exc).__name__}: {exc}")

    def _sut(self) -> Sut:
        assert self.sut is not None
        return self.sut

    def op_hello(self, args: JsonObject) -> JsonObject:
        version = args.get("version")
        if version != VERSION:
            raise CodecError(f"this shim speaks {VERSION}, not {version!r:.40}")
        if self.sut is not None:
            self.sut.close()
        self.sut = self.factory(codec.profile_from_json(args.get("profile")))
        caps = codec.capabilities_to_json(self.sut.capabilities())
        return {"version": VERSION, "capabilities": caps}

    def op_initiate(self, args: JsonObject) -> JsonObject:
        message = self._sut().initiate(codec.params_from_json(args.get("params")))
        return {"message": codec.b64(message)}

    def op_complete(self, args: JsonObject) -> JsonObject:
        response = codec.opt_unb64(args.get("response"), "response")
        return codec.outcome_to_json(self._sut().complete(response))

    def op_respond(self, args: JsonObject) -> JsonObject:
        message = codec.unb64(args.get("message"), "message")
        params = codec.params_from_json(args.get("params"))
        return codec.reply_to_json(self._sut().respond(message, params))

    def op_decode(self, args: JsonObject) -> JsonObject:
        return codec.decoded_to_json(self._sut().decode(codec.unb64(args.get("data"), "data")))

    def op_encode(self, args: JsonObject) -> JsonObject:
        structure = expect(args.get("structure"), dict, "structure")
        return {"message": codec.b64(self._sut().encode(structure))}

    def op_srtp_keys(self, args: JsonObject) -> JsonObject:
        try:
            role = Role(str(args.get("role")))
        except ValueError:
            raise CodecError(f"role: not a role: {args.get('role')!r:.40}") from None
        cs_id = expect(args.get("cs_id"), int, "cs_id")
        return {"keys": codec.keys_to_json(self._sut().srtp_keys(role, cs_id))}

    def op_update(self, args: JsonObject) -> JsonObject:
        params = args.get("params")
        asked = None if params is None else codec.update_params_from_json(params)
        return {"message": codec.b64(self._sut().update(asked))}

    def op_reset(self, args: JsonObject) -> JsonObject:
        self._sut().reset()
        return {}


def serve(
    factory: SutFactory, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
) -> int:
    """Answer request lines from `stdin` on `stdout` until stdin ends; the exit status."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    server = ShimServer(factory)
    try:
        while line := source.readline(MAX_LINE + 2):
            if not line.endswith(b"\n") and len(line) > MAX_LINE:
                print(f"request longer than {MAX_LINE} bytes: giving up", file=sys.stderr)
                return 1
            sink.write(server.answer(line.rstrip(b"\r\n")))
            sink.flush()
    finally:
        if server.sut is not None:
            server.sut.close()
    return 0
