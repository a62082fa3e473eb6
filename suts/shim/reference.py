"""The reference shim: `python -m suts.shim.reference [SUT]` serves a Python SUT over mikey-shim/1.

Without an argument it serves the built-in reference (suts.builtin.BuiltinSut);
SUT is any `--sut` value that names an in-process SUT (`builtin`, or
`module:factory`, e.g. a mutant of tests/mutants/bank.py), so that one can be
driven through the protocol too. Diagnostics go to stderr; stdout is the protocol's.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from suts import load_sut
from suts.base import Profile, Sut
from suts.shim.server import serve


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1:
        print("usage: python -m suts.shim.reference [builtin | module:factory]", file=sys.stderr)
        return 2
    spec = args[0] if args else "builtin"

    def factory(profile: Profile) -> Sut:
        return load_sut(spec, profile)

    return serve(factory)


if __name__ == "__main__":
    sys.exit(main())
