"""The suite's side of a DH-HMAC (RFC 4650) or DH (RFC 3830 3.3) exchange, on top of
conformance.reference.

ReferenceDhHmacInitiator and ReferenceDhHmacResponder are the PSK reference
parties with the DH-HMAC machines inside: the PSK forging helpers (`forge`,
`forge_bytes`, `with_extra`, ...) work on DH-HMAC messages too, since the MAC
sits in the last KEMAC in both modes. The DH-specific forgeries live here: DH
values no group member has (`out_of_range`), and R_messages changed in one way
and MACed anew (`ReferenceDhHmacResponder.forged`). The DH method's parties
(ReferenceDhInitiator, ReferenceDhResponder) are the same with signatures: a
forgery is signed afterwards with the party's key, and `credential=` puts one
of the test PKI's refused certificates (conformance.reference_pk.bad_certificates)
in the place of the good one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from conformance.reference import (
    ByteMutation,
    HarnessError,
    MessageMutation,
    ReferenceInitiator,
    ReferenceResponder,
    environment,
)
from mikey.crypto.dh import prime
from mikey.modes.dh import DhInitiator, DhResponder, DhSettings
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.wire import DH_VALUE_LENGTH, Dh, DhGroup, Message, decode_message
from suts.base import ExchangeParams, Profile, Role
from suts.builtin import dh_settings_for, dhhmac_settings_for

OUT_OF_RANGE: dict[str, Callable[[int], int]] = {
    "zero": lambda p: 0,
    "one": lambda p: 1,
    "p-1": lambda p: p - 1,
    "p": lambda p: p,
    "all-ones": lambda p: (1 << p.bit_length()) - 1,
}
"""DH values outside 2..p-2 (RFC4650-1.1-dh-value-in-group), as functions of p."""


def out_of_range(group: DhGroup, name: str) -> bytes:
    """The DH-value field `name` of OUT_OF_RANGE gives in `group` (its fixed length)."""
    return OUT_OF_RANGE[name](prime(group)).to_bytes(DH_VALUE_LENGTH[group], "big")


def replace_dh(index: int, change: Callable[[Dh], Dh]) -> MessageMutation:
    """A mutation applying `change` to the message's `index`-th DH payload."""

    def mutate(msg: Message) -> Message:
        at = [i for i, p in enumerate(msg.payloads) if isinstance(p, Dh)]
        if len(at) <= index:
            raise HarnessError(f"the message has no DH payload number {index}")
        dh = msg.payloads[at[index]]
        assert isinstance(dh, Dh)
        payloads = list(msg.payloads)
        payloads[at[index]] = change(dh)
        return replace(msg, payloads=tuple(payloads))

    return mutate


class ReferenceDhHmacInitiator(ReferenceInitiator):
    """The reference DH-HMAC initiator, plus forgeries of its I_message."""

    peer: DhHmacInitiator
    settings: DhHmacSettings

    def __init__(self, profile: Profile, params: ExchangeParams, clock_offset: float = 0.0):
        self.params = replace(params, mode="DH-HMAC")
        self.settings = dhhmac_settings_for(profile, self.params)
        self.peer = DhHmacInitiator(self.settings, environment(profile, clock_offset))
        self._message = None

    def update(self, new_keys: bool = True) -> bytes:
        """An update of the current CSB (RFC 4650 3.1): fresh DHi, or none."""
        data = self.peer.start_update(new_keys=new_keys)
        self._message = decode_message(data)
        return data

    def dhi(self) -> Dh:
        dh = self.message.first(Dh)
        if dh is None:
            raise HarnessError("the reference I_message has no DHi")
        return dh


class ReferenceDhHmacResponder(ReferenceResponder):
    """The reference DH-HMAC responder, plus forgeries of its R_message."""

    peer: DhHmacResponder

    def __init__(self, profile: Profile, params: ExchangeParams | None = None) -> None:
        params = replace(params or ExchangeParams(), mode="DH-HMAC")
        self.settings = dhhmac_settings_for(profile, params)
        self.peer = DhHmacResponder(self.settings, environment(profile))

    def last_dhr(self) -> Dh:
        """The DHr of the last R_message."""
        pair = self.peer.last_key_pair
        if pair is None:
            raise HarnessError("the reference responder sent no DHr yet")
        return Dh(pair.group, pair.public_value)

    def forged(self, r_message: bytes, mutate: MessageMutation) -> bytes:
        """The R_message changed by `mutate`, its KEMAC MAC made anew under auth_key."""
        return self.peer.reseal(mutate(decode_message(r_message)))


class ReferenceDhInitiator(ReferenceDhHmacInitiator):
    """The reference DH-method initiator (RFC 3830 3.3), plus signed forgeries."""

    peer: DhInitiator

    def __init__(
        self,
        profile: Profile,
        params: ExchangeParams,
        clock_offset: float = 0.0,
        **changes: Any,
    ) -> None:
        self.params = replace(params, mode="DH")
        self.dh: DhSettings = replace(
            dh_settings_for(profile, self.params, Role.INITIATOR), **changes
        )
        self.settings = self.dh.transport
        self.peer = DhInitiator(self.dh, environment(profile, clock_offset))
        self._message = None

    def forge_bytes(self, mutate: ByteMutation) -> bytes:
        """A new I_MESSAGE changed by `mutate` on the byte level, then signed."""
        self.i_message()
        covered = mutate(self.peer.unsealed_bytes())
        return covered + self.peer.sign_over(covered)


class ReferenceDhResponder(ReferenceDhHmacResponder):
    """The reference DH-method responder (RFC 3830 3.3), plus signed forgeries."""

    peer: DhResponder

    def __init__(
        self, profile: Profile, params: ExchangeParams | None = None, **changes: Any
    ) -> None:
        params = replace(params or ExchangeParams(), mode="DH")
        self.dh: DhSettings = replace(dh_settings_for(profile, params, Role.RESPONDER), **changes)
        self.settings = self.dh.transport
        self.peer = DhResponder(self.dh, environment(profile))
