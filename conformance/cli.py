"""mikeyconf: run the MIKEY conformance suite and report on a run.

    mikeyconf run [options]     run the suite (pytest in-process), write the reports,
                                print the summary last, exit 0 / 1 / 2
    mikeyconf run --resume RUN_DIR
                                finish an interrupted run: only the tests its journal
                                lacks, with its options
    mikeyconf report RUN_DIR    re-render results.json and report.html from a run's journal

Exit status (docs/design.md "Requirement IDs and verdicts"): 0 when every
applicable test passed; 1 on a failure (SHOULD-level ones only with
--strict); 2 on a harness error, an interrupted run, no test run, or a bad
argument. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import NoReturn

import pytest

from conformance import expectations, listing, resume
from conformance.names import chooser
from conformance.plugin import PACKAGE_DIR
from conformance.report.baseline import load_baseline
from conformance.report.model import RunInfo, read_journal, utc_now
from conformance.report.rundir import (
    ALLURE,
    JOURNAL,
    JUNIT,
    PROBLEMS,
    RUN_JSON,
    create_run_dir,
    read_run_info,
    render_run,
    write_run_info,
)
from conformance.report.summary import format_summary
from conformance.requirements import MODES, ROLES
from conformance.requirements import load as load_catalog
from suts import load_sut
from suts.base import Profile, check_call_timeout

PROG = "mikeyconf"

COMMAND_MODULES: tuple[str, ...] = (
    "conformance.matrix",
    "conformance.serve",
    "conformance.fuzz.cli",
    "conformance.build_sut",
)
"""Modules adding a subcommand: each has `register(commands)`, which adds its parser
with `set_defaults(handler=...)`; the handler takes (options, argv) and returns the
exit status, raising CliError for a user error."""


class CliError(Exception):
    """A user error: reported as one line on stderr, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line and raises instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise CliError(message)


FFDH_WARNING = "ignore:Diffie-Hellman over finite fields:UserWarning"
"""pytest's filter for what mikey/crypto/dh.py silences (its docstring says why): pytest
restores the warning filters after each test, so a test that first imports dh.py loses
that module's own filter."""


def workers(value: str) -> str:
    """-n: a positive number of pytest-xdist workers, or "auto"."""
    if value == "auto" or (value.isdigit() and int(value) >= 1):
        return value
    raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', got {value!r}")


def call_timeout(value: str) -> float:
    """--call-timeout: a positive number of seconds."""
    try:
        return check_call_timeout(value, "the timeout")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def requirement_id(value: str) -> str:
    """--requirement: an ID of the catalogs."""
    if value not in load_catalog():
        raise argparse.ArgumentTypeError(f"no requirement {value!r} in the catalogs")
    return value


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="MIKEY (RFC 3830) conformance suite.")
    parser.add_argument("--version", action="version", version=f"{PROG} {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run the suite against a SUT and write a report",
        description="Run the conformance suite; the report goes to OUT/RUN_ID/.",
    )
    run.add_argument(
        "--sut", default="builtin", metavar="SPEC", help="builtin (default) or module:factory"
    )
    for option, names in (("--mode", MODES), ("--role", ROLES)):
        run.add_argument(
            option,
            action="append",
            default=[],
            type=chooser(names, option[2:]),
            metavar=option[2].upper(),
            help=f"only this {option[2:]} (repeatable, any case): {', '.join(names)}",
        )
    run.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="ID",
        help="only this test, e.g. 'rfc3830/test_x.py::test_y[z]' (as the report names it)",
    )
    run.add_argument(
        "--requirement",
        action="append",
        default=[],
        metavar="ID",
        type=requirement_id,
        help="only the tests citing this requirement, e.g. RFC3830-5.4-replay (repeatable)",
    )
    run.add_argument(
        "--list",
        action="store_true",
        help="print the selected tests (ID, mode, role, requirement IDs); run nothing",
    )
    run.add_argument("--strict", action="store_true", help="SHOULD-level failures count")
    run.add_argument(
        "-x",
        "--exitfirst",
        action="store_true",
        help="stop at the first test that makes the run fail (or errs); the rest do not run",
    )
    expect = run.add_mutually_exclusive_group()
    expect.add_argument(
        "--expectations",
        metavar="FILE",
        help="the SUT's known deviations (default: suts/expectations/<sut>.json if it exists)",
    )
    expect.add_argument("--no-expectations", action="store_true", help="use no expectations file")
    run.add_argument(
        "--baseline",
        metavar="RESULTS",
        help="an earlier run's results.json: only failures it did not have count",
    )
    run.add_argument("--show-secrets", action="store_true", help="keep key material in evidence")
    run.add_argument("--profile", metavar="FILE", help="SUT provisioning profile (JSON object)")
    run.add_argument(
        "--call-timeout",
        type=call_timeout,
        metavar="S",
        help="seconds the adapter waits for the SUT per call or exchange (over the "
        "profile's call_timeout, MIKEYCONF_SHIM_TIMEOUT and the adapter's default)",
    )
    run.add_argument("--out", default="reports", metavar="DIR", help="default: reports")
    run.add_argument("--run-id", metavar="ID", help="default: the UTC time, e.g. 20261128T103000Z")
    run.add_argument(
        "-n",
        "--workers",
        default="1",
        type=workers,
        metavar="N|auto",
        help="parallel pytest-xdist workers (default 1: in this process)",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="less pytest output")
    run.add_argument(
        "--resume",
        metavar="RUN_DIR",
        type=Path,
        help="finish an interrupted run: rerun only the tests its journal lacks, with its options",
    )
    report = commands.add_parser(
        "report",
        help="re-render a run's results.json and report.html",
        description="Re-render RUN_DIR's results.json and report.html from its journal.",
    )
    report.add_argument("run_dir", metavar="RUN_DIR", type=Path)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def version() -> str:
    """The installed distribution's version."""
    try:
        return metadata.version("mikey-conformance")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


def load_profile(path: str | None) -> Profile:
    """The --profile file, checked before the run starts."""
    if path is None:
        return Profile()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CliError(f"cannot read profile {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CliError(f"profile {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CliError(f"profile {path} must hold a JSON object")
    try:
        return Profile.from_json(data)
    except ValueError as exc:
        raise CliError(f"profile {path}: {exc}") from None


def check_sut(spec: str, profile: Profile) -> float | None:
    """Build and close the SUT once, so a bad --sut fails before the run; return the
    per-call timeout its adapter uses (None: it waits for nothing)."""
    try:
        sut = load_sut(spec, profile)
        try:
            return sut.call_timeout()
        finally:
            sut.close()
    except Exception as exc:  # a vendor factory may raise anything: report it, one line
        raise CliError(f"--sut {spec}: {exc}") from None


def test_args(test_ids: Sequence[str]) -> list[str]:
    """pytest arguments for --test IDs (relative to the conformance package).

    The whole suite is collected and the plugin keeps the named tests, so that
    an expectations entry is checked against every test, selected or not.
    """
    args = [str(PACKAGE_DIR)]
    for test_id in test_ids:
        path = test_id.partition("::")[0]
        file = (PACKAGE_DIR / path).resolve()
        if not file.is_relative_to(PACKAGE_DIR) or not file.is_file():
            raise CliError(f"--test {test_id}: no such test file in the suite: {path}")
        args += ["--mikey-test", test_id]
    return args


def expectations_file(options: argparse.Namespace) -> Path | None:
    """The expectations file of the run, checked before it starts (one-line errors)."""
    path = expectations.resolve(options.sut, options.expectations, options.no_expectations)
    if path is not None:
        try:
            expectations.load(path, load_catalog())
        except expectations.ExpectationsError as exc:
            raise CliError(str(exc)) from None
    return path


def pytest_args(options: argparse.Namespace, run_dir: Path, resuming: bool = False) -> list[str]:
    args = [
        *test_args(options.test),
        # The suite's own settings only: a user's pytest.ini or cache must not leak in.
        *("-c", os.devnull, "--rootdir", str(PACKAGE_DIR.parent)),
        *("-p", "no:cacheprovider", "-p", "no:benchmark"),
        # No conformance test is a Hypothesis test; its plugin costs a second a run.
        *("-p", "no:hypothesispytest"),
        # This process imported the suite's packages before pytest could mark them for
        # assertion rewriting; the test modules themselves are rewritten as usual.
        *("-W", "ignore:Module already imported so cannot be rewritten"),
        *("-W", FFDH_WARNING),
        *("--mikey-journal", str(run_dir / JOURNAL)),
        *("--mikey-problems", str(run_dir / PROBLEMS)),
        *("--junitxml", str(run_dir / JUNIT), "-o", "junit_suite_name=mikey-conformance"),
        *("--alluredir", str(run_dir / ALLURE)),
        *(("--mikey-resume",) if resuming else ("--clean-alluredir",)),
        *(("-q", "--tb=no") if options.quiet else ("--tb=short",)),
    ]
    args += selection_args(options)
    if options.strict:
        args.append("--mikey-strict")
    if options.exitfirst:
        args.append("--mikey-exitfirst")
    if options.show_secrets:
        args.append("--mikey-show-secrets")
    if options.profile is not None:
        args += ["--mikey-profile", str(Path(options.profile).resolve())]
    if options.call_timeout is not None:
        args += ["--mikey-call-timeout", repr(options.call_timeout)]
    if options.workers != "1":
        args += ["-n", options.workers]
    return args


def selection_args(options: argparse.Namespace) -> list[str]:
    """The plugin's options that choose the tests: SUT, expectations, modes, roles, IDs."""
    args = ["--sut", options.sut]
    for mode in options.mode:
        args += ["--mikey-mode", mode]
    for role in options.role:
        args += ["--mikey-role", role]
    for requirement in options.requirement:
        args += ["--mikey-requirement", requirement]
    path = expectations.resolve(options.sut, options.expectations, options.no_expectations)
    args += ["--mikey-no-expectations"] if path is None else ["--mikey-expectations", str(path)]
    return args


def prepare(options: argparse.Namespace) -> tuple[Path | None, Path | None, float | None]:
    """Check every input of a run before it starts; return its expectations, baseline and
    the SUT adapter's per-call timeout (--call-timeout over the profile's call_timeout)."""
    profile = load_profile(options.profile)
    if options.call_timeout is not None:
        profile = replace(profile, call_timeout=options.call_timeout)
    timeout = check_sut(options.sut, profile)
    expected = expectations_file(options)
    baseline = None if options.baseline is None else Path(options.baseline).resolve()
    if baseline is not None:
        load_baseline(baseline)
    return expected, baseline, timeout


def run(options: argparse.Namespace, argv: Sequence[str]) -> int:
    if options.resume is not None:
        return resume_run(options)
    if options.list:
        return list_tests(options)
    expected, baseline, timeout = prepare(options)
    out = Path(options.out)
    try:
        run_dir = create_run_dir(out, options.run_id)
    except OSError as exc:
        raise CliError(f"cannot create a run directory in {out}: {exc.strerror or exc}") from None
    info = RunInfo(
        run_id=run_dir.name,
        sut=options.sut,
        argv=[PROG, *argv],
        strict=options.strict,
        profile=options.profile,
        expectations=None if expected is None else str(expected),
        baseline=None if baseline is None else str(baseline),
        options=resume.stored_options(options, expected, baseline),
        call_timeout=timeout,
    )
    return execute(run_dir, info, pytest_args(options, run_dir))


def list_tests(options: argparse.Namespace) -> int:
    """`run --list`: collect what the options select and print one line per test."""
    print(listing.format_tests(collect(options)))
    return 0


def collect(options: argparse.Namespace) -> list[listing.Listed]:
    """The tests `run` would run with these options, collected, not run."""
    load_profile(options.profile)
    expectations_file(options)
    lister = listing.Lister()
    args = [
        *test_args(options.test),
        *("-c", os.devnull, "--rootdir", str(PACKAGE_DIR.parent), "--collect-only"),
        *("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:terminal"),
        *("-W", "ignore:Module already imported so cannot be rewritten"),
        *selection_args(options),
    ]
    status = pytest.main(args, plugins=[lister])
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise CliError(f"collecting the suite failed (pytest exit status {int(status)})")
    return lister.tests


def execute(run_dir: Path, info: RunInfo, args: list[str]) -> int:
    """Run pytest, keeping run.json current before and after; then report."""
    info.pytest_exit, info.finished = None, None
    write_run_info(run_dir, info)
    info.pytest_exit = int(pytest.main(args))
    nothing_left = info.pytest_exit == pytest.ExitCode.NO_TESTS_COLLECTED
    if info.resumed and nothing_left and read_journal(run_dir / JOURNAL).results:
        info.pytest_exit = int(pytest.ExitCode.OK)  # every test already had its result
    info.finished = utc_now()
    write_run_info(run_dir, info)
    return finish(run_dir, info)


def resume_run(options: argparse.Namespace) -> int:
    """`run --resume RUN_DIR`: the tests the journal lacks, with the run's own options."""
    run_dir: Path = options.resume
    if not (run_dir / RUN_JSON).is_file():
        raise CliError(f"--resume {run_dir}: not a run directory (no {RUN_JSON})")
    defaults = build_parser().parse_args(["run"])
    resume.check_alone(options, defaults)
    info = read_run_info(run_dir)
    stored = resume.resumed_options(info, options, defaults)
    info.call_timeout = prepare(stored)[2]
    if resume.trim_journal(run_dir / JOURNAL):
        print(f"{PROG}: {JOURNAL}: dropped a last line cut short; its test runs again")
    info.resumed.append(utc_now())
    return execute(run_dir, info, pytest_args(stored, run_dir, resuming=True))


def finish(run_dir: Path, info: RunInfo) -> int:
    """Render the reports of `run_dir`, print the summary (last), return the status."""
    rendered = render_run(run_dir, info, load_catalog())
    text = format_summary(
        rendered.summary,
        sut=info.sut,
        run_id=info.run_id,
        run_dir=run_dir,
        status=rendered.status,
        strict=info.strict,
        problems=rendered.problems,
        expectations=info.expectations,
        comparison=rendered.comparison,
        call_timeout=info.call_timeout,
    )
    sys.stdout.flush()
    print("\n" + text, flush=True)
    return rendered.status


def report(options: argparse.Namespace) -> int:
    run_dir: Path = options.run_dir
    if not (run_dir / RUN_JSON).is_file():
        raise CliError(f"{run_dir}: not a run directory (no {RUN_JSON})")
    return finish(run_dir, read_run_info(run_dir))


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: returns the exit status (0, 1 or 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        options = build_parser().parse_args(args)
        if options.command == "run":
            return run(options, args)
        if options.command == "report":
            return report(options)
        status: int = options.handler(options, args)
        return status
    except (CliError, OSError, ValueError) as exc:  # BaselineError, ResumeError too
        message = str(exc)
    except KeyboardInterrupt:
        message = "interrupted"
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    # `python -m conformance.cli`: run the importable module's main, so that the CliError
    # which subcommand modules import from conformance.cli is the one main() catches.
    from conformance.cli import main as canonical_main

    sys.exit(canonical_main())
