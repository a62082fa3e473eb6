"""DH-family parties that take what RFC 4650 3 and 4.2 (and RFC 3830 3.3) refuse
(conformance/rfc4650/test_dhhmac_refusals.py, and the DH family's initial message
without DHi in conformance/rfc3830/test_refusals_responder.py); registered per mode with
timing_mutants.register."""

from __future__ import annotations

from dataclasses import replace

from mikey.crypto import KemacKeys
from mikey.modes.base import Rejection
from mikey.modes.csb import Csb
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.dhhmac_responder import DhHmacResponder
from mikey.modes.psk_responder import PskResponder
from mikey.modes.sealing import verify
from mikey.wire import Dh, ErrorNo, Id, Kemac, Message
from tests.mutants.timing_mutants import register


class _TakesNoIdr(DhHmacResponder):
    """Checks the payloads as if IDr were there when no ID payload is."""

    def check_payloads(self, msg: Message) -> None:
        if not msg.all(Id) and self.settings.id_r is not None:
            msg = replace(msg, payloads=(msg.payloads[0], self.settings.id_r, *msg.payloads[1:]))
        super().check_payloads(msg)


class _TakesKemacAnywhere(DhHmacResponder):
    """Checks the payloads as if KEMAC were last."""

    def check_payloads(self, msg: Message) -> None:
        kemac = [p for p in msg.payloads if isinstance(p, Kemac)]
        rest = [p for p in msg.payloads if not isinstance(p, Kemac)]
        super().check_payloads(replace(msg, payloads=(*rest, *kemac)))


class _TakesEncryptedData(DhHmacResponder):
    def check_algorithms(self, msg: Message) -> None:
        PskResponder.check_algorithms(self, msg)


class _TakesEncryptedDataAnswer(DhHmacInitiator):
    """verify_mac without its Encr data rule: the MAC alg and the MAC only."""

    def verify_mac(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        kemac, ours = msg.all(Kemac), sent.all(Kemac)
        same_alg = bool(kemac and ours) and kemac[-1].mac_alg == ours[-1].mac_alg
        if not same_alg or not verify(data, msg, keys.auth_key):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the MAC does not verify")


class _TakesNoDhi(DhHmacResponder):
    """Takes an initial message without DHi (and agrees on no TGK)."""

    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        if msg.first(Dh) is None:
            return None
        return super().check_dh(msg, prior)


register("DH-HMAC", "responder_takes_an_i_message_without_ids", _TakesNoIdr,
         "RFC4650-3-initiator-includes-idr", "takes an I_message without IDr")  # fmt: skip
register("DH-HMAC", "responder_takes_kemac_anywhere", _TakesKemacAnywhere,
         "RFC4650-4.2-kemac-last", "takes an I_message whose KEMAC is not last")  # fmt: skip
register("DH-HMAC", "responder_takes_kemac_encr_data", _TakesEncryptedData,
         "RFC4650-4.2-kemac-no-encrypted-data", "takes Encr data in the KEMAC")  # fmt: skip
register("DH-HMAC", "initiator_takes_kemac_encr_data", _TakesEncryptedDataAnswer,
         "RFC4650-4.2-kemac-no-encrypted-data", "takes an R_message with Encr data")  # fmt: skip
register("DH-HMAC", "responder_takes_no_dhi", _TakesNoDhi, "RFC4650-3-i-message-payloads",
         "takes an initial I_message without DHi")  # fmt: skip
register("DH", "responder_takes_no_dhi", _TakesNoDhi, "RFC3830-3.3-i-message-payloads",
         "takes an initial I_MESSAGE without DHi")  # fmt: skip
