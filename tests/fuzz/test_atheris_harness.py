"""The atheris harness: its property holds on the fuzz cases, fails on a decoder that raises
something else, and (when atheris is installed) libFuzzer runs it from the seed corpus."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conformance.fuzz import atheris_decoder
from conformance.fuzz.cases import DecoderCase, decoder_cases
from tests.fuzz.campaigns import ROOT


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(decoder_cases())
def test_the_property_holds_on_fuzz_cases(case: DecoderCase) -> None:
    atheris_decoder.check_decoders(case.data)


def test_the_property_fails_on_a_decoder_that_raises_anything_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(data: bytes) -> object:
        raise IndexError("read past the end")

    monkeypatch.setattr(atheris_decoder, "decode_message", broken)
    with pytest.raises(IndexError):
        atheris_decoder.check_decoders(b"\x01\x00\x00")


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_libfuzzer_runs_the_harness_from_the_seeds(tmp_path: Path) -> None:
    harness = [sys.executable, "-m", "conformance.fuzz.atheris_decoder"]
    seeds = subprocess.run([*harness, "--seeds", str(tmp_path)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)  # fmt: skip
    assert seeds.returncode == 0 and len(list(tmp_path.glob("*.bin"))) > 50
    run = subprocess.run([*harness, "-runs=3000", "-seed=1", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Done 3000 runs" in run.stderr
