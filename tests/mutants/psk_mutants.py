"""PSK mode mutants: the reference initiator or responder with one rule broken.

Each factory returns the built-in SUT with one class swapped for a subclass
that overrides exactly one check or behaviour of mikey/modes. The names say
what the mutant does wrong; `breaks` names the requirement that must catch it.
"""

from __future__ import annotations

import os
from dataclasses import replace

from mikey.crypto import KemacKeys, TgkConstant, mac, tgk_derive
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.psk_initiator import Exchange, PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Incoming
from mikey.srtp import SrtpKeys
from mikey.wire import (
    CommonHeader,
    EncrAlg,
    ErrorNo,
    Kemac,
    KeyData,
    MacAlg,
    Message,
    Rand,
    SecurityPolicy,
    Timestamp,
    TsType,
    decode_message,
    encode_message,
)
from suts.base import Profile, Role, Sut
from suts.builtin import BuiltinSut, bindings_with, psk_binding
from tests.mutants.bank import mutant


def with_responder(profile: Profile, cls: type[PskResponder]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("PSK", psk_binding(responder_class=cls))
    )


def with_initiator(profile: Profile, cls: type[PskInitiator]) -> Sut:
    return BuiltinSut(
        profile=profile, bindings=bindings_with("PSK", psk_binding(initiator_class=cls))
    )


# -- responder: the checks of RFC 3830 5.3 ---------------------------------------------


class _SkipsMac(PskResponder):
    def verify_mac(self, data: bytes, msg: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC3830-5.3-verify-mac", "takes I_MESSAGEs without checking the KEMAC MAC")
def skips_mac_check(profile: Profile) -> Sut:
    return with_responder(profile, _SkipsMac)


class _AcceptsReplays(PskResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-replay", "has no replay cache check")
def accepts_replays(profile: Profile) -> Sut:
    return with_responder(profile, _AcceptsReplays)


class _CachesBeforeAuth(PskResponder):
    def check_replay(self, data: bytes, msg: Message) -> None:
        super().check_replay(data, msg)
        self.remember(data, msg)  # before the MAC is verified: 5.3 forbids it


@mutant(
    "RFC3830-5.3-replay-cache-authenticated-only",
    "puts every message into the replay cache, authenticated or not",
)
def caches_unauthenticated(profile: Profile) -> Sut:
    return with_responder(profile, _CachesBeforeAuth)


class _IgnoresTimestamp(PskResponder):
    def check_timestamp(self, msg: Message) -> None:
        return None


@mutant("RFC3830-5.4-timestamp-window", "takes any timestamp, however old or new")
def ignores_clock_skew(profile: Profile) -> Sut:
    return with_responder(profile, _IgnoresTimestamp)


class _WrongTsError(PskResponder):
    def check_timestamp(self, msg: Message) -> None:
        try:
            super().check_timestamp(msg)
        except Rejection as rejection:
            raise Rejection(ErrorNo.AUTH_FAILURE, rejection.reason) from None


@mutant("RFC3830-6.12-error-numbers", "reports a stale timestamp as Auth failure")
def wrong_error_for_timestamp(profile: Profile) -> Sut:
    return with_responder(profile, _WrongTsError)


class _NeverVerifies(PskResponder):
    def verification_message(self, msg: Message, keys: KemacKeys) -> bytes | None:
        return None


@mutant("RFC3830-6.1-v-flag", "ignores the V bit: never sends the verification message")
def ignores_v_bit(profile: Profile) -> Sut:
    return with_responder(profile, _NeverVerifies)


class _AlwaysVerifies(PskResponder):
    def verification_message(self, msg: Message, keys: KemacKeys) -> bytes | None:
        return self.reseal_verification(self.compose_response(msg), msg, keys)


@mutant("RFC3830-6.1-v-flag", "sends a verification message even when V is clear")
def verifies_when_v_clear(profile: Profile) -> Sut:
    return with_responder(profile, _AlwaysVerifies)


class _OwnTimestamp(PskResponder):
    def compose_response(self, i_message: Message) -> Message:
        msg = super().compose_response(i_message)
        own = self.env.timestamp(TsType.NTP_UTC)
        return replace(
            msg, payloads=tuple(own if isinstance(p, Timestamp) else p for p in msg.payloads)
        )


@mutant("RFC3830-5.2-responder-timestamp", "stamps its verification message with its own T")
def new_timestamp_in_response(profile: Profile) -> Sut:
    return with_responder(profile, _OwnTimestamp)


class _OtherCsbId(PskResponder):
    def compose_response(self, i_message: Message) -> Message:
        msg = super().compose_response(i_message)
        hdr: CommonHeader = replace(msg.hdr, csb_id=(msg.hdr.csb_id + 1) & 0xFFFFFFFF)
        return replace(msg, hdr=hdr)


@mutant("RFC3830-6.1-csb-id-echo", "answers with a CSB ID other than the initiator's")
def wrong_csb_id_in_response(profile: Profile) -> Sut:
    return with_responder(profile, _OtherCsbId)


class _VerMacWithoutIds(PskResponder):
    def reseal_verification(
        self, r_message: Message, i_message: Message | None = None, keys: KemacKeys | None = None
    ) -> bytes:
        keys = keys or self.last_keys
        assert keys is not None
        alg = r_message.payloads[-1].auth_alg  # type: ignore[union-attr]
        body = encode_message(r_message)[: -len(mac(alg, keys.auth_key, b""))]
        return body + mac(alg, keys.auth_key, body)  # no IDi || IDr || T (5.2)


@mutant("RFC3830-5.2-verification-mac", "computes V over the R_MESSAGE only, not IDi||IDr||T")
def ver_mac_without_ids(profile: Profile) -> Sut:
    return with_responder(profile, _VerMacWithoutIds)


class _KemacAnywhere(PskResponder):
    def check_payloads(self, msg: Message) -> None:
        if not isinstance(msg.payloads[-1], Kemac):
            return None
        super().check_payloads(msg)


@mutant("RFC3830-6.2-kemac-last", "takes a PSK I_MESSAGE whose KEMAC is not last")
def accepts_kemac_not_last(profile: Profile) -> Sut:
    return with_responder(profile, _KemacAnywhere)


class _NoPayloadCheck(PskResponder):
    def check_payloads(self, msg: Message) -> None:
        return None

    def check_csb(self, msg: Message) -> Csb | None:
        return self.csbs.get(msg.hdr.csb_id)


@mutant("RFC3830-3.1-i-message-payloads", "does not check that T, RAND and KEMAC are there")
def skips_payload_check(profile: Profile) -> Sut:
    return with_responder(profile, _NoPayloadCheck)


class _UnspecifiedErrors(PskResponder):
    def decode(self, data: bytes) -> Message:
        try:
            return super().decode(data)
        except Rejection as rejection:
            raise Rejection(ErrorNo.UNSPECIFIED, rejection.reason) from None


@mutant("RFC3830-6.12-error-numbers", "answers every undecodable value with Unspecified error")
def unspecified_error_numbers(profile: Profile) -> Sut:
    return with_responder(profile, _UnspecifiedErrors)


# -- key derivation -----------------------------------------------------------------------


class _WrongTekLabel(BuiltinSut):
    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        keys = super().srtp_keys(role, cs_id)
        csb = self._responder.last_csb if self._responder else None
        if keys is None or csb is None or role is not Role.RESPONDER:
            return keys
        tgk = csb.key_for(cs_id).key
        # 0x1B5C7973 (the authentication key constant) where 4.1.3 wants 0x2AD01C64.
        wrong = tgk_derive(tgk, TgkConstant.AUTH, cs_id, csb.csb_id, csb.rand, 16)
        return replace(keys, master_key=wrong)


@mutant("RFC3830-4.1.3-tek-derivation", "derives the TEK with the wrong PRF label constant")
def wrong_prf_label(profile: Profile) -> Sut:
    return _WrongTekLabel(profile=profile)


class _DerivedSalt(BuiltinSut):
    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        keys = super().srtp_keys(role, cs_id)
        csb = self._responder.last_csb if self._responder else None
        if keys is None or csb is None or role is not Role.RESPONDER:
            return keys
        data: KeyData = csb.key_for(cs_id)
        salt = tgk_derive(data.key, TgkConstant.SALT, cs_id, csb.csb_id, csb.rand, 14)
        return replace(keys, master_salt=salt)  # ignores the salt the Key data carries


@mutant("RFC3830-4.1.3-salt-from-key-data", "derives the SRTP salt even when Key data carries one")
def ignores_carried_salt(profile: Profile) -> Sut:
    return _DerivedSalt(profile=profile)


# -- initiator ------------------------------------------------------------------------------


class _SecondsTimestamp(PskInitiator):
    def __init__(self, settings: object, env: Environment | None = None) -> None:
        super().__init__(settings, env)  # type: ignore[arg-type]
        stamp = self.env.timestamp

        def whole_seconds(ts_type: TsType = TsType.NTP_UTC) -> Timestamp:
            t = stamp(ts_type)
            return replace(t, value=t.value & ~0xFFFFFFFF)  # a one-second clock

        self.env.timestamp = whole_seconds  # type: ignore[method-assign]


@mutant("RFC3830-5.2-unique-timestamp", "stamps with a one-second clock: timestamps repeat")
def coarse_timestamps(profile: Profile) -> Sut:
    return with_initiator(profile, _SecondsTimestamp)


_FIXED = b"\x42" * 16


class _FixedRand(PskInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        real = self.env.random
        calls = iter(range(3))

        def random(n: int) -> bytes:  # the RAND draw (the second) is constant
            return _FIXED[:n] if next(calls, 9) == 1 else real(n)

        self.env.random = random
        try:
            return super().compose(csb_id)
        finally:
            self.env.random = real


@mutant("RFC3830-6.11-rand-per-csb", "sends the same RAND for every CSB")
def fixed_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _FixedRand)


class _FixedCsbId(PskInitiator):
    def new_csb_id(self) -> int:
        return 0x00C0FFEE


@mutant("RFC3830-6.1-csb-id-unique", "uses one CSB ID for every CSB")
def fixed_csb_id(profile: Profile) -> Sut:
    return with_initiator(profile, _FixedCsbId)


class _ShortRand(PskInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        return replace(
            msg,
            payloads=tuple(Rand(p.rand[:8]) if isinstance(p, Rand) else p for p in msg.payloads),
        )


@mutant("RFC3830-6.11-rand-length-16", "sends an 8-byte RAND")
def short_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _ShortRand)


class _SkipsV(PskInitiator):
    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        return None


@mutant("RFC3830-5.2-verification-mac", "takes verification messages without checking V")
def skips_v_check(profile: Profile) -> Sut:
    return with_initiator(profile, _SkipsV)


class _IgnoresCsbId(PskInitiator):
    def check_csb_id(self, msg: Message, sent: Message) -> None:
        return None


@mutant("RFC3830-6.1-csb-id-echo", "takes a verification message for another CSB")
def ignores_response_csb_id(profile: Profile) -> Sut:
    return with_initiator(profile, _IgnoresCsbId)


class _UpdateNewCsb(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        msg = super().compose_update(csb_id, new_keys)
        return replace(msg, hdr=replace(msg.hdr, csb_id=(msg.hdr.csb_id + 1) & 0xFFFFFFFF))


@mutant("RFC3830-4.5-update-same-csb-id", "sends updates under a new CSB ID")
def update_changes_csb_id(profile: Profile) -> Sut:
    return with_initiator(profile, _UpdateNewCsb)


class _UpdateWithRand(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        msg = super().compose_update(csb_id, new_keys)
        rand = Rand(os.urandom(16))
        return replace(msg, payloads=(msg.payloads[0], rand, *msg.payloads[1:]))


@mutant("RFC3830-4.5-update-no-rand", "includes a new RAND in update messages")
def update_includes_rand(profile: Profile) -> Sut:
    return with_initiator(profile, _UpdateWithRand)


class _UpdateOldTimestamp(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        first = self.exchange.sent if self.exchange else None
        msg = super().compose_update(csb_id, new_keys)
        old = first.first(Timestamp) if first else None
        if old is None:
            return msg
        return replace(
            msg,
            payloads=tuple(old if isinstance(p, Timestamp) else p for p in msg.payloads),
        )


@mutant("RFC3830-4.5-update-new-timestamp", "reuses the initial timestamp in updates")
def update_reuses_timestamp(profile: Profile) -> Sut:
    return with_initiator(profile, _UpdateOldTimestamp)


class _MacOverKemacOnly(PskInitiator):
    def seal(self, msg: Message) -> bytes:
        data = super().seal(msg)
        exchange: Exchange = self._current()
        kemac = msg.payloads[-1]
        assert isinstance(kemac, Kemac)
        tag_len = len(mac(MacAlg.HMAC_SHA_1_160, b"k", b""))
        body = data[:-tag_len]
        start = len(body) - (4 + len(kemac.encr_data) + 1)
        return body + mac(kemac.mac_alg, exchange.keys.auth_key, body[start:])


@mutant("RFC3830-5.2-mac-coverage", "MACs the KEMAC payload only, not the whole message")
def mac_over_kemac_only(profile: Profile) -> Sut:
    return with_initiator(profile, _MacOverKemacOnly)


class _NoAesCm(PskResponder):
    def check_algorithms(self, msg: Message) -> None:
        kemac = msg.payloads[-1]
        if isinstance(kemac, Kemac) and kemac.encr_alg == EncrAlg.AES_CM_128:
            raise Rejection(ErrorNo.INVALID_EA, "AES-CM-128 not implemented")
        super().check_algorithms(msg)


@mutant("RFC3830-4.2.3-aes-cm-mandatory", "does not implement AES-CM-128 KEMAC encryption")
def lacks_aes_cm(profile: Profile) -> Sut:
    return with_responder(profile, _NoAesCm)


class _ErrorWithoutT(PskResponder):
    def error_reply(self, incoming: Incoming, rejection: Rejection) -> bytes | None:
        answer = super().error_reply(incoming, rejection)
        if answer is None:
            return None
        msg = decode_message(answer)
        kept = tuple(p for p in msg.payloads if not isinstance(p, Timestamp))
        return encode_message(replace(msg, payloads=kept))


@mutant("RFC3830-5.1.2-error-message-form", "sends Error messages without the T payload")
def error_message_without_t(profile: Profile) -> Sut:
    return with_responder(profile, _ErrorWithoutT)


class _EchoesZeroSsrcs(PskResponder):
    def fill_in_ssrcs(self, hdr: CommonHeader) -> CommonHeader:
        return hdr


@mutant("RFC3830-6.1.1-ssrc-zero-fill", "echoes the zero SSRCs instead of filling them in")
def leaves_ssrcs_zero(profile: Profile) -> Sut:
    return with_responder(profile, _EchoesZeroSsrcs)


class _KemacBeforePolicies(PskInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        kemac = [p for p in msg.payloads if isinstance(p, Kemac)]
        rest = [p for p in msg.payloads if not isinstance(p, Kemac | SecurityPolicy)]
        policies = [p for p in msg.payloads if isinstance(p, SecurityPolicy)]
        return replace(msg, payloads=(*rest, *kemac, *policies))


@mutant("RFC3830-6.2-kemac-last", "sends its SP payloads after the KEMAC")
def kemac_before_policies(profile: Profile) -> Sut:
    return with_initiator(profile, _KemacBeforePolicies)
