"""Property tests: round trips for every payload, and a decoder that never misbehaves.

Robustness: over arbitrary bytes and over mutated valid messages, `decode_message`
(and `decode_key_data`, `decode_key_ids`) only ever returns a value or raises
DecodeError, whose offset lies within the input and which names a payload and
an RFC section. Canonical encoding: any Message returned re-encodes to exactly
the input bytes, except for reserved bits (DH Reserv, ERR Reserved), which the
decoder ignores and the encoder writes as zero (see keytransport.py, basic.py);
the property compares against the input with those bits cleared.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.fuzz import strategies as ws
from conformance.fuzz.cases import DecoderCase, decoder_cases
from mikey.wire import (
    DH_VALUE_LENGTH,
    DecodeError,
    Dh,
    Error,
    Id,
    KeyData,
    KeyIdEntry,
    Message,
    Payload,
    decode_key_data,
    decode_key_data_with_id,
    decode_key_ids,
    decode_message,
    encode_key_data,
    encode_key_data_with_id,
    encode_key_ids,
    encode_message,
    message_from_dict,
    message_to_dict,
    payload_offsets,
)
from tests.wire.hexdata import hx

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def canonical(data: bytes, msg: Message) -> bytes:
    """`data` with the reserved bits of msg's DH and ERR payloads cleared."""
    out = bytearray(data)
    for offset, p in zip(payload_offsets(msg), msg.payloads, strict=True):
        if isinstance(p, Dh):
            out[offset + 2 + DH_VALUE_LENGTH[p.group]] &= 0x0F  # Reserv (4 bits) | KV
        elif isinstance(p, Error):
            out[offset + 2 : offset + 4] = bytes(2)  # Reserved (16 bits)
    return bytes(out)


def check_error(err: DecodeError, data: bytes) -> None:
    assert 0 <= err.offset <= len(data), err
    assert err.payload and err.section.startswith("RFC "), err
    assert str(err)


def check_decode(data: bytes) -> Message | None:
    """Decode `data`; only a Message or DecodeError may come out, and a Message is canonical."""
    try:
        msg = decode_message(data)
    except DecodeError as err:
        check_error(err, data)
        return None
    assert isinstance(msg, Message)
    assert encode_message(msg) == canonical(data, msg)
    return msg


# --- Round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ws.PAYLOAD_STRATEGIES))
@FAST
@given(data=st.data())
def test_payload_round_trip(name: str, data: st.DataObject) -> None:
    payload: Payload = data.draw(ws.PAYLOAD_STRATEGIES[name])
    msg = Message(data.draw(ws.headers()), (payload,))
    assert decode_message(encode_message(msg)) == msg


@THOROUGH
@given(ws.messages())
def test_message_round_trip(msg: Message) -> None:
    data = encode_message(msg)
    assert decode_message(data) == msg
    assert check_decode(data) == msg


@FAST
@given(ws.messages())
def test_json_form_round_trip(msg: Message) -> None:
    d = message_to_dict(msg)
    assert message_from_dict(json.loads(json.dumps(d))) == msg


@FAST
@given(ws.key_data_chains)
def test_key_data_round_trip(items: tuple[KeyData, ...]) -> None:
    assert decode_key_data(encode_key_data(items)) == items


@FAST
@given(ws.ids, ws.key_data_chains)
def test_key_data_with_id_round_trip(ident: Id, items: tuple[KeyData, ...]) -> None:
    assert decode_key_data_with_id(encode_key_data_with_id(ident, items)) == (ident, items)


@FAST
@given(ws.key_id_lists)
def test_key_ids_round_trip(entries: tuple[KeyIdEntry, ...]) -> None:
    assert decode_key_ids(encode_key_ids(entries)) == entries


# --- Robustness ------------------------------------------------------------------------

header_prefixed = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from([hx("01 00"), hx("01 02"), hx("01 04")]).flatmap(
        lambda v: st.builds(lambda rest: v + rest, st.binary(min_size=8, max_size=8))
    ),
    st.binary(max_size=80),
)
"""Bytes that start like a HDR (version 1, a known data type), to get past it often."""


@THOROUGH
@given(st.one_of(st.binary(max_size=64), header_prefixed))
def test_arbitrary_bytes_decode_or_raise_decode_error(data: bytes) -> None:
    check_decode(data)


@THOROUGH
@given(decoder_cases())
def test_mutated_messages_decode_or_raise_decode_error(case: DecoderCase) -> None:
    check_decode(case.data)


@FAST
@given(st.one_of(st.binary(max_size=64), ws.key_data_chains.map(encode_key_data)), st.data())
def test_key_data_decoder_is_strict(data: bytes, draw: st.DataObject) -> None:
    if data and draw.draw(st.booleans()):
        pos = draw.draw(st.integers(0, len(data) - 1))
        data = data[:pos] + bytes([data[pos] ^ draw.draw(st.integers(1, 255))]) + data[pos + 1 :]
    for decode in (decode_key_data, decode_key_data_with_id, decode_key_ids):
        try:
            decode(data)
        except DecodeError as err:
            check_error(err, data)
    try:
        items = decode_key_data(data)
    except DecodeError:
        return
    assert encode_key_data(items) == data


def test_deep_chain_does_not_recurse() -> None:
    """Thousands of chained payloads decode in a loop, not by recursion."""
    n = 20000
    data = hx("01 00 0b 00 00000001 00 00") + hx("0b 00") * (n - 1) + hx("00 00")
    msg = decode_message(data)
    assert len(msg.payloads) == n
    keys = hx("14 00 0000") * (n - 1) + hx("00 00 0000")
    assert len(decode_key_data(keys)) == n


def test_reserved_bits_are_ignored_and_encoded_as_zero() -> None:
    """RFC 3830 sets no MUST for Reserved fields: decode ignores them, encode writes 0."""
    err = hx("01 06 0c 00 00000001 00 00", "00 0c abcd")
    msg = decode_message(err)
    assert encode_message(msg) == hx("01 06 0c 00 00000001 00 00", "00 0c 0000")
    dh = hx("01 04 03 00 00000001 00 00", "00 01 " + "00" * 96 + " f0")
    assert encode_message(decode_message(dh))[-1] == 0x00
