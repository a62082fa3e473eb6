"""mikeyconf: one-line errors (exit 2, no traceback), the pytest command line, `report`."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from conformance.cli import build_parser, main, pytest_args
from conformance.plugin import PACKAGE_DIR
from conformance.report.model import RunInfo
from conformance.report.rundir import HTML, JOURNAL, RESULTS, write_run_info
from tests.report.journals import mixed, record, write_journal

TEST_FILE = next(PACKAGE_DIR.glob("rfc*/test_*.py"), None)


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run mikeyconf in-process; it must fail with status 2 and exactly one stderr line."""
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("mikeyconf: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([], "required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["run", "--mode", "PKS"], "argument --mode: unknown mode 'PKS': one of PSK, PK,"),
        (["run", "--role", "kms"], "argument --role: unknown role 'kms': one of initiator,"),
        (["run", "--requirement", "RFC3830-9.9-nothing"], "no requirement 'RFC3830-9.9-nothing'"),
        (["matrix", "--sut", "builtin", "--mode", "PKS"], "argument --mode: unknown mode 'PKS'"),
        (["fuzz", "--role", "kms"], "argument --role: unknown role 'kms': one of decoder,"),
        (["fuzz", "--budget", "soon"], "bad budget 'soon'"),
        (["serve", "--port", "x"], "argument --port"),
        (["run", "-n", "0"], "expected a positive number or 'auto', got '0'"),
        (["run", "--workers", "many"], "got 'many'"),
        (["run", "--bogus"], "unrecognized arguments: --bogus"),
        (["run", "--sut"], "expected one argument"),
        (["report"], "required: RUN_DIR"),
    ],
)
def test_bad_arguments(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    assert says in one_line_error(capsys, argv)


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_bad_profiles(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "reports")]
    cases = {
        str(tmp_path / "absent.json"): "cannot read profile",
        str(tmp_path): "cannot read profile",  # a directory
        write(tmp_path / "junk.json", "{psk: 1"): "is not valid JSON",
        write(tmp_path / "list.json", "[1, 2]"): "must hold a JSON object",
        write(tmp_path / "key.json", '{"pks": "00"}'): "unknown profile key(s): pks",
        write(tmp_path / "hex.json", '{"psk": "zz"}'): "bad profile value",
    }
    for path, says in cases.items():
        assert says in one_line_error(capsys, ["run", "--profile", path, *out])
    assert not (tmp_path / "reports").exists()  # nothing ran


def test_bad_sut(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = ["--out", str(tmp_path)]
    assert "unknown SUT 'nosuch'" in one_line_error(capsys, ["run", "--sut", "nosuch", *out])
    line = one_line_error(capsys, ["run", "--sut", "no_such_module_x:make", *out])
    assert "cannot import SUT module" in line


def test_unwritable_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = Path(write(tmp_path / "a-file", ""))
    line = one_line_error(capsys, ["run", "--out", str(blocker / "reports")])
    assert "cannot create a run directory" in line


def test_bad_run_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = one_line_error(capsys, ["run", "--out", str(tmp_path), "--run-id", "../up"])
    assert "bad run ID '../up'" in line


def test_unknown_test_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for test_id in ("rfc3830/test_nothing.py::test_x", "../tests/cli/test_cli.py"):
        line = one_line_error(capsys, ["run", "--out", str(tmp_path), "--test", test_id])
        assert "no such test file in the suite" in line


def test_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "run" in out and "report" in out


def test_pytest_gets_the_plugin_options(tmp_path: Path) -> None:
    profile = write(tmp_path / "p.json", "{}")
    options = build_parser().parse_args(
        ["run", "--sut", "m:f", "--mode", "PSK", "--mode", "codec", "--role", "responder",
         "--strict", "--show-secrets", "--profile", profile, "-n", "auto"]
    )  # fmt: skip
    args = pytest_args(options, tmp_path)
    assert args[0] == str(PACKAGE_DIR)
    pairs = list(pairwise(args))
    for pair in [
        ("--sut", "m:f"),
        ("--mikey-mode", "PSK"),
        ("--mikey-mode", "codec"),
        ("--mikey-role", "responder"),
        ("--mikey-profile", str(Path(profile).resolve())),
        ("--mikey-journal", str(tmp_path / JOURNAL)),
        ("--junitxml", str(tmp_path / "junit.xml")),
        ("--alluredir", str(tmp_path / "allure-results")),
        ("-n", "auto"),
    ]:
        assert pair in pairs
    assert "--mikey-strict" in args and "--mikey-show-secrets" in args


@pytest.mark.skipif(TEST_FILE is None, reason="the suite has no test module yet")
def test_test_ids_are_relative_to_the_conformance_package(tmp_path: Path) -> None:
    assert TEST_FILE is not None
    test_id = TEST_FILE.relative_to(PACKAGE_DIR).as_posix() + "::test_x[aes-cm]"
    options = build_parser().parse_args(["run", "--test", test_id])
    args = pytest_args(options, tmp_path)
    assert args[0] == str(PACKAGE_DIR)  # the whole suite is collected; the plugin selects
    assert ("--mikey-test", test_id) in list(pairwise(args))


def run_dir_with(tmp_path: Path, records: list[dict[str, object]], pytest_exit: int) -> Path:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    info = RunInfo(run_id="run", sut="builtin", argv=["mikeyconf", "run"], pytest_exit=pytest_exit)
    write_run_info(run_dir, info)
    write_journal(run_dir / JOURNAL, records)
    return run_dir


def test_report_rerenders_a_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run_dir = run_dir_with(tmp_path, [record("a"), record("b", "fail")], pytest_exit=1)
    assert main(["report", str(run_dir)]) == 1
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == "Exit status 1: a conformance test failed."
    assert "mikeyconf run --sut builtin --test 'rfc3830/test_psk_responder.py::b'" in out
    assert json.loads((run_dir / RESULTS).read_text())["summary"]["by_verdict"]["fail"] == 1
    assert (run_dir / HTML).is_file()


@pytest.mark.parametrize(
    ("records", "pytest_exit", "status"),
    [([record("a")], 0, 0), (mixed(), 1, 2), ([record("a")], 2, 2), ([], 5, 2)],
)
def test_report_exit_status_is_the_runs(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    records: list[dict[str, object]],
    pytest_exit: int,
    status: int,
) -> None:
    assert main(["report", str(run_dir_with(tmp_path, records, pytest_exit))]) == status
    assert capsys.readouterr().out.rstrip().splitlines()[-1].startswith(f"Exit status {status}:")


def test_report_of_no_run_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "not a run directory (no run.json)" in one_line_error(capsys, ["report", str(tmp_path)])
    write(tmp_path / "run.json", "{")
    assert "run.json" in one_line_error(capsys, ["report", str(tmp_path)])


def test_pytest_gets_the_expectations_file(tmp_path: Path) -> None:
    def args(*argv: str) -> list[tuple[str, str]]:
        return list(pairwise(pytest_args(build_parser().parse_args(["run", *argv]), tmp_path)))

    given = str((tmp_path / "x.json").resolve())
    assert ("--mikey-expectations", given) in args("--expectations", str(tmp_path / "x.json"))
    assert ("--mikey-no-expectations", "--mikey-problems") not in args()
    assert args("--no-expectations")[-1][1] == "--mikey-no-expectations"
    assert args("--sut", "m:f")[-1][1] == "--mikey-no-expectations"  # no default file for m:f


def test_expectations_options_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    line = one_line_error(capsys, ["run", "--expectations", "x.json", "--no-expectations"])
    assert "not allowed with argument" in line
