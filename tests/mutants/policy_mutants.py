"""Security policy mutants: a responder that takes an SP with SRTP parameters it does
not support (RFC 3830 5.3, 6.10.1; RFC 4738 3.4), in every mode but PSK (whose mutant,
takes_any_srtp_params, is in psk_param_mutants.py).

Each is killed by conformance/rfc3830/test_policies_responder.py,
test_rejects_a_security_policy_it_does_not_support[<mode>-srtp-*]; an unknown Prot type
does not decode, so those cases refuse it before any policy check.
"""

from __future__ import annotations

from mikey.modes.responder import Responder
from mikey.modes.rsar_responder import RsaRResponder
from mikey.wire import Message, SecurityPolicy
from tests.mutants.timing_mutants import register


class _AnySrtpParams(Responder):
    def check_policies(self, msg: Message) -> None:
        return None


class _RsaRTakesTheFirstPolicy(RsaRResponder):
    def choose_policies(self, msg: Message) -> tuple[SecurityPolicy, ...]:
        proposed = msg.all(SecurityPolicy)
        return proposed[:1] or super().choose_policies(msg)


PARAM_TYPES = "RFC3830-6.10.1-param-types"
for _mode in ("PK", "DH", "DH-HMAC", "SAKKE"):
    register(_mode, "takes_any_srtp_params", _AnySrtpParams, PARAM_TYPES,
             "takes SRTP policies with parameters it does not know")  # fmt: skip
register("RSA-R", "takes_any_srtp_params", _RsaRTakesTheFirstPolicy, PARAM_TYPES,
         "takes the first proposed SP, whatever its SRTP parameters")  # fmt: skip
