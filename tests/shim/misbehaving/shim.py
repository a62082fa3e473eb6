"""A shim that misbehaves on purpose: `python -m tests.shim.misbehaving.shim MODE OP FLAG_FILE`.

It serves the built-in reference like suts.shim.reference, except that the
first time it receives operation OP it does MODE instead of answering, and
creates FLAG_FILE; a shim started while FLAG_FILE exists behaves (so the
restarted shim works). FLAG_FILE "-" means: misbehave every time.
Every misbehaviour first says so on stderr (the evidence the tests look for).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from suts.builtin import BuiltinSut
from suts.shim.protocol import ErrorKind, error_line, load, result_line
from suts.shim.server import ShimServer


def misbehave(mode: str, rid: object, out: int) -> bytes | None:
    """Do MODE; the line to answer with instead, if any."""
    print(f"misbehaving: {mode}", file=sys.stderr, flush=True)
    if mode == "exit":
        os._exit(3)
    if mode == "hang":
        time.sleep(3600)
    if mode == "close-stdout":
        os.close(out)
        time.sleep(3600)
    if mode == "flood":
        while True:
            os.write(out, b"A" * 65536)
    if mode == "stderr-flood":
        sys.stderr.write("noise " * 50000 + "\nlast words\n")
        sys.stderr.flush()
        return None
    answers = {
        "garbage": b"this is not JSON\n",
        "wrong-id": result_line(rid + 1 if isinstance(rid, int) else 99, {}),
        "wrong-type": result_line(rid, {"accepted": "yes", "structure": []}),
        "not-an-object": b"[1, 2, 3]\n",
        "bad-version": result_line(rid, {"version": "mikey-shim/0", "capabilities": {}}),
        "failure": error_line(rid, ErrorKind.FAILURE, "simulated SUT failure"),
        "unsupported": error_line(rid, ErrorKind.UNSUPPORTED, "not in this shim"),
        "two-lines": result_line(rid, {"accepted": False, "structure": None}) * 2,
    }
    return answers[mode]


def main() -> int:
    mode, trigger, flag = sys.argv[1:4]
    server = ShimServer(lambda profile: BuiltinSut(profile=profile))
    out = sys.stdout.fileno()
    armed = flag == "-" or not Path(flag).exists()
    for line in sys.stdin.buffer:
        request = load(line)
        if armed and request.get("op") == trigger:
            if flag != "-":
                Path(flag).touch()
                armed = False
            answer = misbehave(mode, request.get("id"), out)
            if answer is not None:
                os.write(out, answer)
                continue
        os.write(out, server.answer(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
