"""DH-HMAC mutants (RFC 4650): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one DH-HMAC machine swapped for a
subclass that overrides one check or behaviour of mikey/modes/dhhmac_*.py.
"""

from __future__ import annotations

from dataclasses import replace

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair, prime
from mikey.modes.base import Rejection
from mikey.modes.csb import Csb
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder
from mikey.modes.dhhmac_common import r_message_identities
from mikey.modes.responder import Incoming
from mikey.wire import (
    DH_VALUE_LENGTH,
    MAC_LENGTH,
    Cert,
    CertType,
    CommonHeader,
    DataType,
    Dh,
    DhGroup,
    EncrAlg,
    Id,
    Kemac,
    KeyData,
    Message,
    Payload,
    Rand,
)
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut, bindings_with, dhhmac_binding
from tests.mutants.bank import mutant


def with_responder(profile: Profile, cls: type[DhHmacResponder]) -> Sut:
    binding = dhhmac_binding(responder_class=cls)
    return BuiltinSut(profile=profile, bindings=bindings_with("DH-HMAC", binding))


def with_initiator(profile: Profile, cls: type[DhHmacInitiator]) -> Sut:
    binding = dhhmac_binding(initiator_class=cls)
    return BuiltinSut(profile=profile, bindings=bindings_with("DH-HMAC", binding))


def raw_secret(pair: DhKeyPair, value: bytes) -> bytes:
    """y^x mod p with no check at all: what a lax implementation computes."""
    x = pair._private.private_numbers().x
    p = prime(pair.group)
    return pow(int.from_bytes(value, "big"), x, p).to_bytes(DH_VALUE_LENGTH[pair.group], "big")


# -- responder ---------------------------------------------------------------------------


class _OwnGroup(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(DhGroup.OAKLEY_5, self.env.random)
        return pair, raw_secret(pair, dhi.value)  # OAKLEY 5, whatever DHi's group


@mutant("RFC4650-3-group-chosen-by-initiator", "answers every DHi with a DHr of OAKLEY 5")
def dhhmac_responder_answers_in_its_own_group(profile: Profile) -> Sut:
    return with_responder(profile, _OwnGroup)


class _TgkInClear(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        kemac = msg.payloads[-1]
        assert isinstance(kemac, Kemac)
        clear = replace(kemac, encr_data=pair.public_value[:20] if pair else b"")
        return replace(msg, payloads=(*msg.payloads[:-1], clear))


@mutant("RFC4650-4.2-kemac-no-encrypted-data", "puts data in its R_message's KEMAC Encr data")
def dhhmac_responder_fills_kemac_encr_data(profile: Profile) -> Sut:
    return with_responder(profile, _TgkInClear)


class _OnlySentIdi(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        if len(i_message.all(Id)) >= 2:
            return msg
        id_i, _ = r_message_identities(msg)
        return replace(msg, payloads=tuple(p for p in msg.payloads if p != id_i))


@mutant("RFC4650-3-responder-includes-idi", "sends IDi only when the I_message had one")
def dhhmac_responder_echoes_only_a_sent_idi(profile: Profile) -> Sut:
    return with_responder(profile, _OnlySentIdi)


class _NoIdr(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        _, id_r = r_message_identities(msg)
        return replace(msg, payloads=tuple(p for p in msg.payloads if p != id_r))


@mutant("RFC4650-3-idr-in-r-message", "leaves IDr out of its R_messages")
def dhhmac_responder_omits_idr(profile: Profile) -> Sut:
    return with_responder(profile, _NoIdr)


class _CertForIdr(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        _, id_r = r_message_identities(msg)
        cert = Cert(CertType.X509V3, b"0\x03\x02\x01\x00")  # stands for IDr's certificate
        return replace(msg, payloads=tuple(cert if p == id_r else p for p in msg.payloads))


@mutant("RFC4650-4.3-id-not-certificate", "names itself with a CERT payload instead of IDr")
def dhhmac_responder_sends_a_certificate(profile: Profile) -> Sut:
    return with_responder(profile, _CertForIdr)


class _AnyDhi(DhHmacResponder):
    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        return msg.first(Dh)

    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, self.env.random)
        return pair, raw_secret(pair, dhi.value)


@mutant("RFC4650-1.1-dh-value-in-group", "takes any DHi, even 0, 1, p-1 or >= p")
def dhhmac_responder_accepts_any_dh_value(profile: Profile) -> Sut:
    return with_responder(profile, _AnyDhi)


class _Silent(DhHmacResponder):
    def error_reply(self, incoming: Incoming, rejection: Rejection) -> bytes | None:
        return None


@mutant("RFC4650-4.1-error-data-type", "never answers with an Error message")
def dhhmac_responder_never_sends_errors(profile: Profile) -> Sut:
    return with_responder(profile, _Silent)


class _SkipsMac(DhHmacResponder):
    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC4650-3-hmac-coverage", "takes I_messages without checking their HMAC")
def dhhmac_responder_skips_mac(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsMac)


class _ForeignPayloads(DhHmacResponder):
    def check_payloads(self, msg: Message) -> None:
        return None


@mutant("RFC4650-4.1-no-other-payloads", "takes I_messages with any payloads")
def dhhmac_responder_accepts_foreign_payloads(profile: Profile) -> Sut:
    return with_responder(profile, _ForeignPayloads)


class _NoReplayCache(DhHmacResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@mutant("RFC4650-5.3-replay-protection", "has no replay cache check")
def dhhmac_responder_accepts_replays(profile: Profile) -> Sut:
    return with_responder(profile, _NoReplayCache)


class _NoClock(DhHmacResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@mutant("RFC4650-5.3-replay-protection", "takes any timestamp, however old")
def dhhmac_responder_ignores_the_clock(profile: Profile) -> Sut:
    return with_responder(profile, _NoClock)


_STATIC_X = bytes(range(1, 193))


class _StaticXr(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, lambda n: _STATIC_X[:n])
        return pair, pair.shared_secret(dhi.value)


@mutant("RFC4650-5.3-dh-secret-random", "uses the same xr in every exchange")
def dhhmac_responder_reuses_xr(profile: Profile) -> Sut:
    return with_responder(profile, _StaticXr)


class _OldDhOnPlainUpdate(DhHmacResponder):
    previous: tuple[Payload, ...] = ()

    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        dh = tuple(msg.all(Dh))
        if dh:
            self.previous = dh
            return msg
        return replace(msg, payloads=(*msg.payloads[:-1], *self.previous, msg.payloads[-1]))


@mutant("RFC4650-3.1-update-without-dh", "answers an update without DHi with the old DHr, DHi")
def dhhmac_responder_repeats_dh_on_plain_update(profile: Profile) -> Sut:
    return with_responder(profile, _OldDhOnPlainUpdate)


class _ShortTgk(DhHmacResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        pair, tgk = super().agree(dhi)
        return pair, tgk[:16] if tgk else tgk


@mutant("RFC4650-3-tgk-processing", "keeps only the first 16 bytes of g^(xi*xr) as TGK")
def dhhmac_responder_truncates_the_tgk(profile: Profile) -> Sut:
    return with_responder(profile, _ShortTgk)


# -- initiator ---------------------------------------------------------------------------


class _DhDataType(DhHmacInitiator):
    i_message_type = DataType.DH_INIT


@mutant("RFC4650-4.1-data-types", "sends its I_messages as D-H init (4), not DHHMAC init (7)")
def dhhmac_initiator_uses_the_dh_data_type(profile: Profile) -> Sut:
    return with_initiator(profile, _DhDataType)


class _NoRand(DhHmacInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, (), key_data)


@mutant("RFC4650-3-i-message-payloads", "sends initial I_messages without RAND")
def dhhmac_initiator_omits_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _NoRand)


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
    return with_initiator(profile, _AesKwKemac)


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
    return with_initiator(profile, _IdsAllOrNothing)


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
    return with_initiator(profile, _NoIdi)


class _StaticXi(DhHmacInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        self.key_pair = DhKeyPair.generate(self.settings.group, lambda n: _STATIC_X[:n])
        return self._with_dhi(msg)

    def _with_dhi(self, msg: Message) -> Message:
        assert self.key_pair is not None
        dhi = Dh(self.key_pair.group, self.key_pair.public_value)
        return replace(msg, payloads=tuple(dhi if isinstance(p, Dh) else p for p in msg.payloads))


@mutant("RFC4650-5.3-dh-secret-random", "uses the same xi in every I_message")
def dhhmac_initiator_reuses_xi(profile: Profile) -> Sut:
    return with_initiator(profile, _StaticXi)


class _ShortTgkInitiator(DhHmacInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        tgk = super().check_dh(msg, sent)
        return tgk[:16] if tgk else tgk


@mutant("RFC4650-3-tgk-processing", "keeps only the first 16 bytes of g^(xi*xr) as TGK")
def dhhmac_initiator_truncates_the_tgk(profile: Profile) -> Sut:
    return with_initiator(profile, _ShortTgkInitiator)


class _SkipsMacInitiator(DhHmacInitiator):
    def verify_mac(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC4650-3-hmac-coverage", "takes R_messages without checking their HMAC")
def dhhmac_initiator_skips_mac(profile: Profile) -> Sut:
    return with_initiator(profile, _SkipsMacInitiator)


class _LaxDh(DhHmacInitiator):
    """Reads DHr as a number in its own group, whatever DH-Group says, and checks nothing."""

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        dh = msg.all(Dh)
        if self.key_pair is None or len(dh) != 2:
            return super().check_dh(msg, sent)
        return raw_secret(self.key_pair, dh[0].value)


@mutant("RFC4650-1.1-dh-value-in-group", "takes any DHr, in any group, even 0, 1 or p-1")
def dhhmac_initiator_accepts_any_dhr(profile: Profile) -> Sut:
    return with_initiator(profile, _LaxDh)


class _IgnoresEcho(DhHmacInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        ours = sent.first(Dh)
        dh = [i for i, p in enumerate(msg.payloads) if isinstance(p, Dh)]
        if ours is not None and len(dh) == 2:
            payloads = list(msg.payloads)
            payloads[dh[1]] = ours  # as if the echoed DHi were ours, whatever it is
            msg = replace(msg, payloads=tuple(payloads))
        return super().check_dh(msg, sent)


@mutant("RFC4650-3-r-message-payloads", "does not check that the R_message echoes its DHi")
def dhhmac_initiator_ignores_the_echoed_dhi(profile: Profile) -> Sut:
    return with_initiator(profile, _IgnoresEcho)


class _IgnoresIdi(DhHmacInitiator):
    def check_identity(self, msg: Message) -> None:
        return None


@mutant("RFC4650-3-responder-includes-idi", "takes R_messages without or with another IDi")
def dhhmac_initiator_ignores_idi(profile: Profile) -> Sut:
    return with_initiator(profile, _IgnoresIdi)


class _ReusesXiOnUpdate(DhHmacInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        pair = self.key_pair
        msg = super().compose_update(csb_id, new_keys)
        if pair is None or self.key_pair is None:
            return msg
        self.key_pair = pair
        dhi = Dh(pair.group, pair.public_value)
        return replace(msg, payloads=tuple(dhi if isinstance(p, Dh) else p for p in msg.payloads))


@mutant("RFC4650-3.1-rekey-fresh-dhi", "re-keys with the DHi of the previous exchange")
def dhhmac_initiator_reuses_dhi_on_update(profile: Profile) -> Sut:
    return with_initiator(profile, _ReusesXiOnUpdate)
