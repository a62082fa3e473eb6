"""The codec capabilities in the shim protocol's Capabilities: additive keys with defaults."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mikey.wire.registry import CsIdMapType, PayloadType
from suts.base import Capabilities, CodecCapabilities, Role
from suts.net_control import network_capabilities_from_json, network_capabilities_to_json
from suts.shim import codec
from suts.shim.codec import CodecError

WRITES = CodecCapabilities(
    payloads=frozenset({PayloadType.T, PayloadType.RAND, PayloadType.KEMAC, PayloadType.KEY_DATA}),
    cs_id_map_types=frozenset({CsIdMapType.SRTP_ID}),
    encrypted_kemac=False,
)
BASE = {"name": "c", "modes": ["PSK"], "roles": ["decoder", "responder"]}
PARTIAL = Capabilities(
    "c",
    frozenset({"PSK"}),
    frozenset({Role.DECODER, Role.RESPONDER}),
    encoder=WRITES,
    decoder=CodecCapabilities(payloads=frozenset({PayloadType.T, PayloadType.RAND})),
)


def test_codec_capabilities_travel_both_ways() -> None:
    obj = json.loads(json.dumps(codec.capabilities_to_json(PARTIAL)))
    assert obj["encoder"] == {
        "payloads": ["KEMAC", "KEY_DATA", "RAND", "T"],
        "cs_id_map_types": ["SRTP_ID"],
        "encrypted_kemac": False,
    }
    assert codec.capabilities_from_json(obj) == PARTIAL


def test_a_left_out_key_is_the_whole_codec() -> None:
    caps = codec.capabilities_from_json({**BASE, "encoder": {"payloads": ["T", 11]}})
    assert caps.encoder == CodecCapabilities(payloads=frozenset({PayloadType.T, PayloadType.RAND}))
    assert caps.decoder == CodecCapabilities()
    assert codec.capabilities_from_json(BASE).encoder.cs_id_map_types == frozenset(CsIdMapType)


def test_the_network_control_channel_carries_them() -> None:
    obj = json.loads(json.dumps(network_capabilities_to_json(PARTIAL)))
    assert network_capabilities_from_json(obj).encoder == WRITES


@pytest.mark.parametrize(
    ("codec_obj", "named"),
    [
        ([], "capabilities.encoder: expected dict"),
        ({"payloads": "T"}, "capabilities.encoder.payloads: expected list"),
        ({"payloads": ["HDR"]}, r"capabilities.encoder.payloads\[\]: not a PayloadType"),
        ({"cs_id_map_types": ["NONE"]}, "capabilities.encoder.cs_id_map_types"),
        ({"encrypted_kemac": "no"}, "capabilities.encoder.encrypted_kemac: expected bool"),
    ],
)
def test_a_bad_codec_form_is_named(codec_obj: Any, named: str) -> None:
    with pytest.raises(CodecError, match=named):
        codec.capabilities_from_json({**BASE, "encoder": codec_obj})
