"""Every kind of message the two Diffie-Hellman modes emit, made by the modes' own classes.

DH-HMAC (RFC 4650) and DH (RFC 3830 3.3): the I_message and R_message in each
OAKLEY group, with and without IDi, re-keying updates (fresh DHi) and plain
updates (no DHi) with their answers, RSA PKCS#1 v1.5 and PSS signatures (DH),
and the responder's Error messages. The random source is seeded; the clock stands still.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Protocol

from mikey.crypto.signature import RSA_SIGN_TYPES
from mikey.modes.base import Environment, Outcome, Reply
from mikey.modes.dh import DhInitiator, DhResponder
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.wire import Dh, DhGroup, Id, IdType, SignType, decode_message, payload_offsets
from suts.base import ExchangeParams, Profile, Role
from suts.builtin import dh_settings_for

CLOCK = time.time()  # fixed at import: the test PKI's certificates are valid around now
SETTINGS = DhHmacSettings(
    psk=bytes(range(0x40, 0x60)),
    id_i=Id(IdType.URI, b"sip:initiator@example.org"),
    id_r=Id(IdType.NAI, b"responder@example.org"),
)
STEPS = ("i-message", "rekey", "plain-update")


def environment(seed: int) -> Environment:
    return Environment(clock=lambda: CLOCK, random=random.Random(seed).randbytes)


class Initiator(Protocol):
    def start(self) -> bytes: ...

    def start_update(self, csb_id: int | None = None, new_keys: bool = True) -> bytes: ...

    def receive(self, data: bytes) -> Outcome: ...


class Responder(Protocol):
    def receive(self, data: bytes) -> Reply: ...


Parties = Callable[[DhGroup, bool, SignType], tuple[Initiator, Responder]]


def dhhmac_parties(
    group: DhGroup, send_id_i: bool, s_type: SignType
) -> tuple[Initiator, Responder]:
    s = replace(SETTINGS, group=group, send_id_i=send_id_i)
    return DhHmacInitiator(s, environment(1)), DhHmacResponder(s, environment(2))


def dh_parties(group: DhGroup, send_id_i: bool, s_type: SignType) -> tuple[Initiator, Responder]:
    params = ExchangeParams(mode="DH", dh_group=group, include_ids=send_id_i)
    mine = replace(dh_settings_for(Profile(), params, Role.INITIATOR), s_type=s_type)
    theirs = replace(dh_settings_for(Profile(), params, Role.RESPONDER), s_type=s_type)
    return DhInitiator(mine, environment(1)), DhResponder(theirs, environment(2))


def exchanges(
    mode: str, parties: Parties, s_types: tuple[SignType, ...]
) -> Iterator[tuple[str, bytes]]:
    """Initial exchange, re-keying update and plain update, per group, ID choice, S type."""
    for group in DhGroup:
        for send_id_i in (True, False):
            for s_type in s_types:
                initiator, responder = parties(group, send_id_i, s_type)
                ids = "ids" if send_id_i else "few-ids"
                name = f"{mode}-{group.name.lower()}-{ids}-{s_type.name.lower()}"
                for step in STEPS:
                    if step == "i-message":
                        message = initiator.start()
                    else:
                        message = initiator.start_update(new_keys=step == "rekey")
                    reply = responder.receive(message)
                    assert reply.outcome.accepted and reply.message, reply.outcome.reason
                    assert initiator.receive(reply.message).accepted
                    yield f"{name}-{step}", message
                    yield f"{name}-{step}-answer", reply.message


def error_messages(mode: str, parties: Parties) -> Iterator[tuple[str, bytes]]:
    """The responder's Error messages: a failed MAC/signature, an unknown DH group."""
    initiator, responder = parties(DhGroup.OAKLEY_1, True, SignType.RSA_PKCS1_1_5)
    data = initiator.start()
    for name, message in (
        ("auth-failure", data[:-1] + bytes([data[-1] ^ 1])),
        ("unknown-group", _group_3(data)),
    ):
        reply = responder.receive(message)
        assert reply.message is not None, reply.outcome.reason
        yield f"{mode}-error-{name}", reply.message


def _group_3(data: bytes) -> bytes:
    """The message with its DH payload's DH-Group set to 3 (unassigned in Table 6.4)."""
    msg = decode_message(data)
    at = next(
        o for p, o in zip(msg.payloads, payload_offsets(msg), strict=True) if isinstance(p, Dh)
    )
    return data[: at + 1] + b"\x03" + data[at + 2 :]


def dh_modes_corpus() -> dict[str, bytes]:
    """Both modes' messages, by name."""
    pkcs1 = (SignType.RSA_PKCS1_1_5,)
    return dict(
        [
            *exchanges("dhhmac", dhhmac_parties, pkcs1),
            *error_messages("dhhmac", dhhmac_parties),
            *exchanges("dh", dh_parties, RSA_SIGN_TYPES),
            *error_messages("dh", dh_parties),
        ]
    )
