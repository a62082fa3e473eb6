"""The MIKEY-1 PRF (RFC 3830 4.1.2) against an independent implementation and known answers."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mikey.crypto import CryptoError, message_key_derive, prf, tgk_derive
from mikey.crypto.prf import p_function
from tests.crypto.prf_reference import (
    reference_message_key_label,
    reference_prf,
    reference_tgk_label,
)
from tests.crypto.vectors import cases, h


@settings(max_examples=400, deadline=None)
@given(
    inkey=st.binary(min_size=1, max_size=140),  # n from 1 to 5
    label=st.binary(max_size=80),
    outkey_len=st.integers(min_value=1, max_value=101),  # m from 1 to 6, most not 20 * m
)
def test_prf_equals_the_independent_implementation(
    inkey: bytes, label: bytes, outkey_len: int
) -> None:
    assert prf(inkey, label, outkey_len) == reference_prf(inkey, label, outkey_len)


@pytest.mark.parametrize("inkey_len", [31, 32, 33, 63, 64, 65, 96, 97])
@pytest.mark.parametrize("outkey_len", [1, 14, 19, 20, 21, 40, 41, 94])
def test_prf_at_block_boundaries(inkey_len: int, outkey_len: int) -> None:
    """n and m around their rounding points: 256-bit inkey blocks, 160-bit outputs."""
    inkey, label = bytes(range(inkey_len)), b"boundary label"
    assert prf(inkey, label, outkey_len) == reference_prf(inkey, label, outkey_len)


def test_a_long_inkey_is_the_xor_of_its_256_bit_blocks() -> None:
    """PRF = P(s_1, label, m) XOR ... XOR P(s_n, label, m) (4.1.2), here n = 3."""
    inkey, label = bytes(range(1, 81)), b"xor of blocks"
    blocks = [inkey[:32], inkey[32:64], inkey[64:]]
    parts = [int.from_bytes(p_function(s, label, 2), "big") for s in blocks]
    expected = (parts[0] ^ parts[1] ^ parts[2]).to_bytes(40, "big")
    assert prf(inkey, label, 40) == expected
    assert prf(inkey, label, 33) == expected[:33]


def test_shorter_outkeys_are_prefixes_of_longer_ones() -> None:
    """outkey is the most significant outkey_len bits (4.1.2), whatever m is."""
    long = prf(b"k" * 40, b"label", 100)
    assert all(prf(b"k" * 40, b"label", n) == long[:n] for n in range(1, 100))


def test_p_function_chains_a_i() -> None:
    """P's second block is HMAC(s, A_2 || label) with A_2 = HMAC(s, HMAC(s, label))."""
    s, label = b"s" * 32, b"the label"
    a1 = hmac.new(s, label, hashlib.sha1).digest()
    a2 = hmac.new(s, a1, hashlib.sha1).digest()
    assert p_function(s, label, 2)[20:] == hmac.new(s, a2 + label, hashlib.sha1).digest()


@pytest.mark.parametrize(("inkey", "length"), [(b"", 16), (b"key", 0), (b"key", -1)])
def test_prf_rejects_what_4_1_2_does_not_define(inkey: bytes, length: int) -> None:
    with pytest.raises(CryptoError, match=r"4\.1\.2"):
        prf(inkey, b"label", length)


@pytest.mark.parametrize(("group", "test"), cases("mikey-prf.json", "MikeyPrf"))
def test_prf_known_answers(group: dict[str, Any], test: dict[str, Any]) -> None:
    inkey, label, length = h(test["inkey"]), h(test["label"]), test["outkeyLen"]
    assert prf(inkey, label, length).hex() == test["outkey"]
    assert reference_prf(inkey, label, length).hex() == test["outkey"]


@pytest.mark.parametrize(("group", "test"), cases("mikey-prf.json", "MikeyTgkDerive"))
def test_tgk_derivation_known_answers(group: dict[str, Any], test: dict[str, Any]) -> None:
    constant, csb_id = int(test["constant"], 16), int(test["csbId"], 16)
    rand = h(test["rand"])
    assert reference_tgk_label(constant, test["csId"], csb_id, rand).hex() == test["label"]
    derived = tgk_derive(h(test["tgk"]), constant, test["csId"], csb_id, rand, test["length"])
    assert derived.hex() == test["outkey"]


@pytest.mark.parametrize(("group", "test"), cases("mikey-prf.json", "MikeyMessageKeyDerive"))
def test_message_key_derivation_known_answers(group: dict[str, Any], test: dict[str, Any]) -> None:
    constant, csb_id = int(test["constant"], 16), int(test["csbId"], 16)
    rand = h(test["rand"])
    assert reference_message_key_label(constant, csb_id, rand).hex() == test["label"]
    derived = message_key_derive(h(test["inkey"]), constant, csb_id, rand, test["length"])
    assert derived.hex() == test["outkey"]
