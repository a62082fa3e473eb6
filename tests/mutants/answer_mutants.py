"""Initiators that take answers they must refuse (conformance/answer_checks.py).

Each breakage is written once, against the PSK initiator the PK and DH-family initiators
stand on, or against the RSA-R initiator, and registered per mode (timing_mutants.register)
under the requirement the test it must fail cites there:

- an Error message taken as the answer that establishes the CSB
  (test_an_error_message_establishes_no_csb);
- the answer's data type not checked (test_an_answer_with_an_initiating_data_type_is_refused);
- the answer's grammar not checked (test_an_answer_with_two_timestamps_is_refused);
- a verification message taken for an I_MESSAGE with V = 0
  (test_a_verification_message_for_v0_is_refused);
- the answer's IDr not checked (test_an_answer_from_another_responder_is_refused);
- an answer with the NULL MAC taken unverified (test_an_answer_with_the_null_mac_is_refused).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from conformance.answer_checks import ANSWERING, V0_MODES
from mikey.crypto import KemacKeys
from mikey.modes.base import Outcome
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.wire import DataType, Id, Kemac, MacAlg, Message, Verification
from tests.mutants.timing_mutants import register


class _TakesErrorMessages(PskInitiator):
    """Establishes the CSB on any answer, an Error message included."""

    def take_error(self, data: bytes, msg: Message, exchange: Exchange) -> None:
        return None

    def check_response(self, data: bytes, msg: Message, exchange: Exchange, sent: Message) -> None:
        if msg.hdr.data_type != DataType.ERROR:
            super().check_response(data, msg, exchange, sent)


def _success_on_error_messages(base: type) -> type:
    """`base` (an initiator whose receive() returns an Outcome) reporting success on any
    Error message."""

    class _TakesErrorMessages(base):  # type: ignore[misc, valid-type]
        def receive(self, data: bytes) -> Outcome:
            if len(data) > 1 and data[1] == DataType.ERROR:
                return Outcome(True, None, "answered")
            result: Outcome = super().receive(data)
            return result

    return _TakesErrorMessages


_RsaRTakesErrorMessages = _success_on_error_messages(RsaRInitiator)


class _IgnoresDataType(PskInitiator):
    def check_data_type(self, msg: Message) -> None:
        return None


class _RsaRIgnoresDataType(RsaRInitiator):
    def check_data_type(self, msg: Message) -> None:
        return None


class _IgnoresGrammar(PskInitiator):
    def check_payloads(self, msg: Message) -> None:
        return None


class _RsaRIgnoresGrammar(RsaRInitiator):
    def check_payloads(self, msg: Message) -> None:
        return None


class _TakesNullV(PskInitiator):
    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        v = msg.first(Verification)
        if v is None or v.auth_alg != MacAlg.NULL:
            super().verify_v(data, msg, sent, keys)


class _TakesNullKemacMac(DhHmacInitiator):
    def verify_mac(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        kemac = msg.first(Kemac)
        if kemac is None or kemac.mac_alg != MacAlg.NULL:
            super().verify_mac(data, msg, sent, keys)


class _IgnoresAnswerIdr(PskInitiator):
    """Reads the answer's IDr (its first ID payload) as the configured one: in its
    identity check, and in the DH method's certificate check, which binds CERTr to IDr."""

    def _configured_idr(self, msg: Message) -> Message:
        ids = [i for i, p in enumerate(msg.payloads) if isinstance(p, Id)]
        if not ids or self.settings.id_r is None:
            return msg
        payloads = list(msg.payloads)
        payloads[ids[0]] = self.settings.id_r
        return replace(msg, payloads=tuple(payloads))

    def check_identity(self, msg: Message) -> None:
        super().check_identity(self._configured_idr(msg))

    def check_certificate(self, msg: Message) -> Any:
        return super().check_certificate(self._configured_idr(msg))  # type: ignore[misc]


class _TakesAnswersToV0(PskInitiator):
    """Takes a verification message for an I_MESSAGE that asked for none (V = 0)."""

    def _awaiting(self) -> tuple[Exchange, Message]:
        exchange = self.exchange
        sent = exchange.sent if exchange is not None else None
        if exchange is not None and sent is not None and not self.awaits_response(sent):
            return exchange, sent
        return super()._awaiting()


NULL_MAC = {"PSK": _TakesNullV, "PK": _TakesNullV, "DH-HMAC": _TakesNullKemacMac}
"""The modes whose answer is MACed, and the breakage that takes it with the NULL MAC."""

for _a in ANSWERING:
    _rsar = _a.mode == "RSA-R"
    register(_a.mode, "initiator_takes_an_error_message_as_the_answer",
             _RsaRTakesErrorMessages if _rsar else _TakesErrorMessages,
             "RFC3830-5.1.2-initiator-takes-error",
             "establishes the CSB on an Error message")  # fmt: skip
    register(_a.mode, "initiator_ignores_the_answer_data_type",
             _RsaRIgnoresDataType if _rsar else _IgnoresDataType, _a.data_type_rule,
             "takes an answer of any data type")  # fmt: skip
    register(_a.mode, "initiator_ignores_the_answer_grammar",
             _RsaRIgnoresGrammar if _rsar else _IgnoresGrammar, _a.payload_rule,
             "takes an answer with any payloads")  # fmt: skip
    if _a.identity_rule is not None:
        register(_a.mode, "initiator_ignores_the_answer_idr", _IgnoresAnswerIdr,
                 _a.identity_rule, "takes an answer whose IDr names another party")  # fmt: skip
    if _a.mode in NULL_MAC and _a.mac_rule is not None:
        register(_a.mode, "initiator_takes_the_null_mac", NULL_MAC[_a.mode], _a.mac_rule,
                 "takes an answer MACed with the NULL MAC, unverified")  # fmt: skip


register("SAKKE", "initiator_takes_an_error_message_as_the_answer",
         _success_on_error_messages(SakkeInitiator),
         "RFC3830-5.1.2-initiator-takes-error", "reports success on an Error message")  # fmt: skip
for _mode in V0_MODES:
    register(_mode, "initiator_takes_a_verification_message_for_v0", _TakesAnswersToV0,
             "RFC3830-6.1-v-flag", "takes a verification message it did not ask for")  # fmt: skip
