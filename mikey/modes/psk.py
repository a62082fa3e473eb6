"""The pre-shared key method of RFC 3830 (3.1): settings, initiator and responder.

    Initiator                                   Responder
    I_MESSAGE = HDR, T, RAND, [IDi], [IDr], {SP}, KEMAC  --->
                                        [<---]  R_MESSAGE = HDR, T, [IDr], V

See psk_common (settings, the verification MAC reading), psk_initiator and
psk_responder (the checks and the decisions where RFC 3830 leaves room).
"""

from mikey.modes.base import Environment, Outcome, Reply
from mikey.modes.psk_common import PskSettings, identities, message_keys, verification_trailer
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.modes.psk_responder import PskResponder

__all__ = [
    "Environment",
    "Exchange",
    "Outcome",
    "PskInitiator",
    "PskResponder",
    "PskSettings",
    "Reply",
    "identities",
    "message_keys",
    "verification_trailer",
]
