"""`python -m tools.mutation`: mutate the SUT's copy of `mikey` with cosmic-ray, judge
each mutant with `mikeyconf run`, and write the kill rate per module (docs/mutation.md).

Run it again with the same --out to resume: finished mutants are kept. Exit status 0,
1 when a surviving mutant is not in the triage file, 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from conformance.fuzz.cli import budget, positive
from tools.mutation import report, sandbox, session
from tools.mutation.scope import modes_for

DEFAULT_MODULES = (
    "mikey/modes/psk_responder.py",
    "mikey/modes/psk_initiator.py",
    "mikey/modes/psk_common.py",
    "mikey/modes/csb.py",
    "mikey/modes/replay.py",
    "mikey/modes/error_message.py",
)
TRIAGE = sandbox.ROOT / "tests" / "mutation" / "equivalent.json"
MIN_TIMEOUT = 60.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__)
    parser.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="PATH",
        help="a module of mikey to mutate (repeatable; default: "
        + ", ".join(Path(m).name for m in DEFAULT_MODULES)
        + ")",
    )
    parser.add_argument(
        "--budget",
        type=budget,
        default=budget("1h"),
        metavar="DURATION",
        help="no mutant starts after it (90s, 10m, 2h; default 1h), shared "
        "evenly by the modules, a module's unused share going to the next",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports/mutation"),
        metavar="DIR",
        help="sessions, copy and report (default reports/mutation)",
    )
    parser.add_argument(
        "--operators",
        metavar="REGEX",
        help="only cosmic-ray operators matching it (new sessions only)",
    )
    parser.add_argument(
        "--limit",
        type=positive,
        metavar="N",
        help="at most N mutants per module, at random (new sessions only)",
    )
    parser.add_argument(
        "--triage",
        type=Path,
        default=TRIAGE,
        metavar="FILE",
        help="survivors already triaged (default tests/mutation/equivalent.json)",
    )
    parser.add_argument(
        "--retest-survivors",
        action="store_true",
        help="judge again the survivors of the sessions in --out that the triage file does "
        "not list as equivalent or local-policy (after tests were added)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="test nothing: write the report of the sessions in --out",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        return run(options)
    except (sandbox.SandboxError, ValueError, OSError) as exc:
        print(f"mutation: error: {exc}", file=sys.stderr)
        return 2


def run(options: argparse.Namespace) -> int:
    out: Path = options.out.resolve()
    modules = [_relative(m) for m in options.module or DEFAULT_MODULES]
    modes = {m: modes_for(sandbox.ROOT, sandbox.ROOT / m) for m in modules}
    triage = report.load_triage(options.triage)
    timing_path = out / "timing.json"
    timing = json.loads(timing_path.read_text()) if timing_path.exists() else {}
    if not options.report_only:
        copy = out / "copy"
        sandbox.make_copy(copy)
        print(f"mutation: the SUT imports {sandbox.check_copy(copy)}", flush=True)
        deadline = time.monotonic() + options.budget
        for index, module in enumerate(modules):
            judge = sandbox.Judge(copy, tuple(modes[module]), out / "runs", Path(module).stem)
            base = judge.baseline(timeout=600)
            timeout = max(MIN_TIMEOUT, 5 * base)
            one = session.Session.at(out / "sessions", module)
            session.create(
                one, copy / module, judge.command(), timeout, options.operators, options.limit
            )
            if options.retest_survivors:
                again = session.forget_survivors(one, report.triaged(module, triage))
                print(f"mutation: {module}: {again} survivors to retest")
            share = (deadline - time.monotonic()) / (len(modules) - index)
            started = time.monotonic()
            tested = session.work(one, copy / module, judge.command(), timeout, started + share)
            spent = time.monotonic() - started
            entry = timing.setdefault(module, {"seconds": 0.0, "baseline_s": None})
            entry["seconds"] += spent
            entry["baseline_s"] = round(base, 2)
            timing_path.write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
            print(
                f"mutation: {module}: {tested} mutants in {spent / 60:.1f} min "
                f"({', '.join(modes[module])}; baseline {base:.1f} s)",
                flush=True,
            )
    return write_report(out, modules, modes, timing, triage)


def write_report(out: Path, modules: list[str], modes: dict, timing: dict, triage: dict) -> int:
    rows = []
    for module in modules:
        one = session.Session.at(out / "sessions", module)
        if one.sqlite.exists():
            seconds = timing.get(module, {}).get("seconds", 0.0)
            rows.append(report.module_report(one, modes[module], seconds, triage))
    data = {
        "schema": report.REPORT_SCHEMA,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "modules": rows,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "mutation.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    table = report.format_table(rows)
    (out / "mutation.txt").write_text(table + "\n", encoding="utf-8")
    print(table)
    print(f"\nReport: {out / 'mutation.json'} (survivors and their triage), {out / 'mutation.txt'}")
    untriaged = sum(row["untriaged"] for row in rows)
    if untriaged:
        print(
            f"mutation: {untriaged} surviving mutant(s) untriaged (see the triage file)",
            file=sys.stderr,
        )
    return 1 if untriaged else 0


def _relative(module: str) -> str:
    path = (Path.cwd() / module).resolve()
    if not path.is_file() or not path.is_relative_to(sandbox.ROOT / "mikey"):
        raise ValueError(f"--module {module}: not a file of the mikey package")
    return path.relative_to(sandbox.ROOT).as_posix()


if __name__ == "__main__":
    sys.exit(main())
