"""Update mutants: a party that checks initial messages, or the answers to them, but not
updates (RFC 3830 4.5, 5.2, 5.3, 5.4; RFC 4650 3, 3.1, 5.3), in every mode with updates.
Initial messages and their answers are still checked, so the tests of initial messages
pass against each; conformance/update_checks.py's tests kill them:

- as responder, an update (no RAND) taken without its KEMAC MAC (PSK, DH-HMAC) or SIGNi
  (PK, DH) verified: test_updates_responder.py, test_a_forged_update_is_refused;
- as responder, an update's T not held to the skew window:
  test_an_update_outside_the_clock_skew_is_refused;
- as DH responder, an update of an unknown CSB set up as a new CSB:
  test_an_update_of_an_unknown_csb_is_refused;
- as initiator, the answer to its update taken without its V (PSK, PK), SIGNr (DH) or
  HMAC (DH-HMAC) verified: test_updates_initiator.py,
  test_a_forged_answer_to_an_update_is_refused;
- as initiator, the answer to its update taken whatever its T:
  test_an_answer_to_an_update_with_another_timestamp_is_refused;
- as initiator, the answer to its update taken under any CSB ID:
  test_an_answer_to_an_update_for_another_csb_is_refused;
- as initiator (PK, DH, DH-HMAC; PSK's are in psk_mutants.py), an update under a new
  CSB ID, with the initial T, or with a RAND:
  test_an_update_keeps_the_csb_id_and_takes_a_new_timestamp, test_an_update_carries_no_rand.
"""

from __future__ import annotations

from typing import Any

from mikey.modes.csb import Csb
from mikey.modes.dh_responder import DhResponder
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Responder
from mikey.wire import Message, Rand
from tests.mutants.psk_mutants import _UpdateNewCsb, _UpdateOldTimestamp, _UpdateWithRand
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


# -- the T of an update, and of the answer to one -----------------------------------------


class _NoWindowForUpdates(Responder):
    def check_timestamp(self, msg: Message) -> None:
        if _initial(msg):
            super().check_timestamp(msg)


class _AnyTInUpdateAnswers(PskInitiator):
    def check_timestamp(self, msg: Message, sent: Message) -> None:
        if _initial(sent):
            super().check_timestamp(msg, sent)


WINDOW = {
    "PSK": "RFC3830-5.4-timestamp-window",
    "PK": "RFC3830-5.4-timestamp-window",
    "DH": "RFC3830-5.4-timestamp-window",
    "DH-HMAC": "RFC4650-5.3-replay-protection",
}
ANSWER_T = {
    "PSK": "RFC3830-5.2-verification-mac",
    "PK": "RFC3830-5.2-verification-mac",
    "DH": "RFC3830-3.3-responder-timestamp",
    "DH-HMAC": "RFC4650-5.3-replay-protection",
}
for _mode, _rule in WINDOW.items():
    register(_mode, "takes_updates_outside_the_skew", _NoWindowForUpdates, _rule,
             "does not hold an update's T to its clock skew")  # fmt: skip
for _mode, _rule in ANSWER_T.items():
    register(_mode, "takes_any_t_in_the_answer_to_its_update", _AnyTInUpdateAnswers, _rule,
             "takes the answer to its update whatever its T")  # fmt: skip


# -- an update of an unknown CSB ------------------------------------------------------------


class _UnknownUpdateIsNew(DhResponder):
    def check_csb(self, msg: Message) -> Csb | None:
        if not _initial(msg) and msg.hdr.csb_id not in self.csbs:
            return None  # taken as a new CSB
        return super().check_csb(msg)


register("DH", "sets_up_a_csb_from_an_update", _UnknownUpdateIsNew, "RFC3830-4.5-update-dh",
         "takes an update of a CSB it does not have as a new CSB")  # fmt: skip


# -- the CSB ID of the answer to an update ---------------------------------------------------


class _AnyCsbIdInUpdateAnswers(PskInitiator):
    def check_csb_id(self, msg: Message, sent: Message) -> None:
        if _initial(sent):
            super().check_csb_id(msg, sent)


ANY_CSB = "takes the answer to its update under any CSB ID"
for _mode in ("PSK", "PK", "DH", "DH-HMAC"):
    register(_mode, "takes_the_answer_to_its_update_for_any_csb", _AnyCsbIdInUpdateAnswers,
             "RFC3830-6.1-csb-id-echo", ANY_CSB)  # fmt: skip


# -- the update's CSB ID, T and RAND: PSK's breakages, in the other modes with updates -------

COMPOSED = (
    ("sends_updates_under_a_new_csb_id", _UpdateNewCsb, "RFC3830-4.5-update-same-csb-id",
     "sends updates under a new CSB ID"),
    ("includes_a_rand_in_updates", _UpdateWithRand, "RFC3830-4.5-update-no-rand",
     "includes a new RAND in update messages"),
    ("reuses_the_initial_timestamp_in_updates", _UpdateOldTimestamp,
     "RFC3830-4.5-update-new-timestamp", "reuses the initial timestamp in updates"),
)  # fmt: skip
for _mode in ("PK", "DH", "DH-HMAC"):
    for _name, _machine, _rule, _what in COMPOSED:
        register(_mode, _name, _machine, _rule, _what)
