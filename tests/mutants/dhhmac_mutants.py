"""DH-HMAC mutants (RFC 4650): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one DH-HMAC machine swapped for a
subclass that overrides one check or behaviour of mikey/modes/dhhmac_*.py. The rules
DH-HMAC shares with the DH method (the DH values, the TGK, replay) are broken once for
both modes, in dh_family_mutants.py.
"""

from __future__ import annotations

from dataclasses import replace

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair
from mikey.modes.base import Rejection
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder
from mikey.modes.dhhmac_common import r_message_identities
from mikey.modes.responder import Incoming
from mikey.wire import (
    MAC_LENGTH,
    Cert,
    CertType,
    CommonHeader,
    DataType,
    EncrAlg,
    Id,
    Kemac,
    KeyData,
    Message,
    Rand,
)
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.dh_family import DH_HMAC, with_dhi

# -- responder ---------------------------------------------------------------------------


class _TgkInClear(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        kemac = msg.payloads[-1]
        assert isinstance(kemac, Kemac)
        clear = replace(kemac, encr_data=pair.public_value[:20] if pair else b"")
        return replace(msg, payloads=(*msg.payloads[:-1], clear))


@mutant("RFC4650-4.2-kemac-no-encrypted-data", "puts data in its R_message's KEMAC Encr data")
def dhhmac_responder_fills_kemac_encr_data(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _TgkInClear)


class _OnlySentIdi(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        if len(i_message.all(Id)) >= 2:
            return msg
        id_i, _ = r_message_identities(msg)
        return replace(msg, payloads=tuple(p for p in msg.payloads if p != id_i))


@mutant("RFC4650-3-responder-includes-idi", "sends IDi only when the I_message had one")
def dhhmac_responder_echoes_only_a_sent_idi(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _OnlySentIdi)


class _NoIdr(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        _, id_r = r_message_identities(msg)
        return replace(msg, payloads=tuple(p for p in msg.payloads if p != id_r))


@mutant("RFC4650-3-idr-in-r-message", "leaves IDr out of its R_messages")
def dhhmac_responder_omits_idr(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _NoIdr)


class _CertForIdr(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        _, id_r = r_message_identities(msg)
        cert = Cert(CertType.X509V3, b"0\x03\x02\x01\x00")  # stands for IDr's certificate
        return replace(msg, payloads=tuple(cert if p == id_r else p for p in msg.payloads))


@mutant("RFC4650-4.3-id-not-certificate", "names itself with a CERT payload instead of IDr")
def dhhmac_responder_sends_a_certificate(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _CertForIdr)


class _Silent(DhHmacResponder):
    def error_reply(self, incoming: Incoming, rejection: Rejection) -> bytes | None:
        return None


@mutant("RFC4650-4.1-error-data-type", "never answers with an Error message")
def dhhmac_responder_never_sends_errors(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _Silent)


class _SkipsMac(DhHmacResponder):
    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC4650-3-hmac-coverage", "takes I_messages without checking their HMAC")
def dhhmac_responder_skips_mac(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _SkipsMac)


class _ForeignPayloads(DhHmacResponder):
    def check_payloads(self, msg: Message) -> None:
        return None


@mutant("RFC4650-4.1-no-other-payloads", "takes I_messages with any payloads")
def dhhmac_responder_accepts_foreign_payloads(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _ForeignPayloads)


# -- initiator ---------------------------------------------------------------------------


class _DhDataType(DhHmacInitiator):
    i_message_type = DataType.DH_INIT


@mutant("RFC4650-4.1-data-types", "sends its I_messages as D-H init (4), not DHHMAC init (7)")
def dhhmac_initiator_uses_the_dh_data_type(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _DhDataType)


class _AesKwKemac(DhHmacInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        msg = super()._message(hdr, rand, key_data)
        alg = self.settings.mac_alg
        kemac = Kemac(EncrAlg.AES_KW_128, b"", alg, bytes(MAC_LENGTH[alg]))
        return replace(msg, payloads=(*msg.payloads[:-1], kemac))


@mutant("RFC4650-4.2-no-aes-kw", "marks its KEMAC as AES key wrap")
def dhhmac_initiator_marks_kemac_aes_kw(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _AesKwKemac)


class _IdsAllOrNothing(DhHmacInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        msg = super()._message(hdr, rand, key_data)
        if self.settings.send_id_i:
            return msg
        return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Id)))


@mutant("RFC4650-3-initiator-includes-idr", "leaves IDr out with IDi when told to send few IDs")
def dhhmac_initiator_omits_idr(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _IdsAllOrNothing)


class _NoIdi(DhHmacInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        msg = super()._message(hdr, rand, key_data)
        ids = msg.all(Id)
        gone = ids[0] if len(ids) == 2 else None
        return replace(msg, payloads=tuple(p for p in msg.payloads if p is not gone))


@mutant("RFC4650-3-ids-in-i-message", "never sends IDi")
def dhhmac_initiator_omits_idi(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _NoIdi)


class _SkipsMacInitiator(DhHmacInitiator):
    def verify_mac(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC4650-3-hmac-coverage", "takes R_messages without checking their HMAC")
def dhhmac_initiator_skips_mac(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _SkipsMacInitiator)


class _ReusesXiOnUpdate(DhHmacInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        pair = self.key_pair
        msg = super().compose_update(csb_id, new_keys)
        if pair is None or self.key_pair is None:
            return msg
        self.key_pair = pair
        return with_dhi(msg, pair)


@mutant("RFC4650-3.1-rekey-fresh-dhi", "re-keys with the DHi of the previous exchange")
def dhhmac_initiator_reuses_dhi_on_update(profile: Profile) -> Sut:
    return DH_HMAC.sut(profile, _ReusesXiOnUpdate)
