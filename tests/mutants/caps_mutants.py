"""Capability mutants: a SUT that declares it lacks something cannot hide a fault behind it.

The codec tests waive what a SUT's capabilities leave out (conformance.checks):
an encoder test needing it, and a decoder test whose valid message has it and
which the SUT refuses. These mutants declare such a gap and then misbehave on
exactly what they declared away; the suite must still fail them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mikey.wire import DecodeError, Error, PayloadType, decode_message
from suts.base import EVERY_PAYLOAD, Capabilities, DecodeResult, Profile, Sut, SutFailure
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant

WITHOUT_ERR = EVERY_PAYLOAD - {PayloadType.ERR}


@dataclass
class _HangsOnErr(BuiltinSut):
    """Declares that its decoder does not read ERR (RFC 3830 6.12), and never returns on a
    message with one, as GStreamer 1.22 does (the adapter reports the hang as SutFailure)."""

    def capabilities(self) -> Capabilities:
        caps = super().capabilities()
        return replace(caps, decoder=replace(caps.decoder, payloads=WITHOUT_ERR))

    def decode(self, data: bytes) -> DecodeResult:
        try:
            msg = decode_message(data)
        except DecodeError:
            return super().decode(data)
        if msg.first(Error) is not None:
            raise SutFailure("the decoder did not return (a payload it does not implement)")
        return super().decode(data)


@mutant(
    "RFC3830-6.12-error-numbers",
    "decoder declares no ERR payload and hangs on a valid message with one",
)
def hangs_on_an_undeclared_payload(profile: Profile) -> Sut:
    return _HangsOnErr(profile=profile)
