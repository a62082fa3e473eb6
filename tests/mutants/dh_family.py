"""What the DH method (RFC 3830 3.3) and DH-HMAC (RFC 4650) mutants share.

The DH machines stand on the DH-HMAC ones (a DhResponder is a DhHmacResponder with
signatures for the MAC), so one breakage written once, as a subclass of the DH-HMAC
machine, breaks the same rule in both modes: `Family.sut` mixes it into the mode's own
machine. `both_modes` registers such a breakage as one mutant per mode, under each
mode's requirement ID (tests/mutants/dh_family_mutants.py holds them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from mikey.crypto.dh import DhKeyPair, prime
from mikey.modes.dh import DhInitiator, DhResponder
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder
from mikey.wire import DH_VALUE_LENGTH, Dh, Message
from suts.base import Profile, Sut
from suts.builtin import BuiltinSut, ModeBinding, bindings_with, dh_binding, dhhmac_binding
from tests.mutants.bank import mutant

Machine = type[DhHmacInitiator] | type[DhHmacResponder]
"""A DH-HMAC machine class, or a breakage of one."""
M = TypeVar("M", type[DhHmacInitiator], type[DhHmacResponder])

STATIC_X = bytes(range(2, 194))
"""The `random` a mutant draws its 'fresh' private DH value from, every time."""


@dataclass(frozen=True)
class Family:
    """One mode of the DH family: its mutant name prefix, machines and binding."""

    prefix: str
    mode: str
    message: str
    """How the mode's RFC writes its messages: I_MESSAGE (RFC 3830), I_message (RFC 4650)."""
    initiator: type[DhHmacInitiator]
    responder: type[DhHmacResponder]
    binding: Callable[..., ModeBinding]

    def sut(self, profile: Profile, breakage: Machine) -> Sut:
        """The builtin SUT with `breakage` mixed into this mode's initiator or responder."""
        if issubclass(breakage, DhHmacResponder):
            responder = type(breakage.__name__, (breakage, self.responder), {})
            binding = self.binding(responder_class=responder)
        else:
            initiator = type(breakage.__name__, (breakage, self.initiator), {})
            binding = self.binding(initiator_class=initiator)
        return BuiltinSut(profile=profile, bindings=bindings_with(self.mode, binding))


DH = Family("dh", "DH", "I_MESSAGE", DhInitiator, DhResponder, dh_binding)
DH_HMAC = Family("dhhmac", "DH-HMAC", "I_message", DhHmacInitiator, DhHmacResponder, dhhmac_binding)


def register(family: Family, name: str, breakage: Machine, breaks: str, description: str) -> None:
    """Register `breakage` in `family`'s mode as the mutant `<prefix>_<name>`."""

    def factory(profile: Profile) -> Sut:
        return family.sut(profile, breakage)

    factory.__name__ = factory.__qualname__ = f"{family.prefix}_{name}"
    factory.__module__ = breakage.__module__
    mutant(breaks, description.format(message=family.message))(factory)


def both_modes(name: str, dh: str, dhhmac: str, description: str) -> Callable[[M], M]:
    """Register the decorated breakage as `dh_<name>` breaking `dh` and `dhhmac_<name>`
    breaking `dhhmac`; `{message}` in `description` becomes the mode's I_MESSAGE spelling."""

    def register_both(breakage: M) -> M:
        register(DH, name, breakage, dh, description)
        register(DH_HMAC, name, breakage, dhhmac, description)
        return breakage

    return register_both


def raw_secret(pair: DhKeyPair, value: bytes) -> bytes:
    """y^x mod p with no check at all: what a lax implementation computes."""
    x = pair._private.private_numbers().x
    p = prime(pair.group)
    return pow(int.from_bytes(value, "big"), x, p).to_bytes(DH_VALUE_LENGTH[pair.group], "big")


def with_dhi(msg: Message, pair: DhKeyPair) -> Message:
    """`msg` with every DH payload replaced by the DHi of `pair`."""
    dhi = Dh(pair.group, pair.public_value)
    return replace(msg, payloads=tuple(dhi if isinstance(p, Dh) else p for p in msg.payloads))
