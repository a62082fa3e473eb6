"""DH method mutants (RFC 3830 3.3): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one DH machine swapped for a subclass
that overrides one check or behaviour of mikey/modes/dh_*.py (or of the DH-HMAC
machines they stand on).
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair
from mikey.modes.base import Environment
from mikey.modes.csb import Csb
from mikey.modes.dh import DhInitiator, DhResponder, DhSettings
from mikey.modes.responder import Incoming
from mikey.pki import Usage, certificates_of
from mikey.wire import (
    Cert,
    CommonHeader,
    Dh,
    DhGroup,
    KeyData,
    Message,
    Rand,
    SignType,
    Timestamp,
)
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut, bindings_with, dh_binding
from tests.mutants.bank import mutant
from tests.mutants.dhhmac_mutants import raw_secret

_STATIC_X = bytes(range(2, 194))


def with_responder(profile: Profile, cls: type[DhResponder]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("DH", dh_binding(responder_class=cls))
    )


def with_initiator(profile: Profile, cls: type[DhInitiator]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("DH", dh_binding(initiator_class=cls))
    )


# -- responder ---------------------------------------------------------------------------


class _OwnGroup(DhResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(DhGroup.OAKLEY_5, self.env.random)
        return pair, raw_secret(pair, dhi.value)  # OAKLEY 5, whatever DHi's group


@mutant("RFC3830-3.3-group-chosen-by-initiator", "answers every DHi with a DHr of OAKLEY 5")
def dh_responder_answers_in_its_own_group(profile: Profile) -> Sut:
    return with_responder(profile, _OwnGroup)


class _OwnTimestamp(DhResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        t = self.env.timestamp()
        return replace(
            msg, payloads=tuple(t if isinstance(p, Timestamp) else p for p in msg.payloads)
        )


@mutant("RFC3830-3.3-responder-timestamp", "stamps its R_MESSAGE with a timestamp of its own")
def dh_responder_uses_its_own_timestamp(profile: Profile) -> Sut:
    return with_responder(profile, _OwnTimestamp)


class _HonoursV(DhResponder):
    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        answer, reason = super().process(incoming)
        msg = incoming.msg
        return (answer if msg is None or msg.hdr.v else None), reason


@mutant("RFC3830-6.1-v-ignored-dh", "sends no R_MESSAGE when the I_MESSAGE has V=0")
def dh_responder_honours_the_v_flag(profile: Profile) -> Sut:
    return with_responder(profile, _HonoursV)


class _StaticXr(DhResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, lambda n: _STATIC_X[:n])
        return pair, pair.shared_secret(dhi.value)


@mutant("RFC3830-3.3-dh-xr-random", "uses the same xr in every exchange")
def dh_responder_reuses_xr(profile: Profile) -> Sut:
    return with_responder(profile, _StaticXr)


class _SkipsSignature(DhResponder):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC3830-5.3-verify-mac", "takes I_MESSAGEs without verifying SIGNi")
def dh_responder_skips_the_signature(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsSignature)


class _AnyDhi(DhResponder):
    def check_dh(self, msg: Message, prior: Csb | None) -> Dh | None:
        return msg.first(Dh)

    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        if dhi is None:
            return None, None
        pair = DhKeyPair.generate(dhi.group, self.env.random)
        return pair, raw_secret(pair, dhi.value)


@mutant("RFC3830-3.3-dh-value-in-group", "takes any DHi, even 0, 1, p-1 or >= p")
def dh_responder_accepts_any_dh_value(profile: Profile) -> Sut:
    return with_responder(profile, _AnyDhi)


class _TrustsAnyCertificate(DhResponder):
    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        return certificates_of(msg.all(Cert), Usage.SIGN)[0].public_key()


@mutant("RFC3830-4.3.2-chain-validation", "takes the key of CERTi without checking the chain")
def dh_responder_trusts_any_certificate(profile: Profile) -> Sut:
    return with_responder(profile, _TrustsAnyCertificate)


class _Pkcs1Only(DhResponder):
    def __init__(self, dh: DhSettings, env: Environment | None = None) -> None:
        only = frozenset({SignType.RSA_PKCS1_1_5})
        super().__init__(replace(dh, accepted_s_types=only), env)


@mutant("RFC3830-4.2.6-rsa-pss", "takes only RSA PKCS#1 v1.5 signatures, not RSA-PSS")
def dh_responder_refuses_pss(profile: Profile) -> Sut:
    return with_responder(profile, _Pkcs1Only)


class _NoReplayCache(DhResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-replay", "has no replay cache check")
def dh_responder_accepts_replays(profile: Profile) -> Sut:
    return with_responder(profile, _NoReplayCache)


class _NoClock(DhResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-timestamp-window", "takes any timestamp, however old")
def dh_responder_ignores_the_clock(profile: Profile) -> Sut:
    return with_responder(profile, _NoClock)


class _OldDhOnPlainUpdate(DhResponder):
    previous: tuple[Dh, ...] = ()

    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        dh = tuple(msg.all(Dh))
        if dh:
            self.previous = dh
            return msg
        return replace(msg, payloads=(*msg.payloads[:-1], *self.previous, msg.payloads[-1]))


@mutant("RFC3830-4.5-dh-update-no-dhr", "answers an update without DHi with the old DHr, DHi")
def dh_responder_repeats_dh_on_plain_update(profile: Profile) -> Sut:
    return with_responder(profile, _OldDhOnPlainUpdate)


class _NoDhOnUpdate(DhResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        if i_message.first(Rand) is not None:
            return msg
        return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Dh)))


@mutant("RFC3830-4.5-dh-update-dhr", "answers every update without DHr and DHi")
def dh_responder_drops_dh_on_update(profile: Profile) -> Sut:
    return with_responder(profile, _NoDhOnUpdate)


class _ShortTgk(DhResponder):
    def agree(self, dhi: Dh | None) -> tuple[DhKeyPair | None, bytes | None]:
        pair, tgk = super().agree(dhi)
        return pair, tgk[:16] if tgk else tgk


@mutant("RFC3830-3.3-tgk-dh", "keeps only the first 16 bytes of g^(xi*xr) as TGK")
def dh_responder_truncates_the_tgk(profile: Profile) -> Sut:
    return with_responder(profile, _ShortTgk)


# -- initiator ---------------------------------------------------------------------------


class _NoRand(DhInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, (), key_data)


@mutant("RFC3830-3-rand-in-initial-message", "sends initial I_MESSAGEs without RAND")
def dh_initiator_omits_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _NoRand)


class _StaticXi(DhInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        self.key_pair = DhKeyPair.generate(self.settings.group, lambda n: _STATIC_X[:n])
        dhi = Dh(self.key_pair.group, self.key_pair.public_value)
        return replace(msg, payloads=tuple(dhi if isinstance(p, Dh) else p for p in msg.payloads))


@mutant("RFC3830-3.3-dh-xi-random", "uses the same xi in every I_MESSAGE")
def dh_initiator_reuses_xi(profile: Profile) -> Sut:
    return with_initiator(profile, _StaticXi)


class _SkipsSignatureInitiator(DhInitiator):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC3830-3.3-r-message-payloads", "takes R_MESSAGEs without verifying SIGNr")
def dh_initiator_skips_the_signature(profile: Profile) -> Sut:
    return with_initiator(profile, _SkipsSignatureInitiator)


class _LaxDh(DhInitiator):
    """Reads DHr as a number in its own group, whatever DH-Group says, and checks nothing."""

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        dh = msg.all(Dh)
        if self.key_pair is None or len(dh) != 2:
            return super().check_dh(msg, sent)
        return raw_secret(self.key_pair, dh[0].value)


@mutant("RFC3830-3.3-dh-value-in-group", "takes any DHr, in any group, even 0, 1 or p-1")
def dh_initiator_accepts_any_dhr(profile: Profile) -> Sut:
    return with_initiator(profile, _LaxDh)


class _GroupBlind(DhInitiator):
    """Takes a DHr of another group as a number in its own group, but checks the range."""

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        dh = msg.all(Dh)
        ours = sent.first(Dh)
        if ours is not None and len(dh) == 2 and dh[0].group != ours.group:
            value = int.from_bytes(dh[0].value, "big").to_bytes(len(ours.value), "big")
            msg = replace(
                msg,
                payloads=tuple(Dh(ours.group, value) if p is dh[0] else p for p in msg.payloads),
            )
        return super().check_dh(msg, sent)


@mutant("RFC3830-3.3-group-chosen-by-initiator", "takes a DHr of another group than its DHi")
def dh_initiator_ignores_the_dhr_group(profile: Profile) -> Sut:
    return with_initiator(profile, _GroupBlind)


class _ShortTgkInitiator(DhInitiator):
    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        tgk = super().check_dh(msg, sent)
        return tgk[:16] if tgk else tgk


@mutant("RFC3830-3.3-tgk-dh", "keeps only the first 16 bytes of g^(xi*xr) as TGK")
def dh_initiator_truncates_the_tgk(profile: Profile) -> Sut:
    return with_initiator(profile, _ShortTgkInitiator)


class _TrustsAnyCertificateInitiator(DhInitiator):
    def authenticate(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        key = certificates_of(msg.all(Cert), Usage.SIGN)[0].public_key()
        self.verify_signature(data, msg, key)


@mutant("RFC3830-4.3.2-chain-validation", "takes the key of CERTr without checking the chain")
def dh_initiator_trusts_any_certificate(profile: Profile) -> Sut:
    return with_initiator(profile, _TrustsAnyCertificateInitiator)


class _RandInUpdate(DhInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, rand or (Rand(self.env.random(16)),), key_data)


@mutant("RFC3830-4.5-update-dh", "sends a new RAND in its update messages")
def dh_initiator_sends_rand_in_updates(profile: Profile) -> Sut:
    return with_initiator(profile, _RandInUpdate)
