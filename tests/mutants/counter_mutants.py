"""COUNTER padding mutants (RFC 3830 6.6 note): T enters the IV and V otherwise than as
its 32-bit value with leading zeros.

Each swaps one PSK or PK machine for a subclass whose `timestamp_input` (the one place
a party turns T into the 64-bit input of the AES-CM IV, 4.2.3, and of the verification
MAC, 5.2; mikey.modes.base.TimestampInput) pads a COUNTER wrongly. An NTP T is left
alone, so nothing else changes. Both kinds of wrong padding a C implementation makes:
the counter shifted into the upper half (right-padded, as if the 32 bits were copied
to the start of a 64-bit field) and sign-extended (a signed 32-bit counter widened).
The "in V only" ones keep the IV right and pad wrongly in the verification MAC alone, so
the tests' check of V, not only the KEMAC's opening, is proven to bite.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mikey.crypto import KemacKeys
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.wire import Message, Timestamp, TsType
from suts.base import Profile, Sut
from tests.mutants import pk_mutants, psk_mutants
from tests.mutants.bank import mutant


def right_padded(t: Timestamp) -> int:
    """A COUNTER as the upper 32 bits of T, zeros below."""
    return t.value << 32 if t.ts_type == TsType.COUNTER else t.value


def sign_extended(t: Timestamp) -> int:
    """A COUNTER with its high bit copied into the upper 32 bits."""
    if t.ts_type == TsType.COUNTER and t.value & 0x8000_0000:
        return t.value | 0xFFFF_FFFF_0000_0000
    return t.value


class _PskResponderRightPadsInV(PskResponder):
    """Right-pads T while it seals the verification message only (5.2)."""

    sealing = False

    def reseal_verification(
        self, r_message: Message, i_message: Message | None = None, keys: KemacKeys | None = None
    ) -> bytes:
        self.sealing = True
        try:
            return super().reseal_verification(r_message, i_message, keys)
        finally:
            self.sealing = False

    def timestamp_input(self, t: Timestamp) -> int:
        return right_padded(t) if self.sealing else super().timestamp_input(t)


class _PkInitiatorRightPadsInV(PkInitiator):
    """Right-pads T while it verifies the verification message only (5.2)."""

    verifying = False

    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        self.verifying = True
        try:
            super().verify_v(data, msg, sent, keys)
        finally:
            self.verifying = False

    def timestamp_input(self, t: Timestamp) -> int:
        return right_padded(t) if self.verifying else super().timestamp_input(t)


class _PskResponderRightPads(PskResponder):
    def timestamp_input(self, t: Timestamp) -> int:
        return right_padded(t)


class _PskResponderSignExtends(PskResponder):
    def timestamp_input(self, t: Timestamp) -> int:
        return sign_extended(t)


class _PskInitiatorRightPads(PskInitiator):
    def timestamp_input(self, t: Timestamp) -> int:
        return right_padded(t)


class _PkResponderSignExtends(PkResponder):
    def timestamp_input(self, t: Timestamp) -> int:
        return sign_extended(t)


class _PkInitiatorRightPads(PkInitiator):
    def timestamp_input(self, t: Timestamp) -> int:
        return right_padded(t)


BREAKS = "RFC3830-6.6-counter-padding"
Build = Callable[[Profile, Any], Sut]

WRONG_PADDINGS: tuple[tuple[str, str, Build, type], ...] = (
    (
        "psk_responder_counter_right_padded",
        "PSK responder: COUNTER right-padded into IV and V",
        psk_mutants.with_responder,
        _PskResponderRightPads,
    ),
    (
        "psk_responder_counter_sign_extended",
        "PSK responder: COUNTER sign-extended into IV and V",
        psk_mutants.with_responder,
        _PskResponderSignExtends,
    ),
    (
        "psk_responder_counter_right_padded_in_v",
        "PSK responder: COUNTER right-padded into V only",
        psk_mutants.with_responder,
        _PskResponderRightPadsInV,
    ),
    (
        "psk_initiator_counter_right_padded",
        "PSK initiator: COUNTER right-padded into IV and V",
        psk_mutants.with_initiator,
        _PskInitiatorRightPads,
    ),
    (
        "pk_responder_counter_sign_extended",
        "PK responder: COUNTER sign-extended into IV and V",
        pk_mutants.with_responder,
        _PkResponderSignExtends,
    ),
    (
        "pk_initiator_counter_right_padded",
        "PK initiator: COUNTER right-padded into IV and V",
        pk_mutants.with_initiator,
        _PkInitiatorRightPads,
    ),
    (
        "pk_initiator_counter_right_padded_in_v",
        "PK initiator: COUNTER right-padded into V only",
        pk_mutants.with_initiator,
        _PkInitiatorRightPadsInV,
    ),
)
"""(name, what it does wrong, how the SUT is built, the machine class swapped in)."""


def register(name: str, description: str, build: Build, cls: type) -> None:
    """Register the built-in SUT with `cls` swapped in as mutant `name`."""

    def factory(profile: Profile) -> Sut:
        return build(profile, cls)

    factory.__name__ = name
    mutant(BREAKS, description)(factory)


for _entry in WRONG_PADDINGS:
    register(*_entry)
