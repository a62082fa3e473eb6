"""MIKEY-SAKKE mutants (RFC 6509): the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one SAKKE machine swapped for a subclass that
overrides exactly one check or behaviour of mikey/modes/sakke_*.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from conformance.rfc6509.reference import previous_period
from mikey.crypto import eccsi, sakke
from mikey.crypto.pairing import pairing
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.sakke_common import SakkeSettings, with_signature
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_kms import identifier, key_period_of_ntp
from mikey.modes.sakke_responder import SakkeResponder
from mikey.wire import (
    Cert,
    CertType,
    CommonHeader,
    ErrorNo,
    Idr,
    IdRole,
    IdType,
    KeyData,
    KeyType,
    Message,
    Rand,
    Sakke,
    Timestamp,
    TsType,
    encode_message,
)
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut, bindings_with, sakke_binding
from tests.mutants.bank import mutant


def with_responder(profile: Profile, cls: type[SakkeResponder]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("SAKKE", sakke_binding(responder_class=cls))
    )


def with_initiator(profile: Profile, cls: type[SakkeInitiator]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("SAKKE", sakke_binding(initiator_class=cls))
    )


def without_idr(msg: Message, roles: tuple[IdRole, ...]) -> Message:
    kept = tuple(p for p in msg.payloads if not (isinstance(p, Idr) and p.id_role in roles))
    return replace(msg, payloads=kept)


def hashed_tgk(csb: Csb) -> Csb:
    """The CSB with its TGK replaced by a hash of the SSV (not the SSV itself)."""
    key = csb.key_data[0].key
    return replace(csb, key_data=(KeyData(KeyType.TGK, hashlib.sha256(key).digest()[:16]),))


# -- responder: RFC 6509 2.2.2 and RFC 6508 6.2.2 -----------------------------------------


class _SkipsSignature(SakkeResponder):
    def verify_signature(self, data: bytes, msg: Message, id_i: bytes) -> None:
        return None


@mutant("RFC6509-2.2.2-verify-signature", "takes I_MESSAGEs without verifying the ECCSI signature")
def responder_skips_signature(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsSignature)


class _UsesSsvWithoutTest(SakkeResponder):
    def decapsulate(self, msg: Message, id_r: bytes) -> bytes:
        params = sakke.PARAMETER_SET_1
        curve = params.curve
        payload = msg.first(Sakke)
        assert payload is not None
        point = curve.decode_point(payload.data[: 2 * curve.octets + 1])
        w = pairing(curve, point, self.settings.kms.user_keys(id_r).rsk)
        mask = sakke.hash_to_integer_range(curve.encode_integer(w), 1 << params.n)
        h = int.from_bytes(payload.data[2 * curve.octets + 1 :], "big")
        return ((h ^ mask) % (1 << params.n)).to_bytes(params.ssv_octets, "big")


@mutant("RFC6508-6.2.2-test-point", "uses the SSV without checking TEST == R_(b,S)")
def responder_skips_test_point(profile: Profile) -> Sut:
    return with_responder(profile, _UsesSsvWithoutTest)


class _TakesLastMonthsIdentifier(SakkeResponder):
    def verify_signature(self, data: bytes, msg: Message, id_i: bytes) -> None:
        try:
            super().verify_signature(data, msg, id_i)
        except Rejection:
            uri = id_i.split(b"\x00")[1]
            older = identifier(uri, previous_period(self.env.clock()))
            super().verify_signature(data, msg, older)


@mutant(
    "RFC6509-3.2-identifier-month",
    "also takes signatures under the initiator's Identifier of the previous month",
)
def responder_takes_last_months_identifier(profile: Profile) -> Sut:
    return with_responder(profile, _TakesLastMonthsIdentifier)


class _IgnoresIdri(SakkeResponder):
    def initiator_uri(self, roles: dict[IdRole, bytes]) -> bytes:
        return self.settings.uri_i


@mutant("RFC6509-2.2.1-idri-uri", "verifies against the configured initiator, ignoring IDRi")
def responder_ignores_idri(profile: Profile) -> Sut:
    return with_responder(profile, _IgnoresIdri)


class _IgnoresIdrr(SakkeResponder):
    def identifiers(self, msg: Message) -> tuple[bytes, bytes]:
        return super().identifiers(without_idr(msg, (IdRole.IDRR,)))


@mutant("RFC6509-2.2.1-idrr-uri", "takes I_MESSAGEs whose IDRr names another user")
def responder_ignores_idrr(profile: Profile) -> Sut:
    return with_responder(profile, _IgnoresIdrr)


class _IgnoresIdrKms(SakkeResponder):
    def identifiers(self, msg: Message) -> tuple[bytes, bytes]:
        return super().identifiers(without_idr(msg, (IdRole.IDRKMSI, IdRole.IDRKMSR)))


@mutant("RFC6509-2.2.1-idr-kms-roles", "takes an IDRkmsi naming a KMS it does not know")
def responder_ignores_idr_kms(profile: Profile) -> Sut:
    return with_responder(profile, _IgnoresIdrKms)


class _ReadsSakkeDataPrefix(SakkeResponder):
    def decapsulate(self, msg: Message, id_r: bytes) -> bytes:
        curve = sakke.PARAMETER_SET_1.curve
        size = 2 * curve.octets + 1 + sakke.PARAMETER_SET_1.ssv_octets
        cut = tuple(
            replace(p, data=p.data[:size]) if isinstance(p, Sakke) else p for p in msg.payloads
        )
        return super().decapsulate(replace(msg, payloads=cut), id_r)


@mutant("RFC6509-4.2-sakke-data-format", "reads the first 273 octets of longer SAKKE data")
def responder_reads_sakke_data_prefix(profile: Profile) -> Sut:
    return with_responder(profile, _ReadsSakkeDataPrefix)


class _NoReplayCheck(SakkeResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@mutant("RFC6509-2.2.2-rfc3830-processing", "takes a replayed I_MESSAGE (RFC 3830 5.4)")
def responder_takes_replays(profile: Profile) -> Sut:
    return with_responder(profile, _NoReplayCheck)


class _NoSkewCheck(SakkeResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@mutant("RFC6509-2.2.2-rfc3830-processing", "takes timestamps outside the clock skew")
def responder_ignores_clock_skew(profile: Profile) -> Sut:
    return with_responder(profile, _NoSkewCheck)


class _TakesCounter(SakkeResponder):
    def check_timestamp(self, msg: Message) -> None:
        t = msg.first(Timestamp)
        if t is None or t.ts_type != TsType.COUNTER:
            super().check_timestamp(msg)

    def identifiers(self, msg: Message) -> tuple[bytes, bytes]:
        now = self.env.timestamp(TsType.NTP_UTC)
        stamped = tuple(now if isinstance(p, Timestamp) else p for p in msg.payloads)
        return super().identifiers(replace(msg, payloads=stamped))


@mutant("RFC6509-2.2.1-ts-type-ntp", "takes a COUNTER T, reading the month from its own clock")
def responder_takes_counter(profile: Profile) -> Sut:
    return with_responder(profile, _TakesCounter)


class _RejectsVSet(SakkeResponder):
    def check_payloads(self, msg: Message) -> None:
        if msg.hdr.v:
            raise Rejection(ErrorNo.UNSPECIFIED, "V set")
        super().check_payloads(msg)


@mutant("RFC6509-2.2.1-v-bit-zero", "rejects I_MESSAGEs with V = 1 instead of ignoring V")
def responder_rejects_v_set(profile: Profile) -> Sut:
    return with_responder(profile, _RejectsVSet)


class _RandOptional(SakkeResponder):
    def check_payloads(self, msg: Message) -> None:
        if msg.first(Rand) is None:
            msg = replace(msg, payloads=(Rand(bytes(16)), *msg.payloads))
        super().check_payloads(msg)


@mutant("RFC6509-2.2.1-rand", "takes an I_MESSAGE without RAND")
def responder_takes_no_rand(profile: Profile) -> Sut:
    return with_responder(profile, _RandOptional)


class _ResponderHashesSsv(SakkeResponder):
    def establish(self, msg: Message, ssv: bytes) -> Csb:
        csb = hashed_tgk(super().establish(msg, ssv))
        self.csbs[csb.csb_id] = self.last_csb = csb
        return csb


@mutant("RFC6509-3.1-ssv-is-tgk", "responder: keys SRTP from a hash of the SSV, not the SSV")
def responder_ssv_not_tgk(profile: Profile) -> Sut:
    return with_responder(profile, _ResponderHashesSsv)


# -- initiator: RFC 6509 2.2.1, 3.1, 3.2, 4.2 -----------------------------------------------


class _SetsV(SakkeInitiator):
    def header(self, csb_id: int) -> CommonHeader:
        return replace(super().header(csb_id), v=True)


@mutant("RFC6509-2.2.1-v-bit-zero", "initiator: sets V in the HDR")
def initiator_sets_v(profile: Profile) -> Sut:
    return with_initiator(profile, _SetsV)


class _CounterTimestamp(SakkeInitiator):
    def __init__(self, settings: SakkeSettings, env: Environment | None = None) -> None:
        super().__init__(replace(settings, ts_type=TsType.COUNTER), env)


@mutant("RFC6509-2.2.1-ts-type-ntp", "initiator: stamps T as a COUNTER")
def initiator_counter_timestamp(profile: Profile) -> Sut:
    return with_initiator(profile, _CounterTimestamp)


class _OmitsRand(SakkeInitiator):
    def compose(self) -> Message:
        msg = super().compose()
        return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Rand)))


@mutant("RFC6509-2.2.1-rand", "initiator: sends no RAND")
def initiator_omits_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _OmitsRand)


class _AddsCert(SakkeInitiator):
    def compose(self) -> Message:
        msg = super().compose()
        cert = Cert(CertType.X509V3_URL, b"https://mikey.test/alice.crt")
        return replace(msg, payloads=(*msg.payloads[:-1], cert, msg.payloads[-1]))


@mutant("RFC6509-2.2.1-no-cert-with-eccsi", "initiator: adds a CERT payload to an ECCSI message")
def initiator_adds_cert(profile: Profile) -> Sut:
    return with_initiator(profile, _AddsCert)


class _SwapsIdrRoles(SakkeInitiator):
    def identity_payloads(self) -> tuple[Idr, ...]:
        swap = {IdRole.IDRI: IdRole.IDRR, IdRole.IDRR: IdRole.IDRI}
        return tuple(
            replace(p, id_role=swap.get(p.id_role, p.id_role)) for p in super().identity_payloads()
        )


@mutant("RFC6509-2.2.1-idr-roles", "initiator: IDRi and IDRr with each other's ID Role")
def initiator_swaps_idr_roles(profile: Profile) -> Sut:
    return with_initiator(profile, _SwapsIdrRoles)


class _IdrCarriesIdentifier(SakkeInitiator):
    def identity_payloads(self) -> tuple[Idr, ...]:
        period = key_period_of_ntp(self.env.timestamp().value, self.env.clock())
        return tuple(
            Idr(p.id_role, IdType.URI, identifier(p.data, period))
            if p.id_role in (IdRole.IDRI, IdRole.IDRR)
            else p
            for p in super().identity_payloads()
        )


@mutant("RFC6509-3.2-idr-carries-uri", "initiator: IDRi/IDRr carry the dated Identifier")
def initiator_idr_carries_identifier(profile: Profile) -> Sut:
    return with_initiator(profile, _IdrCarriesIdentifier)


class _SignsUnderLastMonth(SakkeInitiator):
    def initiator_identifier(self, t: Timestamp) -> bytes:
        return identifier(self.settings.uri_i, previous_period(self.env.clock()))


@mutant("RFC6509-3.2-identifier-month", "initiator: signs under last month's Identifier")
def initiator_signs_under_last_month(profile: Profile) -> Sut:
    return with_initiator(profile, _SignsUnderLastMonth)


class _InitiatorHashesSsv(SakkeInitiator):
    def sign(self, msg: Message) -> bytes:
        data = super().sign(msg)
        self.csbs[msg.hdr.csb_id] = hashed_tgk(self.csbs[msg.hdr.csb_id])
        return data


@mutant("RFC6509-3.1-ssv-is-tgk", "initiator: keys SRTP from a hash of the SSV, not the SSV")
def initiator_ssv_not_tgk(profile: Profile) -> Sut:
    return with_initiator(profile, _InitiatorHashesSsv)


class _PadsSakkeData(SakkeInitiator):
    def sakke_payload(self, ssv: bytes, responder: bytes) -> Sakke:
        payload = super().sakke_payload(ssv, responder)
        return replace(payload, data=payload.data + b"\x00")


@mutant("RFC6509-4.2-sakke-data-format", "initiator: one octet after the Encapsulated Data")
def initiator_pads_sakke_data(profile: Profile) -> Sut:
    return with_initiator(profile, _PadsSakkeData)


class _SignsWithoutSignHeader(SakkeInitiator):
    def sign(self, msg: Message) -> bytes:
        super().sign(msg)  # establishes the CSB
        t = msg.first(Timestamp)
        assert t is not None
        key = self.settings.kms.user_keys(self.initiator_identifier(t)).signing
        j = eccsi.random_scalar(self.env.random(2 * eccsi.N))
        signature = eccsi.sign(encode_message(msg), key, j)  # SIGN's S type and length left out
        return encode_message(with_signature(msg, signature))


@mutant("RFC6509-2.2.1-signed", "initiator: the signature leaves out SIGN's own header")
def initiator_signs_without_sign_header(profile: Profile) -> Sut:
    return with_initiator(profile, _SignsWithoutSignHeader)
