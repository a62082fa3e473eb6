"""`mikeyconf build-sut NAME --source DIR`: build a SUT that ships as source.

    mikeyconf build-sut minisip [--source DIR] [-j N]

Compiles the SUT from its source tree (never modified: patches go to a copy) into
the cache ($XDG_CACHE_HOME/mikeyconf, default ~/.cache/mikeyconf) and prints the
path of the built shim; `--sut NAME` then finds it there. Exit status: 0 built (or
already cached), 2 when a tool, a header package or the source tree is missing or
the build fails (one line saying what to install or fix).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

BUILDERS = {"minisip": "minisip's libmikey and our shim over it (suts/minisip)"}


def register(commands: Any) -> None:
    """Add `build-sut` to mikeyconf (conformance.cli COMMAND_MODULES)."""
    parser = commands.add_parser(
        "build-sut",
        help="build a SUT from its source tree into the cache",
        description="Build a SUT that ships as source (patched copy, our shim) into "
        "$XDG_CACHE_HOME/mikeyconf and print the built shim's path.",
    )
    parser.add_argument("name", choices=sorted(BUILDERS), help="the SUT to build")
    parser.add_argument(
        "--source", metavar="DIR", help="its source tree (default: ../shared/third_party/NAME)"
    )
    parser.add_argument("-j", "--jobs", type=_jobs, help="parallel compilers (default: CPUs)")
    parser.set_defaults(handler=build_command)


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return int(text)


def build_command(options: argparse.Namespace, argv: Any = None) -> int:
    from conformance.cli import CliError
    from suts.minisip import source_dir
    from suts.minisip.build import BuildError, build

    source = Path(options.source) if options.source else source_dir()
    try:
        built = build(source, jobs=options.jobs or os.cpu_count())
    except BuildError as exc:
        raise CliError(f"build-sut {options.name}: {exc}") from None
    how = "cached" if built.cached else f"built in {built.seconds:.1f} s"
    print(f"{built.executable} ({how})")
    return 0
