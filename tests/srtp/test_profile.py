"""From a MIKEY SRTP policy (RFC 3830 6.10.1) to a libsrtp profile name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.srtp import (
    AES_CM_128_HMAC_SHA1_32,
    AES_CM_128_HMAC_SHA1_80,
    UnsupportedSrtpPolicy,
    srtp_profile,
)
from mikey.wire import PolicyParam, SecurityPolicy
from mikey.wire.registry import ProtType, SrtpParam


def with_param(kind: int, value: bytes) -> SecurityPolicy:
    """DEFAULT_SRTP_POLICY with parameter `kind` set to `value`."""
    params = tuple(p for p in DEFAULT_SRTP_POLICY.params if p.type != kind)
    return replace(DEFAULT_SRTP_POLICY, params=(*params, PolicyParam(kind, value)))


def test_rfc3711_defaults_are_aes_cm_128_hmac_sha1_80() -> None:
    assert srtp_profile(None) == AES_CM_128_HMAC_SHA1_80
    assert srtp_profile(SecurityPolicy(0, ProtType.SRTP)) == AES_CM_128_HMAC_SHA1_80
    assert srtp_profile(DEFAULT_SRTP_POLICY) == AES_CM_128_HMAC_SHA1_80


def test_a_4_byte_tag_is_the_32_bit_profile() -> None:
    assert srtp_profile(with_param(SrtpParam.AUTH_TAG_LEN, b"\x04")) == AES_CM_128_HMAC_SHA1_32


def test_multi_byte_values_are_big_endian_numbers() -> None:
    assert srtp_profile(with_param(SrtpParam.KEY_DERIVATION_RATE, bytes(4))) == (
        AES_CM_128_HMAC_SHA1_80
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (SrtpParam.ENCR_ALG, b"\x00"),  # NULL encryption
        (SrtpParam.ENCR_ALG, b"\x02"),  # AES-F8
        (SrtpParam.SESSION_ENCR_KEY_LEN, b"\x20"),  # AES-256
        (SrtpParam.AUTH_ALG, b"\x00"),
        (SrtpParam.SESSION_AUTH_KEY_LEN, b"\x10"),
        (SrtpParam.SESSION_SALT_KEY_LEN, b"\x0c"),
        (SrtpParam.KEY_DERIVATION_RATE, b"\x00\x01\x00\x00"),
        (SrtpParam.SRTP_ENCRYPTION, b"\x00"),
        (SrtpParam.SRTCP_ENCRYPTION, b"\x00"),
        (SrtpParam.SRTP_AUTHENTICATION, b"\x00"),
        (SrtpParam.AUTH_TAG_LEN, b"\x08"),
        (SrtpParam.SRTP_PREFIX_LEN, b"\x04"),
        (SrtpParam.SESSION_ENCR_KEY_LEN, b""),
    ],
    ids=lambda v: v.name if isinstance(v, SrtpParam) else v.hex() or "empty",
)
def test_parameters_libsrtp_cannot_take_are_named(kind: SrtpParam, value: bytes) -> None:
    with pytest.raises(UnsupportedSrtpPolicy, match=kind.name):
        srtp_profile(with_param(kind, value))


def test_an_unknown_parameter_type_is_refused() -> None:
    with pytest.raises(UnsupportedSrtpPolicy, match="unknown parameter type 13"):
        srtp_profile(with_param(13, b"\x01"))


def test_every_fault_is_reported_at_once() -> None:
    policy = SecurityPolicy(
        3,
        ProtType.SRTP,
        (PolicyParam(SrtpParam.ENCR_ALG, b"\x02"), PolicyParam(SrtpParam.AUTH_ALG, b"\x00")),
    )
    with pytest.raises(UnsupportedSrtpPolicy, match=r"policy 3: .*ENCR_ALG = 02, AUTH_ALG = 00"):
        srtp_profile(policy)
