"""Error number mutants: a responder that refuses an unsupported data type, PRF, KEMAC
Encr alg or SP Prot type but names Unspecified error instead of Invalid DT, Invalid PRF,
Invalid EA or Invalid SP (RFC 3830 5.1.2, 6.12), in every mode but PSK (whose mutant,
unspecified_error_numbers, is in psk_mutants.py).

Each is killed by conformance/rfc3830/test_parameters_responder.py,
test_an_unsupported_parameter_gets_the_matching_error[<mode>-<fault>], and
test_policies_responder.py, test_rejects_a_security_policy_it_does_not_support[<mode>-
prot-type-7] (MIKEY-SAKKE by the latter only).
"""

from __future__ import annotations

from mikey.modes.base import Rejection
from mikey.modes.responder import Responder
from mikey.wire import ErrorNo, Message
from tests.mutants.timing_mutants import register

NAMED = frozenset({ErrorNo.INVALID_DT, ErrorNo.INVALID_PRF, ErrorNo.INVALID_EA, ErrorNo.INVALID_SP})


class _UnspecifiedParameterErrors(Responder):
    def decode(self, data: bytes) -> Message:
        try:
            return super().decode(data)
        except Rejection as rejection:
            if rejection.error in NAMED:
                raise Rejection(ErrorNo.UNSPECIFIED, rejection.reason) from None
            raise


WHAT = "answers an unsupported data type, PRF, Encr alg or Prot type with Unspecified error"
for _mode in ("PK", "DH", "DH-HMAC", "RSA-R", "SAKKE"):
    register(_mode, "names_unsupported_parameters_unspecified", _UnspecifiedParameterErrors,
             "RFC3830-6.12-error-numbers", WHAT)  # fmt: skip
