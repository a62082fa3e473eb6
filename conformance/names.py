"""Mode and role names as a user types them: any case, with or without separators.

`dh-hmac`, `DH_HMAC` and `dhhmac` all name DH-HMAC; `rsar` names RSA-R; a leading
`mikey-` is dropped (`mikey-sakke`). Used as argparse types by every subcommand.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable


def _key(value: str) -> str:
    key = "".join(c for c in value.casefold() if c.isalnum())
    return key.removeprefix("mikey") or key


def chooser(names: Iterable[str], kind: str) -> Callable[[str], str]:
    """An argparse type turning any spelling of one of `names` into that name."""
    table = {_key(name): name for name in names}

    def choose(value: str) -> str:
        try:
            return table[_key(value)]
        except KeyError:
            known = ", ".join(table.values())
            raise argparse.ArgumentTypeError(f"unknown {kind} {value!r}: one of {known}") from None

    choose.__name__ = kind  # argparse names the type in its messages
    return choose
