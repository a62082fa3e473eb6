"""`mikeyconf matrix`: every ordered pair of SUTs, every mode, one exchange each.

    mikeyconf matrix --sut A --sut B [--sut C ...] [--mode M]... [--profile FILE]
                     [--out DIR] [--run-id ID]

For each mode and each ordered pair (A initiator, B responder; A with itself
too) the two SUTs run one exchange directly through the SUT interface and
their SRTP keys are compared (conformance/interop.py). The run writes
OUT/RUN_ID/matrix.json and matrix.html (an Autobahn-style table per mode:
rows are initiators, columns responders) and prints a compact text matrix.
Exit status: 0 when every applicable cell passed, 1 when one failed, 2 on a
bad argument or when no pair could play any mode.

matrix.json (schema: conformance/report/matrix.schema.json, MATRIX_SCHEMA):
    {"matrix_version": 1, "suite": {"name", "version"}, "run_id", "started", "finished",
     "profile": file or null, "srtp_checked": whether pylibsrtp ran the SRTP round trips,
     "suts": [{"spec", "name", "modes", "roles", "exports_keys"}], "modes": [...],
     "cells": [{"initiator", "responder", "mode", "verdict": "pass" | "fail" |
                "not-applicable", "reason", "keys": "equal" | "differ" | "not-compared"
                | "not-run", "srtp": "ok" | "failed" | "not-run", "steps", "duration_s"}],
     "totals": {"pass", "fail", "not-applicable"}, "exit_status": 0 | 1 | 2}
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import conformance
from conformance.interop import HAVE_LIBSRTP, Cell, Party, play
from conformance.names import chooser
from conformance.report.matrix_view import format_matrix, render_matrix_html
from conformance.report.model import EXIT_FAILED, EXIT_HARNESS, EXIT_OK, utc_now
from conformance.report.rundir import create_run_dir
from conformance.requirements import MODES
from suts import load_sut
from suts.base import Profile

MATRIX_VERSION = 1
MATRIX_JSON = "matrix.json"
MATRIX_HTML = "matrix.html"
MATRIX_SCHEMA = resources.files("conformance.report").joinpath("matrix.schema.json")
EXCHANGE_MODES = tuple(m for m in MODES if m != "codec")
"""Modes with a key exchange (the codec is no mode two SUTs can play)."""


def register(commands: Any) -> None:
    """Add `matrix` to mikeyconf (conformance.cli COMMAND_MODULES)."""
    parser = commands.add_parser(
        "matrix",
        help="interop matrix: every ordered pair of SUTs, every mode",
        description="Run one exchange per mode for every ordered pair of SUTs "
        "(initiator, responder) and write OUT/RUN_ID/matrix.json and matrix.html.",
    )
    parser.add_argument(
        "--sut", action="append", required=True, metavar="SPEC", help="a SUT (repeat: 1 or more)"
    )
    parser.add_argument(
        "--mode",
        action="append",
        default=[],
        type=chooser(EXCHANGE_MODES, "mode"),
        metavar="M",
        help=f"only this mode (repeatable, any case): {', '.join(EXCHANGE_MODES)}",
    )
    parser.add_argument("--profile", metavar="FILE", help="provisioning profile for every SUT")
    parser.add_argument("--out", default="reports", metavar="DIR", help="default: reports")
    parser.add_argument("--run-id", metavar="ID", help="default: the UTC time")
    parser.set_defaults(handler=run_matrix)


def build_parties(specs: Sequence[str], profile: Profile) -> list[Party]:
    """Build every SUT; one that cannot be built is a one-line error (exit 2)."""
    from conformance.cli import CliError

    twice = next((s for n, s in enumerate(specs) if s in specs[:n]), None)
    if twice is not None:
        raise CliError(f"--sut {twice} is given twice")
    parties: list[Party] = []
    try:
        for spec in specs:
            try:
                sut = load_sut(spec, profile)
                parties.append(Party(spec, sut, sut.capabilities()))
            except Exception as exc:  # a vendor factory may raise anything
                raise CliError(f"--sut {spec}: {exc}") from None
    except CliError:
        close(parties)
        raise
    return parties


def close(parties: Sequence[Party]) -> None:
    for party in parties:
        with contextlib.suppress(Exception):  # a broken SUT's close must not hide the results
            party.sut.close()


def modes_of(parties: Sequence[Party], wanted: Sequence[str]) -> list[str]:
    """The modes some SUT implements (in the catalog's order), or the --mode ones."""
    offered = {m for p in parties for m in p.caps.modes}
    return [m for m in EXCHANGE_MODES if (m in wanted if wanted else m in offered)]


def play_all(parties: Sequence[Party], modes: Sequence[str]) -> list[Cell]:
    return [play(a, b, mode) for mode in modes for a in parties for b in parties]


def matrix_document(
    parties: Sequence[Party], modes: Sequence[str], cells: Sequence[Cell], meta: dict[str, Any]
) -> dict[str, Any]:
    totals = {v: sum(c.verdict == v for c in cells) for v in ("pass", "fail", "not-applicable")}
    status = EXIT_HARNESS if not totals["pass"] + totals["fail"] else EXIT_OK
    if totals["fail"]:
        status = EXIT_FAILED
    return {
        "matrix_version": MATRIX_VERSION,
        "suite": {"name": "mikey-conformance", "version": conformance.__version__},
        **meta,
        "srtp_checked": HAVE_LIBSRTP,
        "suts": [
            {
                "spec": p.spec,
                "name": p.caps.name,
                "modes": sorted(p.caps.modes),
                "roles": sorted(r.value for r in p.caps.roles),
                "exports_keys": p.caps.exports_keys,
            }
            for p in parties
        ],
        "modes": list(modes),
        "cells": [asdict(c) for c in cells],
        "totals": totals,
        "exit_status": status,
    }


def run_matrix(options: argparse.Namespace, argv: Sequence[str]) -> int:
    from conformance.cli import CliError, load_profile

    profile = load_profile(options.profile)
    parties = build_parties(options.sut, profile)
    started = utc_now()
    try:
        modes = modes_of(parties, options.mode)
        cells = play_all(parties, modes)
    finally:
        close(parties)
    out = Path(options.out)
    try:
        run_dir = create_run_dir(out, options.run_id)
    except OSError as exc:
        raise CliError(f"cannot create a run directory in {out}: {exc.strerror or exc}") from None
    meta = {"run_id": run_dir.name, "started": started, "finished": utc_now()}
    meta["profile"] = options.profile
    document = matrix_document(parties, modes, cells, meta)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    (run_dir / MATRIX_JSON).write_text(text + "\n", encoding="utf-8")
    (run_dir / MATRIX_HTML).write_text(render_matrix_html(document), encoding="utf-8")
    print(format_matrix(document, run_dir), flush=True)
    status: int = document["exit_status"]
    return status
