"""RSA-R initiators that take an R_MESSAGE's KEMAC they must refuse
(conformance/rfc4738/test_rsar_kemac_initiator.py)."""

from __future__ import annotations

from mikey.crypto import KemacKeys, kemac_decrypt
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.wire import Id, Kemac, KeyData, Message, Timestamp, decode_key_data_with_id
from tests.mutants.timing_mutants import register


class _SkipsKemacMac(RsaRInitiator):
    def verify_mac(self, msg: Message, keys: KemacKeys) -> None:
        return None


class _TakesNoTgk(RsaRInitiator):
    """Takes a KEMAC that decrypts to IDr alone."""

    def decrypt_kemac(
        self, msg: Message, keys: KemacKeys, csb_id: int
    ) -> tuple[Id, tuple[KeyData, ...]]:
        kemac, t = msg.all(Kemac)[0], msg.all(Timestamp)[0]
        plain = kemac_decrypt(
            kemac.encr_alg, keys, csb_id, self.timestamp_input(t), kemac.encr_data
        )
        return decode_key_data_with_id(plain)


class _TakesAnyEncryptedIdr(RsaRInitiator):
    def check_encrypted_idr(self, id_r: Id, msg: Message) -> None:
        return None


register("RSA-R", "initiator_skips_the_kemac_mac", _SkipsKemacMac, "RFC4738-3.6-kemac",
         "takes a KEMAC whose MAC does not verify")  # fmt: skip
register("RSA-R", "initiator_takes_a_kemac_without_tgk", _TakesNoTgk, "RFC4738-3.6-kemac",
         "takes a KEMAC with IDr and no TGK")  # fmt: skip
register("RSA-R", "initiator_takes_any_encrypted_idr", _TakesAnyEncryptedIdr,
         "RFC4738-3.4-idr-policy", "takes a KEMAC whose encrypted IDr is another")  # fmt: skip
