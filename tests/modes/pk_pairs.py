"""A PK initiator and responder on one clock, with the test PKI, and forgery helpers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from conformance.testpki import TestPki, test_pki
from mikey.credentials import Credential
from mikey.modes.pk_common import PkSettings
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.rsar_common import RsaRSettings
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.rsar_responder import RsaRResponder
from mikey.wire import Message, Timestamp
from tests.modes.pairs import ALICE, BOB, Clock, environment, psk_settings

PKI: TestPki = test_pki(ALICE, BOB)


def pk_settings(own: Credential, peer: Credential, **changes: Any) -> PkSettings:
    transport = psk_settings(**changes.pop("transport", {}))
    return PkSettings(transport, own, (PKI.root,), peer=peer, initiator_id=ALICE, **changes)


@dataclass
class PkPair:
    initiator: PkInitiator
    responder: PkResponder
    clock: Clock = field(default_factory=Clock)

    def forge(self, mutate: Callable[[Message], Message]) -> bytes:
        """A new I_MESSAGE changed by `mutate`, then signed."""
        return self.initiator.seal(mutate(self.initiator.compose()))


def make_pk_pair(
    initiator_cred: Credential | None = None,
    responder_changes: dict[str, Any] | None = None,
    **changes: Any,
) -> PkPair:
    clock = Clock(time.time())  # the test PKI's certificates are valid around now
    own_i = initiator_cred or PKI.initiator.good
    i_settings = pk_settings(own_i, PKI.responder.good, **changes)
    r_settings = pk_settings(
        PKI.responder.good, PKI.initiator.good, **{**changes, **(responder_changes or {})}
    )
    return PkPair(
        PkInitiator(i_settings, environment(clock, 1)),
        PkResponder(r_settings, environment(clock, 2)),
        clock,
    )


def timestamp_of(msg: Message) -> Timestamp:
    t = msg.first(Timestamp)
    assert t is not None
    return t


def replaced(msg: Message, kind: type, new: Any) -> Message:
    """`msg` with every payload of class `kind` replaced by `new` (None: dropped)."""
    payloads = tuple(
        (new if isinstance(p, kind) else p)
        for p in msg.payloads
        if not (isinstance(p, kind) and new is None)
    )
    return replace(msg, payloads=payloads)


def make_rsar_pair(
    initiator_cred: Credential | None = None,
    responder_cred: Credential | None = None,
    group: bool = False,
    **changes: Any,
) -> tuple[RsaRInitiator, RsaRResponder]:
    clock = Clock(time.time())
    anchors = (PKI.root,)
    i_settings = RsaRSettings(
        psk_settings(), initiator_cred or PKI.initiator.good, anchors,
        peer=PKI.responder.good, initiator_id=ALICE, group=group, **changes,
    )  # fmt: skip
    r_settings = RsaRSettings(
        psk_settings(), responder_cred or PKI.responder.good, anchors,
        peer=PKI.initiator.good, initiator_id=ALICE, group=group,
    )  # fmt: skip
    return RsaRInitiator(i_settings, environment(clock, 1)), RsaRResponder(
        r_settings, environment(clock, 2)
    )
