"""The process GStreamer runs in: one JSON request per line on stdin, one answer per line on stdout.

Run as `python -m suts.gstreamer.worker CPU_BUDGET` by suts.gstreamer.process,
never by hand. GStreamer's parser loops forever on some messages (gstmikey.c
payloads_from_bytes leaves the Next payload unchanged for ID, CERT, CHASH, V,
DH, SIGN, ERR, General Extension and unknown types), so it runs apart from the
suite, and each call runs in a child forked from this already initialised
process (suts.gstreamer.isolate): a call that burns more than CPU_BUDGET
seconds of CPU time is killed and answered {"hang": ...}, one that crashes is
answered {"crash": ...}, and the next call finds a clean process again.

Requests (bytes as hex):
    {"op": "hello"}                          -> {"version": "GStreamer 1.22.0"}
    {"op": "decode", "data": hex}            -> {"structure": {...} | null}
    {"op": "encode", "structure": {...}}     -> {"data": hex} | {"inexpressible": why}
    {"op": "from_caps", "caps": str}         -> {"data": hex | null}
    {"op": "to_caps", "data": hex}           -> {"caps": str | null}
A failure of the worker itself answers {"error": "..."}.
"hello" runs in this process; every other op in a forked child.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

from suts.gstreamer.binding import Gst, GstUnavailable, load
from suts.gstreamer.build import Inexpressible, to_bytes
from suts.gstreamer.isolate import isolated
from suts.gstreamer.read import message_dict

CAPS_MEDIA_TYPE = b"application/x-srtp"


def decode(gst: Gst, data: bytes) -> dict[str, Any]:
    with gst.parsed(data) as msg:
        return {"structure": None if msg is None else message_dict(gst, msg)}


def encode(gst: Gst, structure: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"data": to_bytes(gst, structure).hex()}
    except Inexpressible as exc:
        return {"inexpressible": str(exc)}


def from_caps(gst: Gst, caps_text: str) -> dict[str, Any]:
    """gst_mikey_message_new_from_caps, written with gst_mikey_message_to_bytes."""
    caps = gst.core.gst_caps_from_string(caps_text.encode())
    if not caps:
        return {"error": f"gst_caps_from_string refused {caps_text!r}"}
    try:
        msg = gst.sdp.gst_mikey_message_new_from_caps(caps)
        if not msg:
            return {"data": None}
        try:
            return {
                "data": gst.take_bytes(gst.sdp.gst_mikey_message_to_bytes(msg, None, None)).hex()
            }
        finally:
            gst.unref(msg)
    finally:
        gst.unref(caps)


def to_caps(gst: Gst, data: bytes) -> dict[str, Any]:
    """The SRTP caps gst_mikey_message_to_caps derives from a message GStreamer parses."""
    with gst.parsed(data) as msg:
        if msg is None:
            return {"caps": None}
        caps = gst.core.gst_caps_new_empty_simple(CAPS_MEDIA_TYPE)
        try:
            if not gst.sdp.gst_mikey_message_to_caps(msg, caps):
                return {"caps": None}
            return {"caps": gst.take_string(gst.core.gst_caps_to_string(caps))}
        finally:
            gst.unref(caps)


def answer(gst: Gst, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "hello":
        return {"version": gst.take_string(gst.core.gst_version_string())}
    if op == "decode":
        return decode(gst, bytes.fromhex(request["data"]))
    if op == "encode":
        return encode(gst, request["structure"])
    if op == "from_caps":
        return from_caps(gst, request["caps"])
    if op == "to_caps":
        return to_caps(gst, bytes.fromhex(request["data"]))
    return {"error": f"unknown op {op!r}"}


def safe_answer(gst: Gst, request: dict[str, Any]) -> dict[str, Any]:
    try:
        return answer(gst, request)
    except (ValueError, KeyError, TypeError) as exc:
        return {"error": f"bad request: {type(exc).__name__}: {exc}"}


def main(argv: list[str]) -> int:
    cpu_budget = float(argv[0]) if argv else 0.05
    try:
        gst = load()
    except GstUnavailable as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError as exc:
            reply = {"error": f"bad request: {exc}"}
        else:
            if request.get("op") == "hello":
                reply = safe_answer(gst, request)
            else:
                reply = isolated(functools.partial(safe_answer, gst, request), cpu_budget)
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
