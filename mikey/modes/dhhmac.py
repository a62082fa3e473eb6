"""HMAC-authenticated Diffie-Hellman for MIKEY (RFC 4650): settings, initiator, responder.

    Initiator                                   Responder
    I_message = HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC  --->
                            <---  R_message = HDR, T, [IDr], IDi, DHr, DHi, KEMAC

See dhhmac_common (settings and the readings where RFC 4650 leaves room),
dhhmac_initiator and dhhmac_responder (the checks), mikey.crypto.dh (the groups).
"""

from mikey.modes.dhhmac_common import (
    DhHmacSettings,
    i_message_identities,
    r_message_identities,
)
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.dhhmac_responder import DhHmacResponder

__all__ = [
    "DhHmacInitiator",
    "DhHmacResponder",
    "DhHmacSettings",
    "i_message_identities",
    "r_message_identities",
]
