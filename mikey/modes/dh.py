"""The Diffie-Hellman method of RFC 3830 (3.3): settings, initiator and responder.

    Initiator                                              Responder
    I_MESSAGE = HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi  --->
                            <---  R_MESSAGE = HDR, T, [IDr|CERTr], IDi, DHr, DHi, SIGNr

See dh_common (settings, readings), dh_initiator and dh_responder (the checks);
the machines are DH-HMAC's (RFC 4650) with signatures instead of HMACs.
"""

from mikey.modes.dh_common import DhSettings
from mikey.modes.dh_initiator import DhInitiator
from mikey.modes.dh_responder import DhResponder

__all__ = ["DhInitiator", "DhResponder", "DhSettings"]
