"""Key management mutants: an initiator that takes any answer, as gst-rtsp-server does.

conformance/rfc4567/test_rtsp_keymgmt.py must fail it: RFC 4567 4.2 wants the
key management to fail (463) on data it cannot process.
"""

from __future__ import annotations

from dataclasses import dataclass

from mikey.wire import DecodeError, decode_message
from suts.base import Outcome, Profile, Sut
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant


@dataclass
class CredulousInitiatorSut(BuiltinSut):
    """The built-in SUT whose initiator takes an answer that does not decode as success."""

    def complete(self, response: bytes | None) -> Outcome:
        if response is not None:
            try:
                decode_message(response)
            except DecodeError:
                return Outcome(True, detail="took an answer that is not MIKEY")
        return super().complete(response)


@mutant(
    breaks="RFC4567-4.2-setup-463",
    description="the initiator takes key management data that is not MIKEY as a good answer",
)
def takes_any_answer(profile: Profile) -> Sut:
    return CredulousInitiatorSut(profile=profile)
