"""AES-CM (RFC 3711 4.1.1) and the KEMAC IV of RFC 3830 4.2.3, against RFC 3711 B.2."""

from __future__ import annotations

from typing import Any

import pytest

from mikey.crypto import CryptoError, KemacKeys, aes_cm, aes_cm_keystream, kemac_encrypt, kemac_iv
from mikey.wire import EncrAlg
from tests.crypto.vectors import cases, h, load

B2 = "rfc3711-aes-cm.json"


def b2_keystream() -> tuple[dict[str, Any], bytes]:
    group = load(B2)["testGroups"][0]
    key, offset = h(group["key"]), h(group["offset"])
    return group, aes_cm_keystream(key, offset, group["keystreamLength"])


KEYSTREAM = b2_keystream()


def block_index(group: dict[str, Any], test: dict[str, Any]) -> int:
    return int(test["counter"], 16) - int(group["offset"], 16)


@pytest.mark.parametrize(("group", "test"), cases(B2))
def test_rfc3711_b2_keystream_blocks(group: dict[str, Any], test: dict[str, Any]) -> None:
    """The whole 1044512-octet segment from the offset; each listed block matches."""
    _, keystream = KEYSTREAM
    i = block_index(group, test)
    assert 0 <= i < group["keystreamLength"] // 16
    assert keystream[16 * i : 16 * i + 16].hex() == test["keystream"]


def test_rfc3711_b2_session_salt_is_the_offset() -> None:
    """B.2's IV: salt shifted by 16 bits, SSRC and index zero (RFC 3711 4.1.1)."""
    group, _ = KEYSTREAM
    ssrc, index = (
        int(group["ssrc"], 16),
        int(group["rollOverCounter"] + group["sequenceNumber"], 16),
    )
    iv = int(group["sessionSalt"], 16) ^ (ssrc << 64) ^ (index << 16)
    assert iv.to_bytes(16, "big") == h(group["offset"])


@pytest.mark.parametrize(("group", "test"), cases(B2))
def test_rfc3711_b2_through_kemac_encryption(group: dict[str, Any], test: dict[str, Any]) -> None:
    """The KEMAC AES-CM path with a CSB ID and T whose IV is B.2's offset: S is chosen as
    offset XOR (0x0000 || CSB ID || T), so IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000
    (RFC 3830 4.2.3) is the offset, and Encr data of zeros is B.2's keystream."""
    csb_id, ts = 0x01020304, 0xDEADBEEF00C0FFEE
    salt = (int(group["offset"][:28], 16) ^ (csb_id << 64 | ts)).to_bytes(14, "big")
    keys = KemacKeys(encr_key=h(group["key"]), auth_key=b"", salt_key=salt)
    i = block_index(group, test)
    encrypted = kemac_encrypt(EncrAlg.AES_CM_128, keys, csb_id, ts, bytes(16 * (i + 1)))
    assert encrypted[16 * i :].hex() == test["keystream"]


def test_kemac_iv_by_hand() -> None:
    """IV = (S XOR (0x0000 || CSB ID || T)) || 0x0000, computed by hand:

    S                        01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e
    0x0000 || CSB ID || T    00 00 11 22 33 44 55 66 77 88 99 aa bb cc
    XOR                      01 02 12 26 36 42 52 6e 7e 82 92 a6 b6 c2  then || 00 00
    """
    salt = bytes.fromhex("0102030405060708090a0b0c0d0e")
    iv = kemac_iv(salt, 0x11223344, 0x5566778899AABBCC)
    assert iv == bytes.fromhex("01021226364252 6e7e8292a6b6c2 0000".replace(" ", ""))


def test_kemac_iv_pads_a_32_bit_counter_with_leading_zeros() -> None:
    """A COUNTER timestamp (32 bits, Table 6.6) is T = 0x00000000 || counter (6.6)."""
    salt = bytes(14)
    iv = kemac_iv(salt, 0xAABBCCDD, 0x12345678)
    assert iv == bytes.fromhex("0000aabbccdd00000000123456780000")


@pytest.mark.parametrize(
    ("salt", "csb_id", "ts"),
    [(bytes(13), 0, 0), (bytes(16), 0, 0), (bytes(14), 1 << 32, 0), (bytes(14), 0, 1 << 64)],
    ids=["short-salt", "long-salt", "csb-id", "timestamp"],
)
def test_kemac_iv_refuses_what_does_not_fit(salt: bytes, csb_id: int, ts: int) -> None:
    with pytest.raises(CryptoError):
        kemac_iv(salt, csb_id, ts)


def test_aes_cm_is_its_own_inverse() -> None:
    key, iv, data = bytes(range(16)), bytes(range(16, 32)), b"key data sub-payloads" * 5
    assert aes_cm(key, iv, aes_cm(key, iv, data)) == data


def test_aes_cm_counter_wraps_modulo_2_128() -> None:
    """E(k, IV + j mod 2^128) (RFC 3711 4.1.1): the block after ff..ff is 00..00."""
    key = bytes(range(16))
    wrapped = aes_cm_keystream(key, b"\xff" * 16, 32)
    assert wrapped[16:] == aes_cm_keystream(key, bytes(16), 16)


def test_aes_cm_takes_at_most_2_16_blocks_per_iv() -> None:
    """RFC 3711 4.1.1 (and RFC 3830 4.2.3's note): at most 2^23 bits under one IV."""
    key, iv = bytes(16), bytes(16)
    assert len(aes_cm(key, iv, bytes(1 << 20))) == 1 << 20
    with pytest.raises(CryptoError, match="2\\^16"):
        aes_cm(key, iv, bytes((1 << 20) + 1))


@pytest.mark.parametrize(("key", "iv"), [(bytes(15), bytes(16)), (bytes(16), bytes(14))])
def test_aes_cm_refuses_bad_key_or_iv_lengths(key: bytes, iv: bytes) -> None:
    with pytest.raises(CryptoError):
        aes_cm(key, iv, b"data")
