"""Update authentication mutants: a party that checks the MAC or signature of initial
messages only (RFC 3830 4.5, 5.2, 5.3; RFC 4650 3, 3.1), in every mode with updates.

- as responder: an update (no RAND) is taken without its KEMAC MAC (PSK, DH-HMAC) or
  SIGNi (PK, DH) verified; killed by test_updates_responder.py,
  test_a_forged_update_is_refused[<mode>];
- as initiator: the answer to its update is taken without its V (PSK, PK), SIGNr (DH)
  or HMAC (DH-HMAC) verified; killed by test_updates_initiator.py,
  test_a_forged_answer_to_an_update_is_refused[<mode>].

Initial messages and their answers are still checked, so the tests of initial messages
pass against each of them.
"""

from __future__ import annotations

from typing import Any

from mikey.modes.dh_responder import DhResponder
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.wire import Message, Rand
from tests.mutants.timing_mutants import register


def _initial(msg: Message) -> bool:
    """An initial message carries RAND, an update none (RFC 3830 4.5)."""
    return msg.first(Rand) is not None


def _responder_skips(base: type, check: str) -> type:
    """`base` with its `check(data, msg, ...)` run on initial messages only."""

    def skipped(self: Any, data: bytes, msg: Message, *rest: Any) -> None:
        if _initial(msg):
            getattr(super(machine, self), check)(data, msg, *rest)

    machine = type(f"_UpdateUnchecked_{base.__name__}", (base,), {check: skipped})
    return machine


def _initiator_skips(base: type, check: str) -> type:
    """`base` with its `check(data, msg, sent, keys)` run on answers to initial messages
    only."""

    def skipped(self: Any, data: bytes, msg: Message, sent: Message, keys: Any) -> None:
        if _initial(sent):
            getattr(super(machine, self), check)(data, msg, sent, keys)

    machine = type(f"_UpdateAnswerUnchecked_{base.__name__}", (base,), {check: skipped})
    return machine


VERIFY = "RFC3830-5.3-verify-mac"
HMAC = "RFC4650-3-hmac-coverage"
RESPONDERS = {
    "PSK": (_responder_skips(PskResponder, "verify_mac"), VERIFY, "KEMAC MAC"),
    "PK": (_responder_skips(PkResponder, "verify_signature"), VERIFY, "SIGNi"),
    "DH": (_responder_skips(DhResponder, "verify_signature"), VERIFY, "SIGNi"),
    "DH-HMAC": (_responder_skips(PskResponder, "verify_mac"), HMAC, "HMAC"),
}
INITIATORS = {
    "PSK": (_initiator_skips(PskInitiator, "verify_v"), "RFC3830-5.2-verification-mac", "V"),
    "PK": (_initiator_skips(PkInitiator, "verify_v"), "RFC3830-5.2-verification-mac", "V"),
    "DH": (
        _initiator_skips(DhHmacInitiator, "authenticate"),
        "RFC3830-3.3-r-message-payloads",
        "SIGNr",
    ),
    "DH-HMAC": (_initiator_skips(DhHmacInitiator, "authenticate"), HMAC, "HMAC"),
}

for _mode, (_machine, _rule, _what) in RESPONDERS.items():
    register(_mode, "takes_updates_without_verifying_them", _machine, _rule,
             f"takes an update without verifying its {_what}")  # fmt: skip
for _mode, (_machine, _rule, _what) in INITIATORS.items():
    register(_mode, "takes_the_answer_to_its_update_unverified", _machine, _rule,
             f"takes the answer to its update without verifying its {_what}")  # fmt: skip
