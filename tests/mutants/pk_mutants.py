"""PK mode mutants (RFC 3830 3.2): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one PK machine swapped for a
subclass that overrides exactly one check or behaviour of mikey/modes/pk_*.
`breaks` names the requirement whose test must fail against it.
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto import KemacKeys, mac
from mikey.modes.base import Rejection
from mikey.modes.csb import Csb
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_common import message_keys
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Incoming
from mikey.pki import CertificateError, Usage, certificates_of, load_certificate
from mikey.wire import (
    Cert,
    CertType,
    Chash,
    CommonHeader,
    ErrorNo,
    Id,
    Kemac,
    KeyData,
    Message,
    PayloadType,
    Rand,
    SignType,
    Timestamp,
    encode_key_data,
    encode_payload,
)
from suts.base import Capabilities, Profile, Sut
from suts.builtin import BuiltinSut, bindings_with, pk_binding
from tests.mutants.bank import mutant


def with_responder(profile: Profile, cls: type[PkResponder]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("PK", pk_binding(responder_class=cls))
    )


def with_initiator(profile: Profile, cls: type[PkInitiator]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("PK", pk_binding(initiator_class=cls))
    )


# -- responder ---------------------------------------------------------------------------


class _SkipsSignature(PkResponder):
    def verify_signature(self, data: bytes, msg: Message, key: CertificatePublicKeyTypes) -> None:
        return None


@mutant("RFC3830-5.3-verify-mac", "PK responder: takes SIGNi without verifying it")
def pk_skips_signature_check(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsSignature)


class _SkipsChainValidation(PkResponder):
    def check_certificate(self, msg: Message, expected_id: Id | None) -> CertificatePublicKeyTypes:
        chain = certificates_of(msg.all(Cert), Usage.SIGN)
        return chain[0].public_key()  # no validity, key usage, chain or identity check


@mutant("RFC3830-4.3.2-chain-validation", "PK responder: uses CERTi's key without validating it")
def pk_skips_chain_validation(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsChainValidation)


class _FallsBackOnBadDer(PkResponder):
    def check_certificate(self, msg: Message, expected_id: Id | None) -> CertificatePublicKeyTypes:
        try:
            for cert in msg.all(Cert):
                load_certificate(cert.data)
        except CertificateError:  # a CERT that is not DER: use the known chain instead
            msg = replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Cert)))
        return super().check_certificate(msg, expected_id)


@mutant("RFC3830-6.7-cert-der", "PK responder: ignores a CERT that is not DER")
def pk_ignores_undecodable_certificates(profile: Profile) -> Sut:
    return with_responder(profile, _FallsBackOnBadDer)


class _SkipsKemacMac(PkResponder):
    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC3830-6.2-pk-mac-coverage", "PK responder: does not check the KEMAC MAC")
def pk_skips_kemac_mac(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsKemacMac)


class _SkipsEncryptedIdi(PkResponder):
    def check_encrypted_idi(self, id_i: Id, expected: Id | None, msg: Message) -> None:
        return None


@mutant("RFC3830-3.2-encrypted-idi-verify", "PK responder: never compares the encrypted IDi")
def pk_skips_encrypted_idi_check(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsEncryptedIdi)


class _AcceptsReplays(PkResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-replay", "PK responder: has no replay cache check")
def pk_accepts_replays(profile: Profile) -> Sut:
    return with_responder(profile, _AcceptsReplays)


class _IgnoresTimestamp(PkResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-timestamp-window", "PK responder: takes outdated timestamps")
def pk_ignores_timestamp(profile: Profile) -> Sut:
    return with_responder(profile, _IgnoresTimestamp)


class _LoosePayloads(PkResponder):
    def check_payloads(self, msg: Message) -> None:
        return None


@mutant("RFC3830-3.2-i-message-payloads", "PK responder: does not check the I_MESSAGE payloads")
def pk_loose_payload_check(profile: Profile) -> Sut:
    return with_responder(profile, _LoosePayloads)


class _AlwaysVerifies(PkResponder):
    def verification_message(self, msg: Message, keys: KemacKeys) -> bytes | None:
        return self.reseal_verification(self.compose_response(msg), msg, keys)


@mutant("RFC3830-6.1-v-flag", "PK responder: sends a verification message even with V=0")
def pk_ignores_v_flag(profile: Profile) -> Sut:
    return with_responder(profile, _AlwaysVerifies)


class _Pkcs1Only(PkResponder):
    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        self.pk = replace(self.pk, accepted_s_types=frozenset({SignType.RSA_PKCS1_1_5}))
        return super().process(incoming)


@mutant("RFC3830-4.2.6-rsa-pss", "PK responder: refuses RSA/PSS signatures")
def pk_refuses_pss(profile: Profile) -> Sut:
    return with_responder(profile, _Pkcs1Only)


class _ForgetsRand(PkResponder):
    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        csb = replace(super().establish(msg, key_data, prior), rand=b"")
        self.csbs[csb.csb_id] = self.last_csb = csb
        return csb


@mutant("RFC3830-4.1.3-tek-derivation", "PK responder: derives the TEK without the RAND")
def pk_responder_tek_without_rand(profile: Profile) -> Sut:
    return with_responder(profile, _ForgetsRand)


class _NoUpdates(PkResponder):
    def check_csb(self, msg: Message) -> Csb | None:
        if msg.first(Rand) is None:
            raise Rejection(ErrorNo.UNSPECIFIED, "updates not taken")
        return super().check_csb(msg)


@mutant("RFC3830-4.5-update-pk", "PK responder: refuses every update message")
def pk_refuses_updates(profile: Profile) -> Sut:
    return with_responder(profile, _NoUpdates)


class _RefusesChash(PkResponder):
    def check_chash(self, msg: Message) -> None:
        if msg.first(Chash) is not None:
            raise Rejection(ErrorNo.UNSPECIFIED, "CHASH not implemented")


class _SaysItTakesNoChash(BuiltinSut):
    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), takes_chash=False)


@mutant(
    "RFC3830-3.2-i-message-payloads",
    "PK responder: refuses an I_MESSAGE with the optional CHASH, and declares takes_chash "
    "False (so only the CHASH test may catch it)",
)
def pk_refuses_chash(profile: Profile) -> Sut:
    return _SaysItTakesNoChash(
        profile=profile, bindings=bindings_with("PK", pk_binding(responder_class=_RefusesChash))
    )


# -- initiator ---------------------------------------------------------------------------


class _MacOverNextPayload(PkInitiator):
    def kemac_for(self, csb_id: int, t: Timestamp, plain: bytes) -> Kemac:
        kemac = super().kemac_for(csb_id, t, plain)
        keys = self._current().keys
        covered = encode_payload(kemac, PayloadType.CHASH)[: -len(kemac.mac)]
        return replace(kemac, mac=mac(kemac.mac_alg, keys.auth_key, covered))


@mutant("RFC3830-5.2-pk-mac-next-payload-zero", "PK initiator: KEMAC MAC over its Next payload")
def pk_kemac_mac_over_next_payload(profile: Profile) -> Sut:
    return with_initiator(profile, _MacOverNextPayload)


class _KemacWithoutIdi(PkInitiator):
    def kemac_for(self, csb_id: int, t: Timestamp, plain: bytes) -> Kemac:
        csb = self._current().csb
        return super().kemac_for(csb_id, t, encode_key_data(csb.key_data))  # PSK-style


@mutant("RFC3830-6.2-pk-idi-first", "PK initiator: KEMAC without the encrypted IDi")
def pk_kemac_without_idi(profile: Profile) -> Sut:
    return with_initiator(profile, _KemacWithoutIdi)


class _NoRand(PkInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        return super()._message(hdr, (), key_data)


@mutant("RFC3830-3-rand-in-initial-message", "PK initiator: sends no RAND")
def pk_initiator_without_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _NoRand)


class _ChainInOneCert(PkInitiator):
    def _message(
        self, hdr: CommonHeader, rand: tuple[Rand, ...], key_data: tuple[KeyData, ...]
    ) -> Message:
        msg = super()._message(hdr, rand, key_data)
        certs = msg.all(Cert)
        joined = Cert(CertType.X509V3, b"".join(c.data for c in certs))
        at = msg.payloads.index(certs[0])
        rest = [p for p in msg.payloads if not isinstance(p, Cert)]
        return replace(msg, payloads=(*rest[:at], joined, *rest[at:]))


@mutant("RFC3830-6.7-cert-chain-separate", "PK initiator: the whole chain in one CERT payload")
def pk_chain_in_one_cert(profile: Profile) -> Sut:
    return with_initiator(profile, _ChainInOneCert)


class _SkipsV(PkInitiator):
    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC3830-5.2-verification-mac", "PK initiator: takes any verification message")
def pk_initiator_skips_v(profile: Profile) -> Sut:
    return with_initiator(profile, _SkipsV)


class _ReusesEnvKey(PkInitiator):
    def _keys(self, csb_id: int, rand: bytes) -> KemacKeys:
        if self.env_key is None:
            return super()._keys(csb_id, rand)
        s = self.settings  # the envelope key of the first exchange, again
        return message_keys(self.env_key, csb_id, rand, s.encr_alg, s.mac_alg)


@mutant("RFC3830-4.5-update-new-env-key", "PK initiator: updates reuse the envelope key")
def pk_update_reuses_envelope_key(profile: Profile) -> Sut:
    return with_initiator(profile, _ReusesEnvKey)


class _InitiatorForgetsRand(PkInitiator):
    @property
    def csb(self) -> Csb | None:
        csb = super().csb
        return replace(csb, rand=b"") if csb is not None else None


@mutant("RFC3830-4.1.2-prf", "PK initiator: derives the TEK without the RAND")
def pk_initiator_tek_without_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _InitiatorForgetsRand)


class _PskVerMsg(PkResponder):
    def compose_response(self, i_message: Message) -> Message:
        return PskResponder.compose_response(self, i_message)  # data type PSK ver msg


@mutant("RFC3830-3.2-r-message-payloads", "PK responder: answers with a PSK ver msg")
def pk_answers_psk_ver_msg(profile: Profile) -> Sut:
    return with_responder(profile, _PskVerMsg)
