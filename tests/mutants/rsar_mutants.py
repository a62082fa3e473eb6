"""RSA-R mode mutants (RFC 4738): the reference initiator or responder with one rule broken."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.responder import Incoming
from mikey.modes.rsar_common import PeerChain, RsaRSettings, sign_r_message
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.rsar_responder import RsaRResponder
from mikey.modes.signing import sign_message
from mikey.pki import Usage, certificates_of
from mikey.wire import (
    Cert,
    CertType,
    CommonHeader,
    GeneralExtension,
    Id,
    Message,
    Payload,
    Rand,
    SecurityPolicy,
    decode_message,
)
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut, bindings_with, rsar_binding
from tests.mutants.bank import mutant


def with_responder(profile: Profile, cls: type[RsaRResponder]) -> Sut:
    binding = rsar_binding(responder_class=cls)
    return BuiltinSut(profile=profile, bindings=bindings_with("RSA-R", binding))


def with_initiator(profile: Profile, cls: type[RsaRInitiator]) -> Sut:
    binding = rsar_binding(initiator_class=cls)
    return BuiltinSut(profile=profile, bindings=bindings_with("RSA-R", binding))


# -- responder ---------------------------------------------------------------------------


class _SkipsSigni(RsaRResponder):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC4738-3.4-signed", "RSA-R responder: sends the TGK without checking SIGNi")
def rsar_skips_signi_check(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsSigni)


class _SkipsChain(RsaRResponder):
    def check_certificate(self, msg: Message, expected_id: Id | None) -> CertificatePublicKeyTypes:
        return certificates_of(msg.all(Cert), Usage.SIGN)[0].public_key()


@mutant("RFC3830-4.3.2-chain-validation", "RSA-R responder: trusts any CERTi")
def rsar_skips_chain_validation(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsChain)


class _SecondRand(RsaRResponder):
    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        i_rand = msg.first(Rand)
        if i_rand is None:
            return super().r_message(msg, peer_key, policies)
        # as if the I_MESSAGE had no RAND: the R_MESSAGE brings its own (3.6 forbids it)
        bare = replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Rand)))
        return super().r_message(bare, peer_key, policies)


@mutant("RFC4738-3.6-no-second-rand", "RSA-R responder: sends RAND though the initiator did")
def rsar_sends_a_second_rand(profile: Profile) -> Sut:
    return with_responder(profile, _SecondRand)


class _SignsWithoutTrailer(RsaRResponder):
    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        data, csb = super().r_message(msg, peer_key, policies)
        r_msg = decode_message(data)  # SIGNr over the message alone (RFC 3830 5.2 style)
        key = self.pk.credential.private_key()
        return sign_message(r_msg, self.pk.s_type, key, self.pk.hash_name), csb


@mutant("RFC4738-3.6-signr", "RSA-R responder: SIGNr without || IDi || IDr || T")
def rsar_signr_without_trailer(profile: Profile) -> Sut:
    return with_responder(profile, _SignsWithoutTrailer)


class _AcceptsReplays(RsaRResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None

    def check_csb(self, msg: Message) -> Csb | None:
        return None  # a replay reuses the CSB ID: let it through as well


@mutant("RFC3830-5.4-replay", "RSA-R responder: answers replayed I_MESSAGEs")
def rsar_accepts_replays(profile: Profile) -> Sut:
    return with_responder(profile, _AcceptsReplays)


class _NoUrlCerti(RsaRResponder):
    @cached_property
    def peer_chain(self) -> PeerChain:
        return PeerChain(None, self.pk.peer.chain if self.pk.peer is not None else ())


@mutant("RFC4738-3.8-url-cert", "RSA-R responder: does not fetch X.509v3 URL CERTs")
def rsar_responder_without_url_certs(profile: Profile) -> Sut:
    return with_responder(profile, _NoUrlCerti)


class _UrlFallsBackToKnownChain(RsaRResponder):
    def initiator_chain(self, msg: Message) -> tuple[x509.Certificate, ...]:
        try:
            return super().initiator_chain(msg)
        except Rejection:  # the URL did not give a certificate: the one provisioned will do
            assert self.pk.peer is not None
            return self.pk.peer.chain


@mutant("RFC4738-3.8-url-cert", "RSA-R responder: a CERTi URL that fails: the known chain")
def rsar_responder_url_falls_back(profile: Profile) -> Sut:
    return with_responder(profile, _UrlFallsBackToKnownChain)


# -- initiator ---------------------------------------------------------------------------


class _TakesSecondRand(RsaRInitiator):
    def check_rand(self, msg: Message, sent: Message) -> None:
        return None


@mutant("RFC4738-3.7-discard-rand", "RSA-R initiator: takes an R_MESSAGE with a second RAND")
def rsar_takes_a_second_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _TakesSecondRand)


class _TakesNoRand(RsaRInitiator):
    def check_rand(self, msg: Message, sent: Message) -> None:
        if msg.first(Rand) is not None and sent.first(Rand) is not None:
            super().check_rand(msg, sent)  # still drops a second RAND

    def _rand(self, msg: Message, sent: Message) -> bytes:
        rand = sent.first(Rand) or msg.first(Rand)
        return rand.rand if rand is not None else b""  # no RAND: keys the CSB without one


@mutant("RFC4738-3.7-discard-no-rand", "RSA-R initiator: takes an R_MESSAGE when no side sent RAND")
def rsar_takes_no_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _TakesNoRand)


class _TakesAnyPolicy(RsaRInitiator):
    def check_policies(self, msg: Message, sent: Message) -> None:
        return None


@mutant("RFC4738-3.7-discard-sp", "RSA-R initiator: takes a policy it did not offer")
def rsar_takes_unoffered_policies(profile: Profile) -> Sut:
    return with_initiator(profile, _TakesAnyPolicy)


class _SkipsSignr(RsaRInitiator):
    def verify_signature(
        self, data: bytes, msg: Message, sent: Message, key: CertificatePublicKeyTypes
    ) -> None:
        return None


@mutant("RFC4738-3.6-signr", "RSA-R initiator: takes the TGK without checking SIGNr")
def rsar_skips_signr_check(profile: Profile) -> Sut:
    return with_initiator(profile, _SkipsSignr)


class _ClearsV(RsaRInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        hdr: CommonHeader = replace(msg.hdr, v=False)
        return replace(msg, hdr=hdr)


@mutant("RFC4738-3.4-v-bit", "RSA-R initiator: V clear in the I_MESSAGE")
def rsar_clears_v(profile: Profile) -> Sut:
    return with_initiator(profile, _ClearsV)


class _HonoursV(RsaRResponder):
    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        answer, reason = super().process(incoming)
        msg = incoming.msg
        return (answer if msg is None or msg.hdr.v else None), reason


@mutant("RFC4738-3.4-v-bit", "RSA-R responder: no R_MESSAGE when the I_MESSAGE has V clear")
def rsar_responder_honours_v(profile: Profile) -> Sut:
    return with_responder(profile, _HonoursV)


class _NoRand(RsaRInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        payloads: tuple[Payload, ...] = tuple(p for p in msg.payloads if not isinstance(p, Rand))
        return replace(msg, payloads=payloads)


@mutant("RFC4738-3.4-rand-unicast", "RSA-R initiator: no RAND in a unicast I_MESSAGE")
def rsar_initiator_without_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _NoRand)


class _ForgetsRand(RsaRInitiator):
    @property
    def csb(self) -> Csb | None:
        csb = super().csb
        return replace(csb, rand=b"") if csb is not None else None


@mutant("RFC3830-4.1.3-tek-derivation", "RSA-R initiator: derives the TEK without the RAND")
def rsar_initiator_tek_without_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _ForgetsRand)


class _NoUrlCertr(RsaRInitiator):
    def __init__(self, settings: RsaRSettings, env: Environment | None = None) -> None:
        super().__init__(settings, env)
        self.peer_chain = PeerChain(None, self.peer_chain.known)


@mutant("RFC4738-3.8-url-cert", "RSA-R initiator: does not fetch X.509v3 URL CERTs")
def rsar_initiator_without_url_certs(profile: Profile) -> Sut:
    return with_initiator(profile, _NoUrlCertr)


class _TrustsFetchedCertr(RsaRInitiator):
    def check_certificate(self, msg: Message) -> CertificatePublicKeyTypes:
        if any(c.cert_type == CertType.X509V3_URL for c in msg.all(Cert)):
            return self._chain(msg)[0].public_key()  # fetched from the peer's URL: trusted
        return super().check_certificate(msg)


@mutant("RFC4738-3.8-url-cert", "RSA-R initiator: trusts a certificate fetched by URL unchecked")
def rsar_initiator_trusts_fetched_certs(profile: Profile) -> Sut:
    return with_initiator(profile, _TrustsFetchedCertr)


# -- group mode (RFC 4738 3.2, 3.4-3.6) ---------------------------------------------------


def resigned_without(responder: RsaRResponder, data: bytes, msg: Message, kind: type) -> bytes:
    """The responder's R_MESSAGE `data` without its `kind` payloads, SIGNr made anew."""
    r_msg = decode_message(data)
    kept = replace(r_msg, payloads=tuple(p for p in r_msg.payloads if not isinstance(p, kind)))
    pk = responder.pk
    return sign_r_message(kept, msg, pk.s_type, pk.credential.private_key(), pk.hash_name)


class _GroupWithoutRand(RsaRResponder):
    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        data, csb = super().r_message(msg, peer_key, policies)
        if msg.first(Rand) is None:
            return data, csb
        return resigned_without(self, data, msg, Rand), csb  # the unicast rule, in a group


@mutant("RFC4738-3.4-group-responder-rand", "RSA-R group responder: no RAND after a member's")
def rsar_group_without_rand(profile: Profile) -> Sut:
    return with_responder(profile, _GroupWithoutRand)


@mutant("RFC4738-3.5-multicast-rand", "RSA-R group responder: the R_MESSAGE lacks RAND")
def rsar_multicast_without_rand(profile: Profile) -> Sut:
    return with_responder(profile, _GroupWithoutRand)


class _GroupKeyedByMemberRand(RsaRResponder):
    member_rand: bytes | None = None

    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        member = msg.first(Rand)
        self.member_rand = member.rand if member is not None else None
        return super().r_message(msg, peer_key, policies)

    def group_csb(self, hdr: CommonHeader, policies: tuple[SecurityPolicy, ...]) -> Csb:
        csb = super().group_csb(hdr, policies)  # the member's RAND keys (and goes out)
        return csb if self.member_rand is None else replace(csb, rand=self.member_rand)


@mutant("RFC4738-3.4-group-rand-not-used", "RSA-R group responder: keys with the member's RAND")
def rsar_group_keyed_by_member_rand(profile: Profile) -> Sut:
    return with_responder(profile, _GroupKeyedByMemberRand)


@mutant("RFC4738-3.5-multicast-ignore-i-rand", "RSA-R group responder: takes the member's RAND")
def rsar_group_takes_member_rand(profile: Profile) -> Sut:
    return with_responder(profile, _GroupKeyedByMemberRand)


class _GroupWithoutCsbIdExt(RsaRResponder):
    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        data, csb = super().r_message(msg, peer_key, policies)
        return resigned_without(self, data, msg, GeneralExtension), csb


@mutant("RFC4738-3.6-group-csb-id-ext", "RSA-R group responder: no GenExt(CSB_ID)")
def rsar_group_without_csb_id_ext(profile: Profile) -> Sut:
    return with_responder(profile, _GroupWithoutCsbIdExt)


class _GroupPerMember(RsaRResponder):
    def group_csb(self, hdr: CommonHeader, policies: tuple[SecurityPolicy, ...]) -> Csb:
        self.group = None  # a fresh CSB for every member
        return super().group_csb(hdr, policies)


@mutant("RFC4738-3.6-group-same-csb", "RSA-R group responder: other keys for each member")
def rsar_group_csb_per_member(profile: Profile) -> Sut:
    return with_responder(profile, _GroupPerMember)


class _GroupWithoutCsMap(RsaRResponder):
    def group_csb(self, hdr: CommonHeader, policies: tuple[SecurityPolicy, ...]) -> Csb:
        return replace(super().group_csb(hdr, policies), cs_map=(), cs_count=0)


@mutant("RFC4738-3.6-group-cs-map", "RSA-R group responder: leaves the CS ID map empty")
def rsar_group_without_cs_map(profile: Profile) -> Sut:
    return with_responder(profile, _GroupWithoutCsMap)


class _MemberKeysWithHdrCsbId(RsaRInitiator):
    def check_group_csb_id(self, msg: Message) -> int:
        super().check_group_csb_id(msg)
        return msg.hdr.csb_id  # the GenExt(CSB_ID) seen, not used


@mutant("RFC4738-3.6-group-new-csb-id", "RSA-R group member: keys with the HDR's CSB ID")
def rsar_member_ignores_new_csb_id(profile: Profile) -> Sut:
    return with_initiator(profile, _MemberKeysWithHdrCsbId)


class _MemberKeysWithOwnRand(RsaRInitiator):
    def _rand(self, msg: Message, sent: Message) -> bytes:
        rand = sent.first(Rand) or msg.first(Rand)
        assert rand is not None
        return rand.rand  # the member's own RAND, as in unicast


@mutant("RFC4738-3.4-group-rand-not-used", "RSA-R group member: keys with its own RAND")
def rsar_member_keys_with_own_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _MemberKeysWithOwnRand)
