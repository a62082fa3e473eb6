"""Wireshark's MIKEY dissector as decode oracle for every message DH-HMAC (RFC 4650) emits.

The messages come from the mode's own classes (fixed clock, seeded random): the
I_message and R_message in each OAKLEY group, with and without IDi, updates with
and without DHi and their answers, and the responder's Error messages. All go
through tshark in ONE run (a module fixture), as tests/oracle/test_tshark_oracle.py
does for the codec and PSK corpora.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import pytest

from conformance.oracle.compare import CrossCheck, cross_check
from conformance.oracle.tshark import OracleUnavailable, tshark_path
from mikey.modes.base import Environment
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.wire import DecodeError, DhGroup, Id, IdType, decode_message

CLOCK = 1_767_225_600.25  # 2026-01-01 00:00:00.25 UTC
SETTINGS = DhHmacSettings(
    psk=bytes(range(0x40, 0x60)),
    id_i=Id(IdType.URI, b"sip:initiator@example.org"),
    id_r=Id(IdType.NAI, b"responder@example.org"),
)


def environment(seed: int) -> Environment:
    return Environment(clock=lambda: CLOCK, random=random.Random(seed).randbytes)


def exchanges() -> Iterator[tuple[str, bytes]]:
    """Initial exchange, re-keying update and plain update, per group and ID choice."""
    for group in DhGroup:
        for send_id_i in (True, False):
            name = f"{group.name.lower()}-{'ids' if send_id_i else 'idr-only'}"
            s = replace(SETTINGS, group=group, send_id_i=send_id_i)
            initiator = DhHmacInitiator(s, environment(1))
            responder = DhHmacResponder(s, environment(2))
            for step in ("i-message", "rekey", "plain-update"):
                if step == "i-message":
                    message = initiator.start()
                else:
                    message = initiator.start_update(new_keys=step == "rekey")
                reply = responder.receive(message)
                assert reply.outcome.accepted and reply.message, reply.outcome.reason
                assert initiator.receive(reply.message).accepted
                yield f"dhhmac-{name}-{step}", message
                yield f"dhhmac-{name}-{step}-answer", reply.message


def error_messages() -> Iterator[tuple[str, bytes]]:
    """The responder's Error messages: a failed HMAC, a group it does not take."""
    initiator = DhHmacInitiator(replace(SETTINGS, group=DhGroup.OAKLEY_1), environment(3))
    strict = replace(SETTINGS, accepted_groups=frozenset({DhGroup.OAKLEY_5}))
    data = initiator.start()
    for name, message in (("auth-failure", data[:-1] + bytes([data[-1] ^ 1])), ("dh", data)):
        reply = DhHmacResponder(strict, environment(4)).receive(message)
        assert reply.message is not None, reply.outcome.reason
        yield f"dhhmac-error-{name}", reply.message


CORPUS = dict([*exchanges(), *error_messages()])


@pytest.fixture(scope="module")
def checked() -> dict[str, CrossCheck]:
    """Every message of this module, cross-checked in a single tshark run."""
    try:
        tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")
    return dict(zip(CORPUS, cross_check(list(CORPUS.values())), strict=True))


def test_the_corpus_has_both_data_types_and_errors() -> None:
    kinds = {decode_message(data).hdr.data_type.name for data in CORPUS.values()}
    assert kinds == {"DHHMAC_INIT", "DHHMAC_RESP", "ERROR"}
    assert len(CORPUS) == len(DhGroup) * 2 * 6 + 2


@pytest.mark.parametrize("name", list(CORPUS))
def test_tshark_agrees_with_our_decoder(checked: dict[str, CrossCheck], name: str) -> None:
    result = checked[name]
    assert not isinstance(result.ours, DecodeError), result.ours
    assert result.frame.mikey == result.data, "tshark did not dissect the datagram as MIKEY"
    assert not result.frame.malformed, result.frame.expert
    assert result.frame.errors == []
    assert [str(d) for d in result.discrepancies] == []
