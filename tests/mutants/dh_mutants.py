"""DH method mutants (RFC 3830 3.3): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one DH machine swapped for a subclass
that overrides one check or behaviour of mikey/modes/dh_*.py. The rules DH shares
with DH-HMAC (the DH values, the TGK, replay) are broken once for both modes, in
dh_family_mutants.py.
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys
from mikey.crypto.dh import DhKeyPair
from mikey.modes.base import Environment
from mikey.modes.dh import DhInitiator, DhResponder, DhSettings
from mikey.modes.responder import Incoming
from mikey.pki import Usage, certificates_of
from mikey.wire import (
    Cert,
    CommonHeader,
    Dh,
    KeyData,
    Message,
    Rand,
    SignType,
    Timestamp,
)
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.dh_family import DH

# -- responder ---------------------------------------------------------------------------


class _OwnTimestamp(DhResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        t = self.env.timestamp()
        return replace(
            msg, payloads=tuple(t if isinstance(p, Timestamp) else p for p in msg.payloads)
        )


@mutant("RFC3830-3.3-responder-timestamp", "stamps its R_MESSAGE with a timestamp of its own")
def dh_responder_uses_its_own_timestamp(profile: Profile) -> Sut:
    return DH.sut(profile, _OwnTimestamp)


class _HonoursV(DhResponder):
    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        answer, reason = super().process(incoming)
        msg = incoming.msg
        return (answer if msg is None or msg.hdr.v else None), reason


@mutant("RFC3830-6.1-v-ignored-dh", "sends no R_MESSAGE when the I_MESSAGE has V=0")
def dh_responder_honours_the_v_flag(profile: Profile) -> Sut:
    return DH.sut(profile, _HonoursV)


class _SkipsSignature(DhResponder):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC3830-5.3-verify-mac", "takes I_MESSAGEs without verifying SIGNi")
def dh_responder_skips_the_signature(profile: Profile) -> Sut:
    return DH.sut(profile, _SkipsSignature)


class _TrustsAnyCertificate(DhResponder):
    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        return certificates_of(msg.all(Cert), Usage.SIGN)[0].public_key()


@mutant("RFC3830-4.3.2-chain-validation", "takes the key of CERTi without checking the chain")
def dh_responder_trusts_any_certificate(profile: Profile) -> Sut:
    return DH.sut(profile, _TrustsAnyCertificate)


class _Pkcs1Only(DhResponder):
    def __init__(self, dh: DhSettings, env: Environment | None = None) -> None:
        only = frozenset({SignType.RSA_PKCS1_1_5})
        super().__init__(replace(dh, accepted_s_types=only), env)


@mutant("RFC3830-4.2.6-rsa-pss", "takes only RSA PKCS#1 v1.5 signatures, not RSA-PSS")
def dh_responder_refuses_pss(profile: Profile) -> Sut:
    return DH.sut(profile, _Pkcs1Only)


class _NoDhOnUpdate(DhResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        msg = super().compose_response(i_message, pair)
        if i_message.first(Rand) is not None:
            return msg
        return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Dh)))


@mutant("RFC3830-4.5-dh-update-dhr", "answers every update without DHr and DHi")
def dh_responder_drops_dh_on_update(profile: Profile) -> Sut:
    return DH.sut(profile, _NoDhOnUpdate)


# -- initiator ---------------------------------------------------------------------------


class _SkipsSignatureInitiator(DhInitiator):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC3830-3.3-r-message-payloads", "takes R_MESSAGEs without verifying SIGNr")
def dh_initiator_skips_the_signature(profile: Profile) -> Sut:
    return DH.sut(profile, _SkipsSignatureInitiator)


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
    return DH.sut(profile, _GroupBlind)


class _TrustsAnyCertificateInitiator(DhInitiator):
    def authenticate(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        key = certificates_of(msg.all(Cert), Usage.SIGN)[0].public_key()
        self.verify_signature(data, msg, key)


@mutant("RFC3830-4.3.2-chain-validation", "takes the key of CERTr without checking the chain")
def dh_initiator_trusts_any_certificate(profile: Profile) -> Sut:
    return DH.sut(profile, _TrustsAnyCertificateInitiator)


class _RandInUpdate(DhInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, rand or (Rand(self.env.random(16)),), key_data)


@mutant("RFC3830-4.5-update-dh", "sends a new RAND in its update messages")
def dh_initiator_sends_rand_in_updates(profile: Profile) -> Sut:
    return DH.sut(profile, _RandInUpdate)
