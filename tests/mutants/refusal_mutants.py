"""Responders that take messages they must refuse (conformance/refusal_checks.py).

Each breakage is written once, against the mode-independent responder or the PSK one
the PK responder stands on, and registered per mode (timing_mutants.register) under the
requirement the test it must fail cites there:

- the data type not checked (test_a_message_of_another_data_type_is_refused);
- two SP payloads with one Policy no taken (test_two_sp_payloads_with_one_policy_no_are_refused);
- the NULL MAC taken over encrypted Key data (test_the_null_mac_over_encrypted_key_data_is_refused);
- the grammar not checked (test_payloads_outside_the_grammar_are_refused);
- IDr not checked (test_a_message_for_another_responder_is_refused).
"""

from __future__ import annotations

from dataclasses import replace

from conformance.refusal_checks import NULL_MAC_MODES, REFUSING
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Responder
from mikey.wire import EncrAlg, Id, Kemac, MacAlg, Message
from tests.mutants.timing_mutants import register


class _TakesAnyDataType(Responder):
    def check_data_type(self, msg: Message) -> None:
        return None


class _TakesSharedPolicyNumbers(Responder):
    def check_policy_numbers(self, msg: Message) -> None:
        return None


class _TakesNullMacOverEncryption(PskResponder):
    def check_algorithms(self, msg: Message) -> None:
        kemac = msg.first(Kemac)
        if kemac is None or kemac.mac_alg != MacAlg.NULL or kemac.encr_alg == EncrAlg.NULL:
            super().check_algorithms(msg)


for _r in REFUSING:
    _mode = _r.timed.mode
    register(_mode, "responder_takes_any_data_type", _TakesAnyDataType, _r.data_type_rule,
             "takes a message of any data type")  # fmt: skip
    register(_mode, "responder_takes_two_sp_with_one_policy_no", _TakesSharedPolicyNumbers,
             "RFC3830-6.10-policy-no-distinct",
             "takes SP payloads that share a Policy no")  # fmt: skip
    if _mode in NULL_MAC_MODES:
        register(_mode, "responder_takes_the_null_mac_over_encryption",
                 _TakesNullMacOverEncryption, "RFC3830-4.2.4-null-mac-restricted",
                 "takes a KEMAC with the NULL MAC over encrypted Key data")  # fmt: skip


class _TakesAnyPayloads(Responder):
    def check_payloads(self, msg: Message) -> None:
        return None


for _r in REFUSING:
    register(_r.timed.mode, "responder_takes_any_payloads", _TakesAnyPayloads, _r.grammar_rule,
             "takes an initiating message with any payloads")  # fmt: skip


def _without_idr(msg: Message) -> Message:
    """`msg` without its IDr (the second ID payload), as a responder that never reads it."""
    ids = [i for i, p in enumerate(msg.payloads) if isinstance(p, Id)]
    if len(ids) < 2:
        return msg
    return replace(msg, payloads=tuple(p for i, p in enumerate(msg.payloads) if i != ids[-1]))


class _TakesAnyIdr(Responder):
    """Checks IDi, never IDr: the PSK family reads no IDr, PK checks its clear
    identities without it (mixed in before the mode's responder, which has one of them)."""

    def read_identities(self, msg: Message) -> tuple[Id | None, Id | None]:
        id_i, _ = super().read_identities(msg)  # type: ignore[misc]
        return id_i, None

    def check_clear_identities(self, msg: Message) -> Id | None:
        return super().check_clear_identities(_without_idr(msg))  # type: ignore[misc]


for _r in REFUSING:
    if _r.identity_rule is not None:
        register(_r.timed.mode, "responder_takes_any_idr", _TakesAnyIdr, _r.identity_rule,
                 "takes an initiating message whose IDr names another party")  # fmt: skip
