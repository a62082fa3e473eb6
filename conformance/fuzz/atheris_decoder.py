"""Coverage-guided fuzzing of the reference decoder with atheris (libFuzzer for Python).

    pip install 'mikey-conformance[atheris]'
    python -m conformance.fuzz.atheris_decoder --seeds DIR        # write the seed corpus
    python -m conformance.fuzz.atheris_decoder -max_total_time=600 DIR

Options other than --seeds are libFuzzer's (-runs=N, -seed=S, -max_len=N,
-jobs=N ...); libFuzzer adds what raises coverage to DIR. The property the
harness asserts is the decoder's contract (mikey/wire/__init__.py): on any
bytes, `decode_message`, `decode_key_data` and `decode_key_ids` return a
value or raise DecodeError, nothing else, and a decoded Message encodes to
the same bytes apart from reserved bits. Anything else is a crash: libFuzzer
stops and writes the input to crash-<sha1>.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType


def optional_atheris() -> ModuleType | None:
    """atheris, an optional extra: without it the property and the seeds still work."""
    try:
        return importlib.import_module("atheris")
    except ImportError:
        return None


atheris = optional_atheris()
if atheris is not None and __name__ == "__main__":
    # Instrument the codec alone (instrumenting all that is loaded takes tens of seconds).
    with atheris.instrument_imports(include=["mikey"]):
        import mikey.wire  # noqa: F401 - imported here to be instrumented
from mikey.wire import (  # noqa: E402 - after the instrumented import above
    DecodeError,
    decode_key_data,
    decode_key_ids,
    decode_message,
    encode_message,
)


def check_decoders(data: bytes) -> None:
    """The decoders' contract on `data`; AssertionError (or whatever escapes) if broken."""
    try:
        msg = decode_message(data)
    except DecodeError as err:
        assert 0 <= err.offset <= len(data) and err.section.startswith("RFC "), err
    else:
        again = encode_message(msg)
        assert len(again) == len(data), "a decoded message re-encodes to another length"
    for decoder in (decode_key_data, decode_key_ids):
        with contextlib.suppress(DecodeError):
            decoder(data)


def write_seeds(directory: Path) -> int:
    """The fuzz seeds (codec corpus, RFC 4567 vectors, a reference exchange) as files."""
    from conformance.fuzz.cases import seeds  # Hypothesis and the corpus: not when fuzzing

    directory.mkdir(parents=True, exist_ok=True)
    for name, layout in seeds():
        (directory / f"{name}.bin").write_bytes(layout.render())
    return len(seeds())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) == 3 and args[1] == "--seeds":
        print(f"{write_seeds(Path(args[2]))} seeds written to {args[2]}")
        return 0
    if atheris is None:
        print("atheris is not installed: pip install 'mikey-conformance[atheris]'", file=sys.stderr)
        return 2
    atheris.Setup(args, check_decoders)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
