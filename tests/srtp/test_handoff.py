"""MIKEY's SRTP hand-off (RFC 3830 4.1.3, Appendix A) really keys libsrtp on both sides."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.srtp import (
    AES_CM_128_HMAC_SHA1_32,
    DEFAULT_PROFILE,
    SrtpKeys,
    UnsupportedSrtpPolicy,
    libsrtp_session,
    srtp_keys,
    srtp_keys_for,
)
from mikey.wire import KeyData, PolicyParam, SrtpParam
from mikey.wire.registry import KeyType
from tests.crypto.prf_reference import reference_prf, reference_tgk_label
from tests.srtp.helpers import round_trip

TGK = bytes.fromhex("00112233445566778899aabbccddeeff")
RAND = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
CSB_ID, CS_ID = 0x4D494B45, 1
TEK_CONSTANT, SALT_CONSTANT = 0x2AD01C64, 0x39A2C14B  # RFC 3830 Table 4.1.3


def derive(
    key_data: KeyData, cs_id: int = CS_ID, csb_id: int = CSB_ID, rand: bytes = RAND
) -> SrtpKeys:
    return srtp_keys(key_data, csb_id, cs_id, rand, None)


def flip_bit(data: bytes, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 0x80 >> (bit % 8)
    return bytes(out)


def test_tgk_gives_the_4_1_3_tek_and_salt() -> None:
    """TEK = PRF(TGK, 0x2AD01C64 || cs_id || csb_id || RAND), salt with 0x39A2C14B,
    recomputed with the independent PRF."""
    keys = derive(KeyData(KeyType.TGK, TGK))
    tek_label = reference_tgk_label(TEK_CONSTANT, CS_ID, CSB_ID, RAND)
    salt_label = reference_tgk_label(SALT_CONSTANT, CS_ID, CSB_ID, RAND)
    assert keys.master_key == reference_prf(TGK, tek_label, 16)
    assert keys.master_salt == reference_prf(TGK, salt_label, 14)
    assert keys.profile == DEFAULT_PROFILE


def test_a_salt_in_the_key_data_is_the_master_salt() -> None:
    """4.1.3: SRTP "SHALL use the salt key carried in the Key data sub-payload"."""
    salt = bytes(range(14))
    keys = derive(KeyData(KeyType.TGK_SALT, TGK, salt))
    assert keys.master_salt == salt
    assert keys.master_key == derive(KeyData(KeyType.TGK, TGK)).master_key


def test_a_tek_is_the_master_key() -> None:
    """Appendix A.1 step 3: a TEK "is used directly by SRTP as a master key"; without a
    salt the master salt is RFC 3711 3.2.1's NULL salt, 00...0."""
    assert derive(KeyData(KeyType.TEK, TGK)) == SrtpKeys(TGK, bytes(14))
    salt = bytes(range(14))
    assert derive(KeyData(KeyType.TEK_SALT, TGK, salt)) == SrtpKeys(TGK, salt)


def test_policy_lengths_set_the_master_key_and_salt_lengths() -> None:
    """6.10.1: "Session Encr. key length" is the master key length when set."""
    keys = srtp_keys_for(KeyData(KeyType.TGK, TGK), CSB_ID, CS_ID, RAND, key_len=32, salt_len=12)
    assert (len(keys.master_key), len(keys.master_salt)) == (32, 12)
    assert keys.master_key[:16] == derive(KeyData(KeyType.TGK, TGK)).master_key


@pytest.mark.parametrize("key_type", list(KeyType), ids=lambda k: k.name)
def test_both_sides_derive_keys_that_interoperate(key_type: KeyType) -> None:
    salt = bytes(range(14)) if key_type in (KeyType.TGK_SALT, KeyType.TEK_SALT) else None
    key_data = KeyData(key_type, TGK, salt)
    initiator, responder = derive(key_data), derive(key_data)
    outcome = round_trip(initiator, responder)
    assert outcome.ok, outcome.error
    assert all(len(p) == len(s) + 10 for p, s in zip(outcome.protected, outcome.sent, strict=True))


@settings(max_examples=40, deadline=None)
@given(
    tgk=st.binary(min_size=16, max_size=32),
    rand=st.binary(min_size=16, max_size=32),
    csb_id=st.integers(min_value=0, max_value=(1 << 32) - 1),
    cs_id=st.integers(min_value=1, max_value=255),
)
def test_any_tgk_round_trips(tgk: bytes, rand: bytes, csb_id: int, cs_id: int) -> None:
    key_data = KeyData(KeyType.TGK, tgk)
    initiator, responder = (derive(key_data, cs_id, csb_id, rand) for _ in range(2))
    assert round_trip(initiator, responder).ok


@pytest.mark.parametrize("bit", [0, 77, 127])
def test_a_flipped_master_key_bit_breaks_unprotect(bit: int) -> None:
    sender = derive(KeyData(KeyType.TGK, TGK))
    receiver = replace(sender, master_key=flip_bit(sender.master_key, bit))
    outcome = round_trip(sender, receiver)
    assert not outcome.ok
    assert outcome.error == "authentication failure"
    assert outcome.received == ()


def test_a_flipped_master_salt_bit_breaks_unprotect() -> None:
    sender = derive(KeyData(KeyType.TGK, TGK))
    receiver = replace(sender, master_salt=flip_bit(sender.master_salt, 100))
    assert round_trip(sender, receiver).error == "authentication failure"


@pytest.mark.parametrize(
    ("cs_id", "csb_id", "rand"),
    [(2, CSB_ID, RAND), (CS_ID, CSB_ID ^ 1, RAND), (CS_ID, CSB_ID, flip_bit(RAND))],
    ids=["cs-id", "csb-id", "rand"],
)
def test_another_crypto_session_does_not_interoperate(cs_id: int, csb_id: int, rand: bytes) -> None:
    """Each crypto session has its own TEK (4.1.3: the label holds cs_id, csb_id, RAND)."""
    key_data = KeyData(KeyType.TGK, TGK)
    assert not round_trip(derive(key_data), derive(key_data, cs_id, csb_id, rand)).ok


def test_a_32_bit_tag_policy_round_trips_with_4_byte_tags() -> None:
    params = tuple(p for p in DEFAULT_SRTP_POLICY.params if p.type != SrtpParam.AUTH_TAG_LEN)
    policy = replace(
        DEFAULT_SRTP_POLICY, params=(*params, PolicyParam(SrtpParam.AUTH_TAG_LEN, b"\x04"))
    )
    keys = srtp_keys(KeyData(KeyType.TGK, TGK), CSB_ID, CS_ID, RAND, policy)
    assert keys.profile == AES_CM_128_HMAC_SHA1_32
    outcome = round_trip(keys, keys)
    assert outcome.ok, outcome.error
    assert all(len(p) == len(s) + 4 for p, s in zip(outcome.protected, outcome.sent, strict=True))


def test_profiles_must_agree() -> None:
    """A receiver expecting 32-bit tags cannot take 80-bit ones."""
    sender = derive(KeyData(KeyType.TGK, TGK))
    assert not round_trip(sender, replace(sender, profile=AES_CM_128_HMAC_SHA1_32)).ok


@pytest.mark.parametrize(
    "keys",
    [
        SrtpKeys(bytes(32), bytes(14)),
        SrtpKeys(bytes(16), bytes(12)),
        SrtpKeys(bytes(16), bytes(14), "F8"),
    ],
    ids=["aes-256-key", "short-salt", "unknown-profile"],
)
def test_libsrtp_session_refuses_keys_no_profile_takes(keys: SrtpKeys) -> None:
    with pytest.raises(UnsupportedSrtpPolicy):
        libsrtp_session(keys, 0)


def test_libsrtp_session_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pylibsrtp", None)
    with pytest.raises(ImportError, match="pip install pylibsrtp"):
        libsrtp_session(SrtpKeys(bytes(16), bytes(14)), 0)
