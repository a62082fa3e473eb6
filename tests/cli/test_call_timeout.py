"""The per-call timeout (PIXIT): `mikeyconf run --call-timeout S`, the profile's
`call_timeout`, their precedence, one-line errors, and where the run records it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.cli import build_parser
from conformance.report.model import RunInfo
from conformance.report.results_json import load_schema
from conformance.resume import resumed_options
from suts.base import Profile
from tests.cli.test_run_end_to_end import mikeyconf
from tests.shim.conftest import REFERENCE

SHIM = "shim:" + shlex.join(REFERENCE)
ONE_TEST = "rfc3830/test_psk_responder.py::test_valid_i_message_gets_a_verification_message"


def run(tmp_path: Path, *args: str) -> tuple[dict[str, Any], str]:
    """Run one test; return results.json and the output."""
    done = mikeyconf("run", "--out", str(tmp_path), "--run-id", "r", "-q", "--test", ONE_TEST,
                     *args)  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    results = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(load_schema()).validate(results)
    return results, output


def profile(tmp_path: Path, data: object) -> str:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", ""])
def test_a_bad_call_timeout_is_a_one_line_error(value: str) -> None:
    done = mikeyconf("run", f"--call-timeout={value}")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"mikeyconf: error: argument --call-timeout: the timeout must be a positive number "
        f"of seconds, got {value!r}"
    ]


@pytest.mark.parametrize("value", [0, -2.5, "5", True, None, [3]])
def test_a_bad_profile_call_timeout_is_a_one_line_error(tmp_path: Path, value: object) -> None:
    path = profile(tmp_path, {"call_timeout": value})
    done = mikeyconf("run", "--profile", path, "--out", str(tmp_path / "reports"))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"mikeyconf: error: profile {path}: bad profile value: call_timeout")
    assert not (tmp_path / "reports").exists()


def test_the_profile_takes_a_call_timeout() -> None:
    assert Profile.from_json({"call_timeout": 4}).call_timeout == 4.0
    assert Profile.from_json({}).call_timeout is None


def test_the_option_wins_over_the_profile_and_the_run_records_it(tmp_path: Path) -> None:
    path = profile(tmp_path, {"call_timeout": 6})
    results, output = run(tmp_path, "--sut", SHIM, "--profile", path, "--call-timeout", "4.5")
    assert results["run"]["call_timeout"] == 4.5
    assert "Per-call timeout: 4.5 s" in output.splitlines()
    run_json = json.loads((tmp_path / "r" / "run.json").read_text(encoding="utf-8"))
    assert run_json["call_timeout"] == 4.5 and run_json["options"]["call_timeout"] == 4.5
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "<tr><th>Per-call timeout</th><td>4.5 s</td></tr>" in html


def test_the_profile_wins_over_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIKEYCONF_SHIM_TIMEOUT", "7")
    results, _ = run(tmp_path, "--sut", SHIM, "--profile", profile(tmp_path, {"call_timeout": 6}))
    assert results["run"]["call_timeout"] == 6.0


def test_an_in_process_sut_waits_for_nothing(tmp_path: Path) -> None:
    results, output = run(tmp_path, "--call-timeout", "4")
    assert results["run"]["call_timeout"] is None
    assert not any(line.startswith("Per-call timeout") for line in output.splitlines())
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "<tr><th>Per-call timeout</th><td>none (the adapter sets no timeout)</td></tr>" in html


def test_results_without_a_call_timeout_still_validate(tmp_path: Path) -> None:
    results, _ = run(tmp_path)
    del results["run"]["call_timeout"]
    jsonschema.Draft202012Validator(load_schema()).validate(results)


def test_a_run_stored_before_the_option_resumes_without_it() -> None:
    parser = build_parser()
    info = RunInfo(run_id="r", sut="builtin", argv=[])
    options = vars(parser.parse_args(["run"]))
    info.options = {k: v for k, v in options.items() if k not in ("call_timeout", "resume")}
    info = RunInfo.from_json(json.loads(json.dumps(info.to_json())))
    again = resumed_options(info, parser.parse_args(["run"]), parser.parse_args(["run"]))
    assert again.call_timeout is None
