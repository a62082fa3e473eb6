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


@mutant("RFC3830-6.6-counter-padding", "PSK responder: COUNTER right-padded into IV and V")
def psk_responder_counter_right_padded(profile: Profile) -> Sut:
    return psk_mutants.with_responder(profile, _PskResponderRightPads)


@mutant("RFC3830-6.6-counter-padding", "PSK responder: COUNTER sign-extended into IV and V")
def psk_responder_counter_sign_extended(profile: Profile) -> Sut:
    return psk_mutants.with_responder(profile, _PskResponderSignExtends)


@mutant("RFC3830-6.6-counter-padding", "PSK initiator: COUNTER right-padded into IV and V")
def psk_initiator_counter_right_padded(profile: Profile) -> Sut:
    return psk_mutants.with_initiator(profile, _PskInitiatorRightPads)


@mutant("RFC3830-6.6-counter-padding", "PK responder: COUNTER sign-extended into IV and V")
def pk_responder_counter_sign_extended(profile: Profile) -> Sut:
    return pk_mutants.with_responder(profile, _PkResponderSignExtends)


@mutant("RFC3830-6.6-counter-padding", "PK initiator: COUNTER right-padded into IV and V")
def pk_initiator_counter_right_padded(profile: Profile) -> Sut:
    return pk_mutants.with_initiator(profile, _PkInitiatorRightPads)


@mutant("RFC3830-6.6-counter-padding", "PSK responder: COUNTER right-padded into V only")
def psk_responder_counter_right_padded_in_v(profile: Profile) -> Sut:
    return psk_mutants.with_responder(profile, _PskResponderRightPadsInV)


@mutant("RFC3830-6.6-counter-padding", "PK initiator: COUNTER right-padded into V only")
def pk_initiator_counter_right_padded_in_v(profile: Profile) -> Sut:
    return pk_mutants.with_initiator(profile, _PkInitiatorRightPadsInV)
