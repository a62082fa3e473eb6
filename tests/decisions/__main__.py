"""`python -m tests.decisions [--json FILE] [RUN OPTIONS]`: the rejection-path report.

Runs the conformance suite against the builtin SUT under coverage.py (tests/decisions/
measure.py), prints the figures and every decision the SUT never took, with its reason
from tests/decisions/unexercised.json, and exits 1 when one has no reason, when a listed
one is taken after all or no longer exists, or when the conformance run did not pass.
RUN OPTIONS go to `mikeyconf run` (e.g. --mode PSK --role initiator); docs/design.md
"Rejection-path coverage".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.decisions.measure import measure
from tests.decisions.reasons import load_reasons, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.decisions", description=__doc__)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    options, run_options = parser.parse_known_args(argv)
    result = measure(run_options)
    reasons = load_reasons()
    total, taken = len(result.decisions), len(result.by_sut)
    print(f"{total} decisions, {taken} taken by the SUT, {total - taken} not", end="")
    print(f" ({len(result.by_peer)} of them reached by the reference peer only)")
    for d in result.unexercised:
        why = reasons.get(d.id, "NO REASON LISTED")
        print(f"  {d.id} ({d.path}:{d.line}) -- {why}")
    found = problems(result, reasons, partial=bool(run_options))
    if result.status != 0:
        found.append(f"the conformance run exited {result.status}, not 0")
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    if options.json:
        options.json.write_text(
            json.dumps(
                {
                    "decisions": total,
                    "by_sut": sorted(result.by_sut),
                    "by_peer_only": sorted(result.by_peer),
                    "unexercised": [d.id for d in result.unexercised],
                    "status": result.status,
                    "problems": found,
                },
                indent=1,
            )
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
