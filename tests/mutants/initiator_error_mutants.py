"""An initiator's handling of Error messages, found by mutation testing (docs/mutation.md):
killed by conformance/rfc3830/test_error_to_initiator.py.

- A PSK initiator that reads the first ERR payload of an Error message without looking
  whether there is one (cosmic-ray's AddNot in PskInitiator.take_error): an Error message
  with no ERR payload (HDR, T, {ERR}: zero of them, RFC 3830 5.1.2) crashes it.
"""

from __future__ import annotations

from mikey.modes.error_message import error_numbers
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.wire import Message
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.psk_mutants import with_initiator


class _FirstErrUnchecked(PskInitiator):
    def take_error(self, data: bytes, msg: Message, exchange: Exchange) -> None:
        error_numbers(msg)[0]  # the bug: an IndexError without ERR
        super().take_error(data, msg, exchange)


@mutant(
    "RFC3830-5.1.2-initiator-takes-error",
    "crashes on an Error message without an ERR payload",
)
def psk_initiator_crashes_on_an_error_without_err(profile: Profile) -> Sut:
    return with_initiator(profile, _FirstErrUnchecked)
