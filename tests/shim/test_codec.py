"""The shared JSON codec: every interface type reads back what it wrote, and bad forms are named."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)

from conformance.testpki import pk_material
from mikey.srtp import SrtpKeys
from mikey.wire.payloads import Id, PolicyParam, SecurityPolicy, SrtpIdEntry
from mikey.wire.registry import (
    EncrAlg,
    ErrorNo,
    IdType,
    KeyType,
    MacAlg,
    PkeCache,
    ProtType,
    TsType,
)
from suts.base import (
    Capabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Profile,
    Reply,
    Role,
    UpdateParams,
)
from suts.shim import codec
from suts.shim.codec import CodecError
from suts.shim.protocol import ErrorKind, ShimError, error_line, read_answer, result_line


def through_json(obj: Any) -> Any:
    return json.loads(json.dumps(obj))


PARAMS = ExchangeParams(
    v=False,
    encr_alg=EncrAlg.AES_KW_128,
    mac_alg=MacAlg.NULL,
    key_type=KeyType.TEK_SALT,
    cs_map=(SrtpIdEntry(1, 0xDEADBEEF, 7),),
    policies=(SecurityPolicy(1, ProtType.SRTP, (PolicyParam(0, b"\x01"),)),),
    include_ids=False,
    initiator_rand=False,
    rsar_group=True,
    pke_cache=PkeCache.CACHE_FOR_CSB,
    ts_type=TsType.COUNTER,
)


@pytest.mark.parametrize(
    ("value", "to_json", "from_json"),
    [
        (PARAMS, codec.params_to_json, codec.params_from_json),
        (ExchangeParams(), codec.params_to_json, codec.params_from_json),
        (Reply(b"\x01\x02", None, "x"), codec.reply_to_json, codec.reply_from_json),
        (Reply(None, False), codec.reply_to_json, codec.reply_from_json),
        (
            Outcome(False, ErrorNo.INVALID_TS, "late"),
            codec.outcome_to_json,
            codec.outcome_from_json,
        ),
        (
            DecodeResult(True, {"hdr": {}, "payloads": []}),
            codec.decoded_to_json,
            codec.decoded_from_json,
        ),
        (SrtpKeys(b"k" * 16, b"s" * 14), codec.keys_to_json, codec.keys_from_json),
        (UpdateParams(), codec.update_params_to_json, codec.update_params_from_json),
        (
            UpdateParams(new_keys=False, cs_map=(SrtpIdEntry(0, 7, 0), SrtpIdEntry(1, 8, 2))),
            codec.update_params_to_json,
            codec.update_params_from_json,
        ),
        (
            Capabilities(
                "x",
                frozenset({"PSK"}),
                frozenset(Role),
                exports_keys=True,
                rand_optional=True,
                rsar_group=True,
                envelope_key_cache=True,
                update_keeps_keys=True,
                update_adds_sessions=True,
                ts_types=frozenset(TsType),
            ),
            codec.capabilities_to_json,
            codec.capabilities_from_json,
        ),
    ],
)
def test_round_trip(value: Any, to_json: Any, from_json: Any) -> None:
    assert from_json(through_json(to_json(value))) == value


def test_a_profile_travels_with_the_test_pki_when_it_brings_none() -> None:
    """The SUT's process must hold the credentials the reference side uses (testpki)."""
    profile = Profile(psk=b"k" * 20, id_responder=Id(IdType.NAI, b"bob"), max_skew=5)
    back = codec.profile_from_json(through_json(codec.profile_to_json(profile)))
    assert replace(back, pk=None) == profile
    sent, used = back.pk, pk_material(profile)
    assert sent is not None
    assert sent.trust_anchors == used.trust_anchors and sent.envelope == used.envelope
    for got, want in ((sent.initiator, used.initiator), (sent.responder, used.responder)):
        assert got.chain == want.chain
        assert got.key is not None and want.key is not None
        same_key = got.key.private_bytes(
            Encoding.DER, PrivateFormat.PKCS8, NoEncryption()
        ) == want.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        assert same_key, "the private key changed on the way"


def test_a_code_that_is_no_member_travels_as_a_number() -> None:
    params = ExchangeParams(encr_alg=77)  # type: ignore[arg-type]
    assert codec.params_to_json(params)["encr_alg"] == 77
    assert codec.params_from_json(codec.params_to_json(params)) == params


def test_minimal_capabilities_take_the_interface_defaults() -> None:
    caps = codec.capabilities_from_json({"name": "c", "modes": [], "roles": ["decoder"], "x": 1})
    assert caps == Capabilities("c", frozenset(), frozenset({Role.DECODER}))


@pytest.mark.parametrize(
    ("obj", "from_json", "named"),
    [
        ({"accepted": 1}, codec.decoded_from_json, "decode result.accepted"),
        ({"accepted": True, "structure": "x"}, codec.decoded_from_json, "structure"),
        ({"message": "!!", "accepted": True}, codec.reply_from_json, "reply.message: not base64"),
        ({"accepted": True, "error": "NOPE"}, codec.outcome_from_json, "outcome.error"),
        ({"name": "c", "modes": [], "roles": ["kms"]}, codec.capabilities_from_json, "roles"),
        (
            {"name": "c", "modes": [], "roles": [], "ts_types": ["NTP_UTC", "SOON"]},
            codec.capabilities_from_json,
            "capabilities.ts_types",
        ),
        ([], codec.keys_from_json, "keys: expected dict"),
        ({"new_keys": "no"}, codec.update_params_from_json, "params.new_keys"),
        ({"cs_map": [{"ssrc": 1}]}, codec.update_params_from_json, r"params.cs_map\[\]"),
    ],
)
def test_a_bad_form_is_a_codec_error_naming_the_key(obj: Any, from_json: Any, named: str) -> None:
    with pytest.raises(CodecError, match=named):
        from_json(obj)


def test_answers_are_matched_to_their_request() -> None:
    assert read_answer(result_line(7, {"a": 1}).rstrip(), 7) == {"a": 1}
    with pytest.raises(CodecError, match="carries id 8"):
        read_answer(result_line(8, {}), 7)
    with pytest.raises(CodecError, match="carries id True"):
        read_answer(result_line(True, {}), 1)
    with pytest.raises(ShimError) as caught:
        read_answer(error_line(7, ErrorKind.UNSUPPORTED, "no"), 7)
    assert caught.value.kind is ErrorKind.UNSUPPORTED
