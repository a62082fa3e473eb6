"""Envelope key caching in the public-key method (RFC 3830 3.2, 4.5, 6.3).

3.2: "It is possible to cache the envelope key, so that it can be used as a
pre-shared key. ... If the Initiator indicates that the envelope key should be
cached, the key is at least to be cached during the lifetime of the entire CSB."
4.5: "the update message is a pre-shared key message with the cached envelope
key as the pre-shared key; it MUST NOT be a public key message."
Table 6.3, the PKE's C field: No cache (0) "MUST NOT be cached"; Cache (1)
"MUST be cached"; Cache for CSB (2) "MUST be cached, but only to be used for
the specific CSB".

Readings where RFC 3830 leaves room:

- Both parties keep the key when the CSB is established (the initiator when
  the verification message verifies, or on sending with V=0; the responder
  when it takes the I_MESSAGE), under the CSB ID, for as long as they keep the
  CSB. The reference ends no CSB, so that is until `reset`. A later PK message
  of the same CSB that asks for caching replaces the key; one with C=0 leaves
  the kept key in place ("at least ... during the lifetime of the entire CSB").
- A message keyed with a cached key is a pre-shared key message (3.1) whose
  keys come from the cached key as inkey (4.1.4), with the CSB's RAND for an
  update (4.5: "the RAND will only have effect in the Initial exchange").
- C=2 keys the updates of its own CSB only ("only to be used for the specific
  CSB"). C=1 keys them too and, having no such restriction, is "used as a
  pre-shared key" (3.2) between the two parties: it also keys a pre-shared key
  I_MESSAGE (with RAND) that starts a new CSB, whose updates it then keys as
  well. It is the key shared with one peer (`owner`: the initiator's IDi as
  the KEMAC authenticated it, 3.2, on the responder; IDr on the initiator), so
  a new CSB's key is looked up by the IDi its message carries (3.1: the ID
  lets the responder "look up the pre-shared key"), else the latest C=1 key.
- C=0 keys nothing: a pre-shared key message that only that envelope key
  could key finds no key, so its MAC cannot be verified (5.3 "If the
  authentication is not successful, an Auth failure Error message MAY be
  sent"; 5.1.2: such an Error message "does not need to be authenticated").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.psk_common import PskSettings
from mikey.modes.psk_responder import PskResponder
from mikey.modes.replay import ReplayCache
from mikey.wire import ErrorNo, Id, KeyData, Message, PkeCache, Rand


@dataclass(frozen=True)
class CachedKey:
    """An envelope key kept as a pre-shared key, with the C it was sent with and its peer."""

    env_key: bytes = field(repr=False)
    cache: PkeCache
    owner: Id | None


@dataclass
class EnvelopeKeyCache:
    """The envelope keys one party keeps, by the CSB ID they key (module doc)."""

    by_csb: dict[int, CachedKey] = field(default_factory=dict)

    def keep(self, csb_id: int, cache: PkeCache, env_key: bytes, owner: Id | None) -> None:
        """Keep `env_key` for CSB `csb_id` as C asks (Table 6.3): C=0 keeps nothing."""
        if cache != PkeCache.NO_CACHE:
            self.by_csb[csb_id] = CachedKey(env_key, cache, owner)

    def for_update(self, csb_id: int) -> CachedKey | None:
        """The key of an update of CSB `csb_id` (4.5): the one kept for that CSB."""
        return self.by_csb.get(csb_id)

    def for_new_csb(self, owner: Id | None) -> CachedKey | None:
        """The key of a new CSB: the latest C=1 key of `owner` (any, when None)."""
        for key in reversed(self.by_csb.values()):
            if key.cache == PkeCache.CACHE and (owner is None or key.owner == owner):
                return key
        return None

    def key_for(self, msg: Message, owner: Id | None) -> CachedKey | None:
        """The cached key that keys a pre-shared key I_MESSAGE: an update (no RAND) by its
        CSB; an initial message (RAND) of an unused CSB ID by its peer's C=1 key."""
        if msg.first(Rand) is None:
            return self.for_update(msg.hdr.csb_id)
        if msg.hdr.csb_id in self.by_csb:
            return None
        return self.for_new_csb(owner)


class CachedKeyResponder(PskResponder):
    """The pre-shared key responder whose pre-shared keys are the cached envelope keys.

    The PK responder hands it the pre-shared key messages it gets; it shares the
    PK responder's CSBs, replay cache and clock, and looks the key up in `keys`
    (EnvelopeKeyCache.key_for). Everything else is the pre-shared key method's.
    """

    def __init__(
        self,
        settings: PskSettings,
        keys: EnvelopeKeyCache,
        csbs: dict[int, Csb],
        env: Environment,
        replay: ReplayCache,
    ) -> None:
        super().__init__(settings, env, replay)
        self.keys = keys
        self.csbs = csbs
        self.key: CachedKey | None = None
        """The cached key of the message being taken."""

    def check_identity(self, msg: Message) -> bytes:
        """IDi and IDr are the configured ones (3.1); the pre-shared key is a cached envelope
        key that keys this message (module doc), else Auth failure (5.3)."""
        super().check_identity(msg)
        self.key = self.keys.key_for(msg, self.read_identities(msg)[0])
        if self.key is None:
            raise Rejection(
                ErrorNo.AUTH_FAILURE,
                f"no cached envelope key keys a PSK message for CSB {msg.hdr.csb_id:#010x} "
                "(RFC 3830 3.2, Table 6.3; 5.3)",
            )
        return self.key.env_key

    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        """The CSB as the pre-shared key method stores it; a new one is keyed by the same
        C=1 key from now on."""
        csb = super().establish(msg, key_data, prior)
        if prior is None and self.key is not None:
            self.keys.keep(csb.csb_id, self.key.cache, self.key.env_key, self.key.owner)
        return csb
