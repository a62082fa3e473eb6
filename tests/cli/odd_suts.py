"""SUTs that misbehave in the interop matrix: one fails as responder, one only decodes.

`--sut tests.cli.odd_suts:fails_as_responder`: the built-in SUT whose respond()
raises SutFailure (as a shim that died would); `--sut tests.cli.odd_suts:decoder_only`
declares no initiator or responder role (every exchange is not applicable);
`--sut tests.cli.odd_suts:keeps_keys`: the built-in SUT that exports no keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from suts.base import Capabilities, ExchangeParams, Profile, Reply, Role, Sut, SutFailure
from suts.builtin import BuiltinSut

DIED = "the shim exited with status 1 <stderr: segfault>"


@dataclass
class _FailsAsResponder(BuiltinSut):
    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        raise SutFailure(DIED)


@dataclass
class _DecoderOnly(BuiltinSut):
    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), roles=frozenset({Role.DECODER}))


@dataclass
class _KeepsKeys(BuiltinSut):
    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), exports_keys=False)


def fails_as_responder(profile: Profile) -> Sut:
    return _FailsAsResponder(profile=profile)


def decoder_only(profile: Profile) -> Sut:
    return _DecoderOnly(profile=profile)


def keeps_keys(profile: Profile) -> Sut:
    return _KeepsKeys(profile=profile)
