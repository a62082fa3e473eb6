"""`mikeyconf fuzz` and `mikeyconf replay`.

    mikeyconf fuzz --sut X --budget 10m [--workers N] [--seed S]
                   [--role decoder|responder] [--db DIR|redis://HOST:PORT] [--out DIR]
    mikeyconf replay FINDING.json [--sut X]

fuzz: exit 0 when the campaign found nothing, 1 when it filed findings, 2 on
a bad argument or a harness error. replay: exit 1 when the finding still
reproduces, 0 when it does not, 2 on an error. The campaign's modules (and
Hypothesis, the `fuzz` extra) load only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import importlib.util
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
from conformance.fuzz.roles import RESPONDER, ROLES
from conformance.report.rundir import create_run_dir
from suts import load_sut
from suts.base import Profile, Role

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
    fuzz.add_argument("--workers", "-n", type=positive, default=1, help="pytest-xdist workers")
    fuzz.add_argument("--seed", type=seed_value, help="campaign seed (default: random)")
    fuzz.add_argument("--role", choices=ROLES, default="decoder", help="default: decoder")
    fuzz.add_argument("--db", metavar="DIR|redis://HOST:PORT", help="shared example database "
                      "(default: OUT/fuzz-db)")  # fmt: skip
    fuzz.add_argument("--profile", metavar="FILE", help="SUT provisioning profile (JSON)")
    fuzz.add_argument("--max-findings", type=positive, metavar="N",
                      help="stop once N findings are filed")  # fmt: skip
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


def campaign_args(config_path: Path, workers: int) -> list[str]:
    from conformance.fuzz import session

    args = [
        session.__file__,
        *("-p", "conformance.fuzz.session", "-p", "no:mikeyconf"),
        *("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:terminal"),
        *("-c", os.devnull, "--rootdir", str(Path(session.__file__).parent)),
        *(session.OPTION, str(config_path)),
    ]
    return args + (["-n", str(workers), "--dist", "each"] if workers > 1 else [])


def check_role(spec: str, profile: Profile, role: str) -> None:
    """Build the SUT once: a bad --sut, or a SUT that does not play `role`, fails now."""
    try:
        sut = load_sut(spec, profile)
        try:
            caps = sut.capabilities()
        finally:
            sut.close()
    except Exception as exc:  # a vendor factory may raise anything: report it, one line
        raise CliError(f"--sut {spec}: {exc}") from None
    if Role(role) not in caps.roles or (role == RESPONDER and "PSK" not in caps.modes):
        raise CliError(f"--sut {spec}: {caps.name} does not play the {role} role (PSK for a "
                       "responder): nothing to fuzz")  # fmt: skip


def need_hypothesis() -> None:
    if importlib.util.find_spec("hypothesis") is None:
        raise CliError("fuzzing needs Hypothesis: pip install 'mikey-conformance[fuzz]'")


def fuzz_command(options: argparse.Namespace, argv: Sequence[str]) -> int:
    need_hypothesis()
    from conformance.fuzz import session
    from conformance.fuzz.campaign import CampaignConfig
    from conformance.fuzz.corpusdb import check_db_spec, open_database
    from conformance.fuzz.progress import Monitor, clock

    profile = load_profile(options.profile)
    check_role(options.sut, profile, options.role)
    out = Path(options.out)
    db = options.db if options.db is not None else str(out / "fuzz-db")
    try:
        check_db_spec(db)
        open_database(db)  # reachable before the campaign starts
    except ValueError as exc:
        raise CliError(str(exc)) from None
    run_dir = create_run_dir(out, options.run_id)
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    profile_doc = json.loads(Path(options.profile).read_text()) if options.profile else None
    config = CampaignConfig(sut=options.sut, role=options.role, seed=seed, budget=options.budget,
                            deadline=time.time() + options.budget, db=db, run_dir=str(run_dir),
                            profile=profile_doc, corpus_only=options.corpus_only,
                            max_findings=options.max_findings)  # fmt: skip
    print(f"fuzz: {options.role} of {options.sut}, seed {seed}, {options.workers} worker(s), "
          f"budget {clock(options.budget)}, run {run_dir}", file=sys.stderr)  # fmt: skip
    os.environ[session.RUN_DIR_ENV] = str(run_dir)
    # pytest captures fd 2 while it runs: the progress line goes to a duplicate of it.
    progress_out = os.fdopen(os.dup(sys.stderr.fileno()), "w")
    monitor = Monitor(run_dir, options.budget, out=progress_out)
    monitor.start()
    try:
        status = pytest.main(campaign_args(config.save(), options.workers))
    finally:
        monitor.stop()
        progress_out.close()
        os.environ.pop(session.RUN_DIR_ENV, None)
    return summary(run_dir, time.time() - monitor.started, options.budget, int(status))


def summary(run_dir: Path, elapsed: float, budget_s: float, status: int) -> int:
    """Print the campaign's summary (last) and return the exit status."""
    from conformance.fuzz import session
    from conformance.fuzz.findings import read_finding
    from conformance.fuzz.progress import FINDINGS, progress_line, totals

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
        lines.append(f"harness error: a campaign worker failed (see {where})")
    print("\n".join(lines), flush=True)
    if failed:
        return 2
    return 1 if t.findings else 0


def replay_command(options: argparse.Namespace, argv: Sequence[str]) -> int:
    need_hypothesis()
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
