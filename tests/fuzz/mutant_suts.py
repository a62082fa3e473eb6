"""Fuzz-only mutants: SUTs with the bugs a fuzz campaign exists to find.

They are not conformance mutants (no conformance test targets these bugs, so
they are not in tests/mutants): they prove the campaign has teeth. The crash
and hang ones run out of process, behind the reference shim's server:

    --sut "shim:python -m suts.shim.reference tests.fuzz.mutant_suts:crash_on_rand_len"

- crash_on_rand_len: dies (abort: a C parser's stack smash) on a RAND len
  (RFC 3830 6.11) over 64, copying RAND into a 64-byte buffer;
- hang_on_chain_loop: a naive chain walker that keeps, per payload type, where
  it last saw one, and follows that back when a Next payload names a type it
  has read already: it never returns (RFC 3830 6.1 Next payload chain);
- accepts_truncated_kemac: its decoder takes a KEMAC cut short as if it were
  whole (RFC 3830 6.2 Encr data len, MAC).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from mikey.wire import DecodeError, PayloadType, decode_message
from mikey.wire.header import TOP_LEVEL_NEXT, decode_header
from mikey.wire.message import SPECS
from mikey.wire.reader import Reader
from suts.base import DecodeResult, Profile
from suts.builtin import BuiltinSut


def reference_error(data: bytes) -> DecodeError | None:
    try:
        decode_message(data)
    except DecodeError as err:
        return err
    return None


def chain(data: bytes) -> list[tuple[PayloadType, int]]:
    """The payloads (type, offset) a reader meets along the Next payload chain, until it fails."""
    found: list[tuple[PayloadType, int]] = []
    try:
        r = Reader(data, "HDR", "RFC 3830 6.1")
        _, following = decode_header(r)
        while following != PayloadType.LAST:
            found.append((following, r.offset))
            if following == PayloadType.SIGN:
                break
            after = r.next_payload(TOP_LEVEL_NEXT)
            SPECS[following].decode(r)
            following = after
    except DecodeError:
        pass
    return found


@dataclass
class CrashOnRandLen(BuiltinSut):
    """Copies RAND into a 64-byte buffer without checking RAND len: a stack smash."""

    def decode(self, data: bytes) -> DecodeResult:
        for kind, at in chain(data):
            if kind == PayloadType.RAND and at + 1 < len(data) and data[at + 1] > 64:
                os.abort()
        return super().decode(data)


@dataclass
class HangOnChainLoop(BuiltinSut):
    def decode(self, data: bytes) -> DecodeResult:
        kinds = [kind for kind, _ in chain(data)]
        if kinds and kinds[0] in kinds[1:]:  # the chain comes back to its first type
            while True:
                time.sleep(0.05)
        return super().decode(data)


@dataclass
class AcceptsTruncatedKemac(BuiltinSut):
    def decode(self, data: bytes) -> DecodeResult:
        err = reference_error(data)
        if err is not None and err.payload == "KEMAC" and "remain" in err.reason:
            return DecodeResult(True, None, "KEMAC read as far as the bytes go")
        return super().decode(data)


def crash_on_rand_len(profile: Profile) -> BuiltinSut:
    return CrashOnRandLen(profile=profile)


def hang_on_chain_loop(profile: Profile) -> BuiltinSut:
    return HangOnChainLoop(profile=profile)


def accepts_truncated_kemac(profile: Profile) -> BuiltinSut:
    return AcceptsTruncatedKemac(profile=profile)
