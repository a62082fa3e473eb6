"""Each check is the only guard of its rule: without it, the message gets through.

This is what makes a mutant bank possible: a subclass that overrides exactly one
check (here, to do nothing) accepts exactly the fault that check rejects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from mikey.modes.psk import PskInitiator, PskResponder
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    DataType,
    Error,
    ErrorNo,
    Id,
    IdType,
    Kemac,
    MacAlg,
    Message,
    PolicyParam,
    Rand,
    SecurityPolicy,
    SrtpParam,
    Timestamp,
    decode_message,
)
from tests.modes.pairs import Pair, make_pair

CAROL = Id(IdType.URI, b"sip:carol@mikey.test")


def with_payloads(msg: Message, payloads: tuple[Any, ...]) -> Message:
    return replace(msg, payloads=payloads)


def data_type_pk(pair: Pair) -> bytes:
    msg = pair.initiator.compose()
    return pair.initiator.seal(replace(msg, hdr=replace(msg.hdr, data_type=DataType.PK_INIT)))


def kemac_first(pair: Pair) -> bytes:
    msg = pair.initiator.compose()
    return pair.initiator.seal(with_payloads(msg, (msg.payloads[-1], *msg.payloads[:-1])))


def foreign_payload(pair: Pair) -> bytes:
    msg = pair.initiator.compose()
    return pair.initiator.seal(with_payloads(msg, (Error(ErrorNo.UNSPECIFIED), *msg.payloads)))


def stale(pair: Pair) -> bytes:
    data = pair.initiator.start()
    pair.clock.now += 3600
    return data


def replayed_update(pair: Pair) -> bytes:
    pair.responder.receive(pair.initiator.start())
    update = pair.initiator.start_update()
    assert pair.responder.receive(update).outcome.accepted
    return update


def csb_id_in_use(pair: Pair) -> bytes:
    first = pair.initiator.start()
    assert pair.responder.receive(first).outcome.accepted
    pair.initiator.csbs.clear()
    return pair.initiator.start(csb_id=decode_message(first).hdr.csb_id)


def null_mac_with_encryption(pair: Pair) -> bytes:
    msg = pair.initiator.compose()
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac)
    null = replace(kemac, mac_alg=MacAlg.NULL, mac=b"")
    return pair.initiator.seal(with_payloads(msg, (*msg.payloads[:-1], null)))


def flipped_mac(pair: Pair) -> bytes:
    data = pair.initiator.start()
    return data[:-1] + bytes([data[-1] ^ 1])


def no_key_data(pair: Pair) -> bytes:
    msg = pair.initiator.compose()
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac)
    return pair.initiator.seal(
        with_payloads(msg, (*msg.payloads[:-1], replace(kemac, encr_data=b"")))
    )


def unsupported_policy(pair: Pair) -> bytes:
    f8 = PolicyParam(SrtpParam.ENCR_ALG, b"\x02")
    odd = SecurityPolicy(0, DEFAULT_SRTP_POLICY.prot_type, (f8,))
    msg = pair.initiator.compose()
    return pair.initiator.seal(
        with_payloads(msg, tuple(odd if isinstance(p, SecurityPolicy) else p for p in msg.payloads))
    )


RESPONDER_CASES: list[tuple[str, Callable[[Pair], bytes], dict[str, Any]]] = [
    ("check_data_type", data_type_pk, {}),
    ("check_payloads", kemac_first, {}),
    ("check_payloads", foreign_payload, {}),
    ("check_timestamp", stale, {}),
    ("check_replay", replayed_update, {}),
    ("check_identity", lambda pair: pair.initiator.start(), {"id_i": CAROL}),
    ("check_csb", csb_id_in_use, {}),
    ("check_algorithms", null_mac_with_encryption, {}),
    ("verify_mac", flipped_mac, {}),
    ("check_key_data", no_key_data, {}),
    ("check_policies", unsupported_policy, {}),
]


def skipping(cls: type, check: str) -> type:
    """A subclass whose `check` does nothing (check_identity: hands out the PSK)."""
    if check == "check_identity":
        return type("Mutant", (cls,), {check: lambda self, msg: self.settings.psk})
    if check == "check_csb":
        return type("Mutant", (cls,), {check: lambda self, msg: None})
    return type("Mutant", (cls,), {check: lambda self, *args: None})


@pytest.mark.parametrize(
    ("check", "provoke", "responder_changes"),
    RESPONDER_CASES,
    ids=[f"{c[0]}-{c[1].__name__}" for c in RESPONDER_CASES],
)
def test_responder_check_stands_alone(
    check: str, provoke: Callable[[Pair], bytes], responder_changes: dict[str, Any]
) -> None:
    for cls, accepted in ((PskResponder, False), (skipping(PskResponder, check), True)):
        pair = make_pair(responder_changes=responder_changes, v=False)
        pair.responder = cls(pair.responder.settings, pair.responder.env)
        outcome = pair.responder.receive(provoke(pair)).outcome
        assert outcome.accepted is accepted, (cls.__name__, outcome.reason)


def answered(pair: Pair) -> Message:
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.message is not None
    return decode_message(reply.message)


def r_other_csb(pair: Pair, r: Message) -> Message:
    return replace(r, hdr=replace(r.hdr, csb_id=r.hdr.csb_id ^ 1))


def r_other_t(pair: Pair, r: Message) -> Message:
    t = r.first(Timestamp)
    assert t is not None
    return with_payloads(r, (replace(t, value=t.value + 1), *r.payloads[1:]))


def r_other_id(pair: Pair, r: Message) -> Message:
    return with_payloads(r, (r.payloads[0], CAROL, r.payloads[-1]))


def r_data_type(pair: Pair, r: Message) -> Message:
    return replace(r, hdr=replace(r.hdr, data_type=DataType.DH_RESP))


def r_extra_payload(pair: Pair, r: Message) -> Message:
    return with_payloads(r, (Rand(bytes(16)), *r.payloads))


INITIATOR_CASES = [
    ("check_csb_id", r_other_csb),
    ("check_timestamp", r_other_t),
    ("check_identity", r_other_id),
    ("check_data_type", r_data_type),
    ("check_payloads", r_extra_payload),
]


@pytest.mark.parametrize(("check", "forge"), INITIATOR_CASES, ids=[c[0] for c in INITIATOR_CASES])
def test_initiator_check_stands_alone(
    check: str, forge: Callable[[Pair, Message], Message]
) -> None:
    for cls, accepted in ((PskInitiator, False), (skipping(PskInitiator, check), True)):
        pair = make_pair()
        pair.initiator = cls(pair.initiator.settings, pair.initiator.env)
        forged = pair.responder.reseal_verification(forge(pair, answered(pair)))
        outcome = pair.initiator.receive(forged)
        assert outcome.accepted is accepted, (cls.__name__, outcome.reason)


def test_initiator_verify_v_stands_alone() -> None:
    for cls, accepted in ((PskInitiator, False), (skipping(PskInitiator, "verify_v"), True)):
        pair = make_pair()
        pair.initiator = cls(pair.initiator.settings, pair.initiator.env)
        data = pair.responder.reseal_verification(answered(pair))
        outcome = pair.initiator.receive(data[:-1] + bytes([data[-1] ^ 1]))
        assert outcome.accepted is accepted, (cls.__name__, outcome.reason)
