"""The mutation engine, the requirement attribution and delta reduction."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.fuzz import blame
from conformance.fuzz.cases import DecoderCase, ResponderCase, case_from_dict, decoder_cases, seeds
from conformance.fuzz.layout import layout_of
from conformance.fuzz.minimise import ddmin, ddmin_bytes
from conformance.fuzz.mutators import (
    Drop,
    Duplicate,
    SetField,
    Swap,
    apply_ops,
    mutations,
    op_from_dict,
)
from conformance.requirements import load as load_catalog
from mikey.wire import DecodeError, decode_message, encode_message
from suts.base import Profile

FAST = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))


def catalog_ids() -> set[str]:
    return set(load_catalog())


def test_every_seed_renders_back_to_its_bytes() -> None:
    for name, layout in seeds():
        msg = decode_message(layout.render())
        assert encode_message(msg) == layout.render(), name


def test_structural_ops_keep_the_chain_valid() -> None:
    _, layout = next(s for s in seeds() if s[0] == "pk-i-message")
    for op in (Duplicate("x", 1), Drop("x", 0), Swap("x", 0, 2)):
        data = apply_ops(layout, [op], dict(seeds()).__getitem__)
        decode_message(data)  # the Next payload chain is rebuilt: still decodes


def test_a_lying_length_is_blamed_on_its_rule() -> None:
    """Mid-message, the decoder notices the lie later on; the mutation knows its rule."""
    _, layout = next(s for s in seeds() if s[0] == "rand-32-bytes")
    field = next(f for f in layout.fields() if f.name == "RAND len")
    op = SetField(field.requirement, field.name, field.at, field.width, field.bits, 0, 200)
    try:
        decode_message(apply_ops(layout, [op], dict(seeds()).__getitem__))
    except DecodeError as err:
        assert blame.decode_rule(err) == "RFC3830-6.1-next-payload"
        assert blame.case_rule([op], err, "") == "RFC3830-6.11-rand-length"
    else:
        raise AssertionError("a RAND len of 200 was accepted")


@FAST
@given(st.sampled_from(seeds()), st.data())
def test_ops_round_trip_through_json(seed: tuple[str, object], data: st.DataObject) -> None:
    _, layout = seed
    ops = data.draw(mutations(layout, seeds()))  # type: ignore[arg-type]
    assert tuple(op_from_dict(o.to_dict()) for o in ops) == ops


@FAST
@given(decoder_cases())
def test_every_rule_a_case_cites_is_in_the_catalog(case: DecoderCase) -> None:
    known = catalog_ids()
    assert all(op.requirement in known for op in case.ops)
    try:
        decode_message(case.data)
    except DecodeError as err:
        assert blame.decode_rule(err) in known, err
    assert case_from_dict(case.to_dict()) == case


def test_responder_rules_are_in_the_catalog() -> None:
    rules = {*blame.ERROR_RULES.values(), blame.PARSE, blame.ERROR_NUMBER, blame.KEYS}
    assert rules <= catalog_ids()


def test_responder_case_is_rebuilt_with_a_new_timestamp_only() -> None:
    _, layout = next(s for s in seeds() if s[0] == "psk-i-message")
    case = case_from_dict(
        {
            "role": "responder",
            "seed": 7,
            "reseal": True,
            "ops": [],
            "params": {
                "encr_alg": "AES_CM_128",
                "mac_alg": "HMAC_SHA_1_160",
                "key_type": "TGK",
                "v": True,
            },
        }
    )
    assert isinstance(case, ResponderCase)
    a, _ = case.build(Profile(), 1.8e9)
    b, _ = case.build(Profile(), 1.8e9 + 5)
    ma, mb = decode_message(a), decode_message(b)
    assert ma.hdr == mb.hdr and ma.payloads[1:-1] == mb.payloads[1:-1]
    assert ma.payloads[0] != mb.payloads[0]  # T
    assert layout_of(ma, a).segments[0].kind == layout.segments[0].kind


def test_ddmin_finds_a_one_minimal_input() -> None:
    data = bytes(range(64))
    assert ddmin_bytes(data, lambda d: 5 in d and 60 in d) == bytes([5, 60])
    assert ddmin([1, 2, 3], lambda xs: True) == []
