"""CSB ID echo mutants: an initiator that takes an answer under another CSB ID than its
I_MESSAGE's (RFC 3830 6.1; RFC 4738 3.6), in every mode whose Initiator takes an answer
but PSK (whose mutant, ignores_response_csb_id, is in psk_mutants.py).

Each is killed by conformance/rfc3830/test_answers_initiator.py,
test_an_answer_for_another_csb_is_refused[<mode>], whose forged answer is MACed or
signed anew (and, in RSA-R, its KEMAC keyed with the new CSB ID), so no other check
refuses it.
"""

from __future__ import annotations

from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.wire import Message
from tests.mutants.timing_mutants import register


class _AnyCsbId(PskInitiator):
    def check_csb_id(self, msg: Message, sent: Message) -> None:
        return None


class _RsaRAnyCsbId(RsaRInitiator):
    def check_csb_id(self, msg: Message, sent: Message) -> None:
        return None


for _mode in ("PK", "DH", "DH-HMAC"):
    register(_mode, "initiator_takes_an_answer_for_another_csb", _AnyCsbId,
             "RFC3830-6.1-csb-id-echo", "takes an answer under another CSB ID")  # fmt: skip
register("RSA-R", "initiator_takes_an_answer_for_another_csb", _RsaRAnyCsbId,
         "RFC4738-3.6-csb-id", "takes an R_MESSAGE under another CSB ID")  # fmt: skip
