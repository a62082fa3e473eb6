"""PK envelope key caching mutants (RFC 3830 3.2, 4.5, Table 6.3): the reference PK
initiator or responder with one caching rule broken (mikey/modes/pk_cache).

Each factory returns the built-in SUT with one PK machine swapped for a subclass
that overrides how it keeps or uses the cached envelope key.
"""

from __future__ import annotations

from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.responder import Incoming
from mikey.wire import Id, Message, Pke, PkeCache
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.pk_mutants import with_initiator, with_responder

# -- responder ---------------------------------------------------------------------------


def _responder_reading(seen: PkeCache, as_if: PkeCache) -> type[PkResponder]:
    """The PK responder that keeps an envelope key sent with C `seen` as if C were `as_if`."""

    class Misreads(PkResponder):
        def keep_envelope_key(self, msg: Message, env_key: bytes, id_i: Id) -> None:
            sent = msg.all(Pke)[0].cache
            cache = as_if if sent == seen else sent
            self.envelope_keys.keep(msg.hdr.csb_id, cache, env_key, id_i)

    return Misreads


@mutant("RFC3830-6.3-cache", "PK responder: does not cache the envelope key when C=1")
def pk_cache_responder_forgets_c1(profile: Profile) -> Sut:
    return with_responder(profile, _responder_reading(PkeCache.CACHE, PkeCache.NO_CACHE))


@mutant("RFC3830-6.3-no-cache", "PK responder: caches the envelope key though C=0")
def pk_cache_responder_keeps_c0(profile: Profile) -> Sut:
    reading = _responder_reading(PkeCache.NO_CACHE, PkeCache.CACHE_FOR_CSB)
    return with_responder(profile, reading)


@mutant("RFC3830-6.3-cache-for-csb", "PK responder: takes a C=2 key for other CSBs")
def pk_cache_responder_c2_for_any_csb(profile: Profile) -> Sut:
    return with_responder(profile, _responder_reading(PkeCache.CACHE_FOR_CSB, PkeCache.CACHE))


class _OneShotKey(PkResponder):
    def take_cached_key_message(self, incoming: Incoming) -> tuple[bytes | None, str]:
        answer = super().take_cached_key_message(incoming)
        if self.last_csb is not None:
            self.envelope_keys.by_csb.pop(self.last_csb.csb_id, None)
        return answer


@mutant("RFC3830-3.2-env-key-cache-lifetime", "PK responder: a cached key keys one update only")
def pk_cache_responder_one_shot(profile: Profile) -> Sut:
    return with_responder(profile, _OneShotKey)


class _LatestKeyOnly(PkResponder):
    def keep_envelope_key(self, msg: Message, env_key: bytes, id_i: Id) -> None:
        self.envelope_keys.by_csb.clear()  # a new PK exchange drops every earlier key
        super().keep_envelope_key(msg, env_key, id_i)


@mutant("RFC3830-3.2-env-key-cache-lifetime", "PK responder: keeps the latest PK key only")
def pk_cache_responder_latest_only(profile: Profile) -> Sut:
    return with_responder(profile, _LatestKeyOnly)


# -- initiator ---------------------------------------------------------------------------


class _PkUpdate(PkInitiator):
    def start_update(self, csb_id: int | None = None, new_keys: bool = True) -> bytes:
        self.psk_side = None
        return PskInitiator.start_update(self, csb_id, new_keys)  # the PK message, cached or not


@mutant("RFC3830-4.5-cached-env-key-update-psk", "PK initiator: a cached CSB's update is PK")
def pk_cache_update_is_pk(profile: Profile) -> Sut:
    return with_initiator(profile, _PkUpdate)


class _UpdateKeyedByPsk(PkInitiator):
    def start_psk(
        self, env_key: bytes, update_of: int | None = None, new_keys: bool = True
    ) -> bytes:
        return super().start_psk(self.settings.psk, update_of, new_keys)  # the profile's PSK


@mutant("RFC3830-4.5-cached-env-key-update-psk", "PK initiator: update keyed with another PSK")
def pk_cache_update_keyed_by_psk(profile: Profile) -> Sut:
    return with_initiator(profile, _UpdateKeyedByPsk)


def _initiator_reading(seen: PkeCache, as_if: PkeCache) -> type[PkInitiator]:
    """The PK initiator that keeps an envelope key it sent with C `seen` as if C were `as_if`."""

    class Misreads(PkInitiator):
        def keep_envelope_key(self, csb_id: int, cache: PkeCache, env_key: bytes) -> None:
            super().keep_envelope_key(csb_id, as_if if cache == seen else cache, env_key)

    return Misreads


@mutant("RFC3830-6.3-no-cache", "PK initiator: caches the envelope key though C=0")
def pk_cache_initiator_keeps_c0(profile: Profile) -> Sut:
    reading = _initiator_reading(PkeCache.NO_CACHE, PkeCache.CACHE_FOR_CSB)
    return with_initiator(profile, reading)


@mutant("RFC3830-6.3-cache", "PK initiator: does not cache the envelope key when C=1")
def pk_cache_initiator_forgets_c1(profile: Profile) -> Sut:
    return with_initiator(profile, _initiator_reading(PkeCache.CACHE, PkeCache.NO_CACHE))


@mutant("RFC3830-6.3-cache-for-csb", "PK initiator: does not cache the envelope key when C=2")
def pk_cache_initiator_forgets_c2(profile: Profile) -> Sut:
    return with_initiator(profile, _initiator_reading(PkeCache.CACHE_FOR_CSB, PkeCache.NO_CACHE))


class _InitiatorOneShot(PkInitiator):
    def start_psk(
        self, env_key: bytes, update_of: int | None = None, new_keys: bool = True
    ) -> bytes:
        data = super().start_psk(env_key, update_of, new_keys)
        if update_of is not None:
            self.envelope_keys.by_csb.pop(update_of, None)  # forgotten after one update
        return data


@mutant("RFC3830-3.2-env-key-cache-lifetime", "PK initiator: a cached key keys one update only")
def pk_cache_initiator_one_shot(profile: Profile) -> Sut:
    return with_initiator(profile, _InitiatorOneShot)
