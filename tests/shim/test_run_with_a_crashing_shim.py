"""`mikeyconf run` against a shim that crashes on every decode: the run completes,
each crash is a failed case with the shim's stderr, the other tests still pass."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from tests.shim.conftest import PYTHON, ROOT

DECODER_TESTS = [
    "rfc3830/test_codec_decoder.py::test_valid_message_is_decoded[rfc4567-5.1-tc1]",
]
RESPONDER_TEST = (
    "rfc3830/test_psk_responder.py::test_valid_i_message_gets_a_verification_message[AES_CM_128]"
)


def test_a_crashing_shim_gives_failures_not_errors_and_exit_1(tmp_path: Path) -> None:
    shim = [PYTHON, "-m", "tests.shim.misbehaving.shim", "exit", "decode", "-"]
    argv = [PYTHON, "-m", "conformance.cli", "run", "-q", "--sut", "shim:" + shlex.join(shim)]
    argv += ["--out", str(tmp_path), "--run-id", "crash", "--test", RESPONDER_TEST]
    argv += ["--test", DECODER_TESTS[0], "--test", DECODER_TESTS[0].replace("tc1", "tc2")]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    results = json.loads((tmp_path / "crash" / "results.json").read_text(encoding="utf-8"))
    verdicts = {r["test_id"]: (r["verdict"], r["reason"]) for r in results["results"]}
    assert len(verdicts) == 3
    assert verdicts.pop(RESPONDER_TEST)[0] == "pass"
    for verdict, reason in verdicts.values():
        assert verdict == "fail"
        assert "shim decode() fault: the shim closed its stdout (exited with status 3)" in reason
        assert "misbehaving: exit" in reason
