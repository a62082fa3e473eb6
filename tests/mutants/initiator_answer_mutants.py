"""An initiator's checks of what answers it, found by mutation testing (docs/mutation.md).

- A PSK initiator that reads the first ERR payload of an Error message without looking
  whether there is one (cosmic-ray's AddNot in PskInitiator.take_error): an Error message
  with no ERR payload (HDR, T, {ERR}: zero of them, RFC 3830 5.1.2) crashes it. Killed by
  test_an_error_message_establishes_no_csb[*-no-err] (conformance/answer_checks.py).
- A PSK initiator that compares the answer's data type with `>` (cosmic-ray's `!=` ->
  `>` in check_data_type): a verification message of data type PSK_INIT is taken (6.1).
  Killed by
  test_an_answer_with_an_initiating_data_type_is_refused (conformance/answer_checks.py).
"""

from __future__ import annotations

from mikey.modes.base import Rejection
from mikey.modes.error_message import error_numbers
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.wire import ErrorNo, Message
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


class _TakesLowerDataTypes(PskInitiator):
    def check_data_type(self, msg: Message) -> None:
        if msg.hdr.data_type > self.r_message_type:
            raise Rejection(ErrorNo.UNSPECIFIED, f"data type {msg.hdr.data_type.name}")


@mutant("RFC3830-6.1-data-type", "takes an answer whose data type is below the expected one")
def psk_initiator_takes_an_i_message_type_as_answer(profile: Profile) -> Sut:
    return with_initiator(profile, _TakesLowerDataTypes)
