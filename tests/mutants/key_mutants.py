"""Key mutants: each takes every message right but holds the wrong SRTP keys after one step
(RFC 3830 4.1.3, 4.5, 6.1.1; RFC 4650 3, 3.1).

They answer as the reference does, so every acceptance check passes; only a comparison of
the keys they export with the reference's after that step kills them
(conformance/key_checks.py, test_srtp_keys_match_the_reference_after_every_update in
conformance/rfc3830/test_keys_responder.py and test_keys_initiator.py):

- a PSK responder that keeps the old TGK after an update that carries a new one, and a
  PK responder that does so after an update keyed with the cached envelope key (C=2);
- a PK initiator that sends a new TGK in its update but keeps keying with the old one;
- a DH responder that derives crypto session 2's TEK with crypto session 1's CS ID;
- a DH-HMAC initiator that keeps its old DH secret xi after a re-keying update;
- an RSA-R initiator and a MIKEY-SAKKE responder that derive crypto session 2's TEK with
  crypto session 1's CS ID (test_each_crypto_session_has_the_reference_keys);
- a PK initiator whose pre-shared key update keyed with the cached envelope key sends a new
  TGK but keeps keying with the old, and a PK responder that takes a new CSB keyed with a
  C=1 envelope key but keeps keying with the PK exchange's CSB
  (test_a_c1_key_is_a_pre_shared_key_for_a_new_csb);
- asked updates (test_srtp_keys_match_the_reference_after_an_asked_update and
  ..._adding_a_crypto_session): a PSK initiator that keys an update without new keying
  material with a TGK it never sent, a PSK responder that keeps the old crypto sessions
  after an update that adds one, and a DH initiator that sends an update adding a crypto
  session but keeps its own old CS ID map.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mikey.modes.csb import Csb
from mikey.modes.dhhmac_initiator import DhHmacInitiator
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.modes.responder import Incoming
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.sakke_responder import SakkeResponder
from mikey.srtp import SrtpKeys, srtp_keys
from mikey.wire import Dh, KeyData, Message
from suts.base import Profile, Sut
from suts.builtin import (
    BuiltinSut,
    bindings_with,
    dh_binding,
    dhhmac_binding,
    pk_binding,
    psk_binding,
    rsar_binding,
    sakke_binding,
)
from suts.builtin_modes import Binder
from tests.mutants.bank import mutant

KEYS = "RFC3830-4.5-update-keying-material"
ADDS = "RFC3830-4.5-update-new-crypto-sessions"


def _sut(profile: Profile, mode: str, binder: Binder, **classes: Any) -> Sut:
    return BuiltinSut(profile=profile, bindings=bindings_with(mode, binder(**classes)))


# -- the PSK responder: an update's new TGK ignored ---------------------------------------


class _OldTgkAfterUpdate(PskResponder):
    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        return super().establish(msg, () if prior is not None else key_data, prior)


@mutant(KEYS, "PSK responder keeps the old TGK after an update with a new one")
def psk_keys_old_tgk_after_update(profile: Profile) -> Sut:
    machine = type("_OldTgkAfterUpdate", (_OldTgkAfterUpdate, psk_binding.responder), {})
    return _sut(profile, "PSK", psk_binding, responder_class=machine)


# -- the PK responder: a cached-key update's new TGK ignored -------------------------------


class _PkCachedOldTgk(PkResponder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cached = type(self.cached_key_responder)
        self.cached_key_responder.__class__ = type("_Old", (_OldTgkAfterUpdate, cached), {})


@mutant(KEYS, "PK responder keeps the old TGK after a cached-envelope-key update with a new one")
def pk_keys_old_tgk_after_cached_key_update(profile: Profile) -> Sut:
    machine = type("_PkCachedOldTgk", (_PkCachedOldTgk, pk_binding.responder), {})
    return _sut(profile, "PK", pk_binding, responder_class=machine)


# -- the PK initiator: its own update's TGK not used ---------------------------------------


class _KeepsOwnOldTgk(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        prior = self.csb
        msg = super().compose_update(csb_id, new_keys)
        if prior is not None and self.exchange is not None:
            self.exchange.csb = replace(self.exchange.csb, key_data=prior.key_data)
        return msg


@mutant(KEYS, "PK initiator sends a new TGK in its update, keys with the old")
def pk_keys_own_old_tgk_after_update(profile: Profile) -> Sut:
    machine = type("_KeepsOwnOldTgk", (_KeepsOwnOldTgk, pk_binding.initiator), {})
    return _sut(profile, "PK", pk_binding, initiator_class=machine)


# -- the DH responder: crypto session 2 keyed with CS ID 1 ---------------------------------


class _Cs1Csb(Csb):
    def srtp_keys(self, cs_id: int) -> SrtpKeys:
        return srtp_keys(self.key_for(cs_id), self.csb_id, 1, self.rand, self.policy_for(cs_id))


class _Cs1ForEverySession(PskResponder):
    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        csb = super().establish(msg, key_data, prior)
        wrong = _cs1(csb)
        assert wrong is not None
        self.csbs[csb.csb_id] = self.last_csb = wrong
        return wrong


@mutant("RFC3830-6.1.1-cs-id-index", "DH responder derives CS 2's TEK with CS 1's CS ID")
def dh_keys_cs1_id_for_every_session(profile: Profile) -> Sut:
    machine = type("_Cs1ForEverySession", (_Cs1ForEverySession, dh_binding.responder), {})
    return _sut(profile, "DH", dh_binding, responder_class=machine)


# -- the DH-HMAC initiator: xi not replaced on a re-keying update --------------------------


class _OldDhSecretAfterRekey(DhHmacInitiator):
    old_pair: Any = None

    def compose(self, csb_id: int | None = None) -> Message:
        self.old_pair = None
        return super().compose(csb_id)

    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        self.old_pair = self.key_pair
        return super().compose_update(csb_id, new_keys)

    def check_dh(self, msg: Message, sent: Message) -> bytes | None:
        tgk = super().check_dh(msg, sent)  # every check of DHr, DHi as the reference does
        if tgk is None or self.old_pair is None:
            return tgk
        secret: bytes = self.old_pair.shared_secret(msg.all(Dh)[0].value)
        return secret


@mutant("RFC4650-3-tgk-dh", "DH-HMAC initiator keeps its old DH secret after a re-keying update")
def dhhmac_keys_old_dh_secret_after_rekey(profile: Profile) -> Sut:
    base = dhhmac_binding.initiator
    machine = type("_OldDhSecretAfterRekey", (_OldDhSecretAfterRekey, base), {})
    return _sut(profile, "DH-HMAC", dhhmac_binding, initiator_class=machine)


def _cs1(csb: Csb | None) -> Csb | None:
    """`csb`, but keying every crypto session with CS ID 1."""
    if csb is None:
        return None
    return _Cs1Csb(**{name: getattr(csb, name) for name in Csb.__dataclass_fields__})


# -- the RSA-R initiator: crypto session 2 keyed with CS ID 1 ------------------------------


class _RsaRCs1Initiator(RsaRInitiator):
    @property
    def csb(self) -> Csb | None:
        return _cs1(super().csb)


@mutant("RFC4738-3.6-kemac", "RSA-R initiator derives CS 2's TEK with CS 1's CS ID")
def rsar_keys_cs1_id_for_every_session(profile: Profile) -> Sut:
    machine = type("_RsaRCs1Initiator", (_RsaRCs1Initiator, rsar_binding.initiator), {})
    return _sut(profile, "RSA-R", rsar_binding, initiator_class=machine)


# -- the MIKEY-SAKKE responder: crypto session 2 keyed with CS ID 1 ------------------------


class _SakkeCs1Responder(SakkeResponder):
    def establish(self, msg: Message, ssv: bytes) -> Csb:
        wrong = _cs1(super().establish(msg, ssv))
        assert wrong is not None
        self.csbs[wrong.csb_id] = self.last_csb = wrong
        return wrong


@mutant("RFC6509-3.1-ssv-is-tgk", "SAKKE responder derives CS 2's TEK with CS 1's CS ID")
def sakke_keys_cs1_id_for_every_session(profile: Profile) -> Sut:
    machine = type("_SakkeCs1Responder", (_SakkeCs1Responder, sakke_binding.responder), {})
    return _sut(profile, "SAKKE", sakke_binding, responder_class=machine)


# -- the PK initiator: its cached-key update's TGK not used --------------------------------


class _CachedUpdateOldTgk(PkInitiator):
    def start_psk(
        self, env_key: bytes, update_of: int | None = None, new_keys: bool = True
    ) -> bytes:
        prior = self.csbs.get(update_of) if update_of is not None else None
        data = super().start_psk(env_key, update_of, new_keys)
        if prior is not None and self.exchange is not None:
            self.exchange.csb = replace(self.exchange.csb, key_data=prior.key_data)
        return data


@mutant(KEYS, "PK initiator: its cached-envelope-key update sends a new TGK, keys with the old")
def pk_keys_own_old_tgk_after_cached_key_update(profile: Profile) -> Sut:
    machine = type("_CachedUpdateOldTgk", (_CachedUpdateOldTgk, pk_binding.initiator), {})
    return _sut(profile, "PK", pk_binding, initiator_class=machine)


# -- the PK responder: a C=1 key's new CSB not the one it keys with ----------------------


class _KeysTheOldCsb(PkResponder):
    def take_cached_key_message(self, incoming: Incoming) -> tuple[bytes | None, str]:
        prior, known = self.last_csb, set(self.cached_key_responder.csbs)
        answer = super().take_cached_key_message(incoming)
        taken = self.last_csb
        if prior is not None and taken is not None and taken.csb_id not in known:
            self.last_csb = prior  # a new CSB (not an update): media stays on the old one
        return answer


@mutant("RFC3830-6.3-cache", "PK responder takes a C=1 key's new CSB, keys with the old CSB")
def pk_keys_old_csb_after_c1_new_csb(profile: Profile) -> Sut:
    machine = type("_KeysTheOldCsb", (_KeysTheOldCsb, pk_binding.responder), {})
    return _sut(profile, "PK", pk_binding, responder_class=machine)


# -- the PSK initiator: a TGK of its own on an update without keying material --------------


class _FreshTgkWhenNoneSent(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        msg = super().compose_update(csb_id, new_keys)
        if not new_keys and self.exchange is not None:
            fresh = self.settings.new_key_data(self.env.random)
            self.exchange.csb = replace(self.exchange.csb, key_data=fresh)
        return msg


@mutant(KEYS, "PSK initiator keys an update without keying material with a TGK it never sent")
def psk_keys_fresh_tgk_on_keyless_update(profile: Profile) -> Sut:
    machine = type("_FreshTgkWhenNoneSent", (_FreshTgkWhenNoneSent, psk_binding.initiator), {})
    return _sut(profile, "PSK", psk_binding, initiator_class=machine)


# -- crypto sessions an update adds, dropped -----------------------------------------------


class _KeepsOldSessions(PskResponder):
    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        csb = super().establish(msg, key_data, prior)
        if prior is None:
            return csb
        old = replace(csb, cs_map=prior.cs_map, cs_count=prior.cs_count)
        self.csbs[old.csb_id] = self.last_csb = old
        return old


@mutant(ADDS, "PSK responder keeps the old crypto sessions after an update that adds one")
def psk_keys_update_adds_no_session(profile: Profile) -> Sut:
    machine = type("_KeepsOldSessions", (_KeepsOldSessions, psk_binding.responder), {})
    return _sut(profile, "PSK", psk_binding, responder_class=machine)


class _SendsNewSessionsKeepsOld(PskInitiator):
    def compose_update(self, csb_id: int | None = None, new_keys: bool = True) -> Message:
        prior = self.csb
        msg = super().compose_update(csb_id, new_keys)
        if prior is not None and self.exchange is not None:
            old = replace(self.exchange.csb, cs_map=prior.cs_map, cs_count=prior.cs_count)
            self.exchange.csb = old
        return msg


@mutant(ADDS, "DH initiator sends an update adding a crypto session, keeps its old CS ID map")
def dh_keys_own_update_adds_no_session(profile: Profile) -> Sut:
    base = dh_binding.initiator
    machine = type("_SendsNewSessionsKeepsOld", (_SendsNewSessionsKeepsOld, base), {})
    return _sut(profile, "DH", dh_binding, initiator_class=machine)
