"""`mikeyconf fuzz` and `mikeyconf replay`.

    mikeyconf fuzz --sut X --budget 10m [--workers N | --tx SPEC ...] [--seed S]
                   [--role decoder|responder] [--db DIR|redis://HOST:PORT] [--out DIR]
    mikeyconf replay FINDING.json [--sut X]

fuzz: exit 0 when the campaign found nothing, 1 when it filed findings, 2 on
a bad argument or a harness error. --tx SPEC (repeatable) runs the workers
through pytest-xdist's execnet gateways instead of -n N local processes
(`--tx ssh=user@host//python=python3`, `--tx 2*popen`): each host needs the
package installed and the SUT reachable from there; findings and progress come
back over the gateway to OUT/RUN_ID/ here. replay: exit 1 when the finding still
reproduces, 0 when it does not, 2 on an error. The campaign's modules (and
Hypothesis, the `fuzz` extra) load only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import CliError, load_profile
from conformance.fuzz.roles import ROLES
from conformance.names import chooser
from conformance.report.rundir import create_run_dir
from suts import load_sut
from suts.base import Profile

UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}


def budget(value: str) -> float:
    """--budget: seconds, or a number with s, m or h (90s, 10m, 2h)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smh]?)", value.strip())
    if match is None or float(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"bad budget {value!r}: use e.g. 90s, 10m or 2h")
    return float(match[1]) * UNITS[match[2]]


def seed_value(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"bad seed {value!r}: a non-negative integer")
    return int(value)


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"bad value {value!r}: a positive integer")
    return int(value)


def register(commands: Any) -> None:
    fuzz = commands.add_parser(
        "fuzz",
        help="run a fuzz campaign against a SUT",
        description="Fuzz a SUT's decoder or responder; findings go to OUT/RUN_ID/findings/.",
    )
    fuzz.add_argument("--sut", default="builtin", metavar="SPEC", help="as for `run`")
    fuzz.add_argument("--budget", type=budget, default=60.0, help="e.g. 90s, 10m, 2h (60s)")
    fuzz.add_argument("--workers", "-n", type=positive, help="pytest-xdist workers here (1)")
    fuzz.add_argument("--tx", action="append", metavar="SPEC", help="an execnet gateway for "
                      "workers, as pytest-xdist's --tx (repeatable): ssh=HOST//python=python3, "
                      "2*popen, ...; the package must be installed there")  # fmt: skip
    fuzz.add_argument("--seed", type=seed_value, help="campaign seed (default: random)")
    fuzz.add_argument("--role", type=chooser(ROLES, "role"), default="decoder",
                      help=f"{', '.join(ROLES)} (default: decoder)")  # fmt: skip
    fuzz.add_argument("--db", metavar="DIR|redis://HOST:PORT", help="shared example database "
                      "(default: OUT/fuzz-db)")  # fmt: skip
    fuzz.add_argument("--profile", metavar="FILE", help="SUT provisioning profile (JSON)")
    fuzz.add_argument("--max-findings", type=positive, metavar="N",
                      help="a worker stops once it has filed N findings")  # fmt: skip
    fuzz.add_argument("--corpus-only", action="store_true",
                      help="only replay the shared corpus (--db), no new cases")  # fmt: skip
    fuzz.add_argument("--out", default="reports", metavar="DIR", help="default: reports")
    fuzz.add_argument("--run-id", metavar="ID", help="default: the UTC time")
    fuzz.set_defaults(handler=fuzz_command)
    replay = commands.add_parser(
        "replay",
        help="send a fuzz finding to a SUT again",
        description="Replay a finding file; exit 1 if it still reproduces, 0 if not.",
    )
    replay.add_argument("finding", type=Path, metavar="FINDING.json")
    replay.add_argument("--sut", metavar="SPEC", help="default: the SUT the finding names")
    replay.add_argument("--profile", metavar="FILE", help="SUT provisioning profile (JSON)")
    replay.set_defaults(handler=replay_command)


def campaign_args(config_json: str, workers: int, tx: Sequence[str]) -> list[str]:
    """pytest's arguments, which xdist sends to every worker: they name no file of this host
    but os.devnull, and every value is joined to its option (xdist rewrites a lone argument
    that is a path here)."""
    from conformance.fuzz import session

    args = [
        *("--pyargs", session.__name__, "-p", session.__name__, "-p", "no:mikeyconf"),
        *("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:terminal"),
        f"--config-file={os.devnull}", "--rootdir=.", "--noconftest",
        f"{session.OPTION}={config_json}",
    ]  # fmt: skip
    if tx:
        return [*args, *(a for spec in tx for a in ("--tx", spec)), "--dist", "each"]
    return args + (["-n", str(workers), "--dist", "each"] if workers > 1 else [])


def check_role(spec: str, profile: Profile, role: str) -> None:
    """Build the SUT once: a bad --sut, or a SUT that does not play `role`, fails now."""
    from conformance.fuzz.campaign import role_problem

    try:
        sut = load_sut(spec, profile)
        try:
            problem = role_problem(sut, spec, role)
        finally:
            sut.close()
    except Exception as exc:  # a vendor factory may raise anything: report it, one line
        raise CliError(f"--sut {spec}: {exc}") from None
    if problem is not None:
        raise CliError(problem)


def database_spec(options: argparse.Namespace, out: Path) -> str:
    """--db, checked and reachable from here; a directory made absolute (workers chdir)."""
    from conformance.fuzz.corpusdb import check_db_spec, open_database

    db = options.db if options.db is not None else str(out / "fuzz-db")
    try:
        check_db_spec(db)
        open_database(db)  # reachable before the campaign starts
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if db.startswith("redis://"):
        return db
    if options.tx:
        print(f"fuzz: note: --db {db} is a directory: each host keeps its own corpus there "
              "(redis://HOST:PORT shares one)", file=sys.stderr)  # fmt: skip
    return str(Path(db).resolve())


def fuzz_command(options: argparse.Namespace, argv: Sequence[str]) -> int:
    from conformance.fuzz.campaign import CampaignConfig
    from conformance.fuzz.progress import Monitor, clock
    from conformance.fuzz.session import Controller

    if options.tx and options.workers is not None:
        raise CliError("--workers and --tx: give local workers as --tx N*popen")
    profile = load_profile(options.profile)
    if not options.tx:  # with --tx the SUT is built on the workers' hosts, which check it
        check_role(options.sut, profile, options.role)
    out = Path(options.out)
    db = database_spec(options, out)
    run_dir = create_run_dir(out, options.run_id)
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    profile_doc = json.loads(Path(options.profile).read_text()) if options.profile else None
    config = CampaignConfig(sut=options.sut, role=options.role, seed=seed, budget=options.budget,
                            db=db, run=run_dir.name, profile=profile_doc,
                            corpus_only=options.corpus_only,
                            max_findings=options.max_findings)  # fmt: skip
    workers = options.workers or 1
    where = f"gateways {' '.join(options.tx)}" if options.tx else f"{workers} worker(s)"
    print(f"fuzz: {options.role} of {options.sut}, seed {seed}, {where}, "
          f"budget {clock(options.budget)}, run {run_dir}", file=sys.stderr)  # fmt: skip
    # pytest captures fd 2 while it runs: the progress line goes to a duplicate of it.
    progress_out = os.fdopen(os.dup(sys.stderr.fileno()), "w")
    monitor = Monitor(run_dir, options.budget, out=progress_out)
    monitor.start()
    try:
        args = campaign_args(config.to_json(), workers, options.tx or ())
        status = pytest.main(args, plugins=[Controller(run_dir)])
    finally:
        monitor.stop()
        progress_out.close()
    return summary(run_dir, time.time() - monitor.started, options.budget, int(status))


def summary(run_dir: Path, elapsed: float, budget_s: float, status: int) -> int:
    """Print the campaign's summary (last) and return the exit status."""
    from conformance.fuzz import session
    from conformance.fuzz.findings import read_finding
    from conformance.fuzz.outbox import FINDINGS
    from conformance.fuzz.progress import progress_line, totals

    t = totals(run_dir)
    print(progress_line(t, elapsed, budget_s), file=sys.stderr)
    lines = [f"fuzz run {run_dir.name}: {t.cases} cases, {t.findings} finding(s)"]
    for path in sorted((run_dir / FINDINGS).glob("*.json")):
        doc = read_finding(path)
        lines.append(f"  {doc['oracle']:<19} {doc['requirement']:<34} {doc['reason'][:70]}")
        lines.append(f"    {path}")
    errors = sorted((run_dir / session.ERRORS).glob("*.txt"))
    failed = status not in (0, int(pytest.ExitCode.NO_TESTS_COLLECTED)) or bool(errors)
    if status == pytest.ExitCode.INTERRUPTED:
        lines.append("interrupted: the findings filed so far are kept")
    elif failed:
        where = errors[0] if errors else run_dir
        lines.append(f"harness error: a campaign worker failed{error_line(errors)} (see {where})")
    print("\n".join(lines), flush=True)
    if failed:
        return 2
    return 1 if t.findings else 0


def error_line(errors: list[Path]) -> str:
    """The exception line of the first worker's traceback (`E   Name: message`), if any."""
    if not errors:
        return ""
    marked = [x for x in errors[0].read_text(encoding="utf-8").splitlines() if x.startswith("E ")]
    return f": {marked[-1][1:].strip()[:160]}" if marked else ""


def replay_command(options: argparse.Namespace, argv: Sequence[str]) -> int:
    from conformance.fuzz.campaign import judge
    from conformance.fuzz.cases import case_from_dict
    from conformance.fuzz.findings import read_finding

    try:
        doc = read_finding(options.finding)
        case = case_from_dict(doc["case"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CliError(f"{options.finding}: {exc}") from None
    profile = load_profile(options.profile)
    spec = options.sut or str(doc.get("sut", "builtin"))
    try:
        sut = load_sut(spec, profile)
    except Exception as exc:
        raise CliError(f"--sut {spec}: {exc}") from None
    try:
        finding, _ = judge(sut, case, profile)
    finally:
        sut.close()
    if finding is not None and finding.signature == doc["signature"]:
        print(f"reproduces: {finding.oracle} {finding.requirement}: {finding.reason}")
        print(f"  SUT: {finding.sut_answer}\n  reference: {finding.reference_answer}")
        return 1
    now = f"; now {finding.signature}: {finding.reason}" if finding else ""
    print(f"does not reproduce: {doc['signature']}{now}")
    return 0
