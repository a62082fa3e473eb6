"""The C shim (suts/shim/c) over GStreamer's libgstsdp: the protocol is language-neutral.

Built here with the system compiler against the runtime libraries (no headers);
skipped only when there is no compiler or no libgstsdp. Its verdicts are
GStreamer's: what it rejects, accepts, or where its parser never returns.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shim.conftest import PYTHON, ROOT

SOURCE = ROOT / "suts" / "shim" / "c" / "mikey_gst_shim.c"
LIBRARIES = ("libgstsdp-1.0.so.0", "libgstreamer-1.0.so.0", "libglib-2.0.so.0")
DECODER = "rfc3830/test_codec_decoder.py::"
MALFORMED = f"{DECODER}test_malformed_message_is_rejected"
KEMAC = "kemac-aes-cm-128-mac-hmac-sha-1-160"
EXPECTED = {
    # GStreamer 1.22 findings, each a real verdict of the suite:
    f"{MALFORMED}[empty-input@{KEMAC}]": (
        "pass",
        "",
    ),
    f"{MALFORMED}[prf-func-1@{KEMAC}]": (
        "fail",
        "the SUT accepts an invalid message: RFC 3830 6.1 Table 6.1.c",
    ),
    f"{DECODER}test_valid_message_is_decoded[hdr-empty-map-rfc4563]": (
        "fail",
        "the SUT rejects the valid message hdr-empty-map-rfc4563",
    ),
    f"{DECODER}test_valid_message_is_decoded[rfc4567-5.1-tc1]": (
        "fail",
        "shim decode() fault: no answer within 2 s (the shim hangs)",
    ),
    f"{DECODER}test_valid_message_is_decoded[t-ntp]": ("fail", "but reports no structure"),
}


def library_dir(compiler: str) -> Path | None:
    """The directory holding every library the shim links, if there is one."""
    triplet = subprocess.run(
        [compiler, "-print-multiarch"], capture_output=True, text=True, check=False
    ).stdout.strip()
    for directory in (Path("/usr/lib") / triplet, Path("/usr/lib64"), Path("/usr/lib")):
        if all((directory / name).exists() for name in LIBRARIES):
            return directory
    return None


@pytest.fixture(scope="module")
def c_shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler (cc) to build the C shim")
    libs = library_dir(compiler)
    if libs is None:
        pytest.skip("GStreamer's libgstsdp-1.0 is not installed (libgstreamer-plugins-base1.0-0)")
    binary = tmp_path_factory.mktemp("c-shim") / "mikey_gst_shim"
    argv = [compiler, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(binary)]
    argv += [str(SOURCE), f"-L{libs}", *(f"-l:{name}" for name in LIBRARIES)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return binary


def test_the_c_shim_gives_gstreamers_verdicts(c_shim: Path, tmp_path: Path) -> None:
    argv = [PYTHON, "-m", "conformance.cli", "run", "-q", "--sut", f"shim:{c_shim}"]
    argv += ["--out", str(tmp_path), "--run-id", "c"]
    for test_id in EXPECTED:
        argv += ["--test", test_id]
    env = {**os.environ, "MIKEYCONF_SHIM_TIMEOUT": "2"}
    done = subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    results = json.loads((tmp_path / "c" / "results.json").read_text(encoding="utf-8"))
    got = {r["test_id"]: (r["verdict"], r["reason"]) for r in results["results"]}
    assert set(got) == set(EXPECTED)
    for test_id, (verdict, reason) in EXPECTED.items():
        assert got[test_id][0] == verdict and reason in got[test_id][1], (test_id, got[test_id])


def test_the_c_shim_answers_the_protocol(c_shim: Path) -> None:
    from suts.base import Profile, Role, SutFailure
    from suts.shim import ShimSut

    sut = ShimSut(profile=Profile(), command=[str(c_shim)], timeout=5)
    try:
        caps = sut.capabilities()
        assert caps.roles == {Role.DECODER} and caps.name.startswith("GStreamer 1.")
        assert not sut.decode(b"\x01\x00").accepted
        sut.reset()
        with pytest.raises(SutFailure, match="answered unsupported"):
            sut.encode({"hdr": {}, "payloads": []})
        assert sut.restarts == 0
    finally:
        sut.close()
