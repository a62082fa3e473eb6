"""KEMAC encryption (RFC 3830 4.2.3): NULL, AES-CM-128 and AES-KW-128 (RFC 3394)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from hypothesis import given, settings
from hypothesis import strategies as st

from mikey.crypto import (
    CryptoError,
    IntegrityError,
    KemacKeys,
    aes_kw_unwrap,
    aes_kw_wrap,
    kemac_decrypt,
    kemac_encrypt,
)
from mikey.wire import EncrAlg

DEFAULT_IV = bytes.fromhex("a6a6a6a6a6a6a6a6")  # RFC 3394 2.2.3.1
PSK = bytes(range(1, 17))
RAND = bytes(range(0x40, 0x50))
CSB_ID, TS = 0x0BADCAFE, 0xE4F2A1B200000001


def keys_for(alg: EncrAlg) -> KemacKeys:
    return KemacKeys.derive(PSK, CSB_ID, RAND, alg)


wrappable = st.integers(min_value=2, max_value=40).flatmap(
    lambda n: st.binary(min_size=8 * n, max_size=8 * n)
)


@settings(max_examples=200, deadline=None)
@given(
    alg=st.sampled_from(list(EncrAlg)),
    data=st.binary(max_size=300),
    ts=st.integers(min_value=0, max_value=(1 << 64) - 1),
)
def test_decrypt_inverts_encrypt(alg: EncrAlg, data: bytes, ts: int) -> None:
    if alg == EncrAlg.AES_KW_128 and (len(data) < 16 or len(data) % 8):
        data = data[: len(data) // 8 * 8] + bytes(16)
    keys = keys_for(alg)
    encrypted = kemac_encrypt(alg, keys, CSB_ID, ts, data)
    assert kemac_decrypt(alg, keys, CSB_ID, ts, encrypted) == data


def test_null_encryption_is_the_identity() -> None:
    keys = keys_for(EncrAlg.NULL)
    assert kemac_encrypt(EncrAlg.NULL, keys, CSB_ID, TS, b"key data") == b"key data"


def test_aes_cm_encr_data_depends_on_the_csb_id_and_timestamp() -> None:
    """The IV mixes in CSB ID and T (4.2.3): other values give other ciphertexts."""
    keys, data = keys_for(EncrAlg.AES_CM_128), bytes(32)
    encrypted = kemac_encrypt(EncrAlg.AES_CM_128, keys, CSB_ID, TS, data)
    assert encrypted != kemac_encrypt(EncrAlg.AES_CM_128, keys, CSB_ID + 1, TS, data)
    assert encrypted != kemac_encrypt(EncrAlg.AES_CM_128, keys, CSB_ID, TS + 1, data)
    assert len(encrypted) == len(data)  # counter mode, no padding


@settings(max_examples=200, deadline=None)
@given(kek=st.binary(min_size=16, max_size=16), data=wrappable)
def test_key_wrap_with_the_default_iv_equals_cryptography(kek: bytes, data: bytes) -> None:
    """Our RFC 3394 wrap, given A6A6A6A6A6A6A6A6, is `cryptography`'s aes_key_wrap."""
    wrapped = aes_kw_wrap(kek, DEFAULT_IV, data)
    assert wrapped == aes_key_wrap(kek, data)
    assert aes_kw_unwrap(kek, DEFAULT_IV, aes_key_wrap(kek, data)) == data
    assert aes_key_unwrap(kek, wrapped) == data


def test_aes_kw_kemac_uses_the_64_bit_salt_as_the_iv() -> None:
    """4.2.3: "the key wrap IV is then set to S": with S = A6A6A6A6A6A6A6A6 the KEMAC
    Encr data is RFC 3394's default-IV wrap; with the derived S it is not."""
    data = bytes(range(24))
    keys = keys_for(EncrAlg.AES_KW_128)
    default = KemacKeys(keys.encr_key, keys.auth_key, DEFAULT_IV)
    assert kemac_encrypt(EncrAlg.AES_KW_128, default, 0, 0, data) == aes_key_wrap(
        keys.encr_key, data
    )
    encrypted = kemac_encrypt(EncrAlg.AES_KW_128, keys, CSB_ID, TS, data)
    assert encrypted == aes_kw_wrap(keys.encr_key, keys.salt_key, data)
    assert len(encrypted) == len(data) + 8


def test_aes_kw_rejects_a_tampered_ciphertext() -> None:
    keys = keys_for(EncrAlg.AES_KW_128)
    encrypted = bytearray(kemac_encrypt(EncrAlg.AES_KW_128, keys, CSB_ID, TS, bytes(16)))
    encrypted[-1] ^= 0x01
    with pytest.raises(IntegrityError, match="integrity"):
        kemac_decrypt(EncrAlg.AES_KW_128, keys, CSB_ID, TS, bytes(encrypted))


def test_aes_kw_rejects_another_salt() -> None:
    keys = keys_for(EncrAlg.AES_KW_128)
    encrypted = kemac_encrypt(EncrAlg.AES_KW_128, keys, CSB_ID, TS, bytes(16))
    other = KemacKeys(keys.encr_key, keys.auth_key, bytes(8))
    with pytest.raises(IntegrityError):
        kemac_decrypt(EncrAlg.AES_KW_128, other, CSB_ID, TS, encrypted)


@pytest.mark.parametrize("length", [0, 8, 15, 17, 20, 23])
def test_aes_kw_refuses_plaintext_it_cannot_wrap(length: int) -> None:
    """RFC 3394 wraps n >= 2 64-bit blocks; RFC 3830 defines no padding."""
    with pytest.raises(CryptoError, match="multiple of 8"):
        kemac_encrypt(EncrAlg.AES_KW_128, keys_for(EncrAlg.AES_KW_128), CSB_ID, TS, bytes(length))


@pytest.mark.parametrize("length", [0, 16, 23, 25])
def test_aes_kw_refuses_ciphertext_of_an_impossible_length(length: int) -> None:
    keys = keys_for(EncrAlg.AES_KW_128)
    with pytest.raises(IntegrityError):
        kemac_decrypt(EncrAlg.AES_KW_128, keys, CSB_ID, TS, bytes(length))


def other(alg: EncrAlg) -> EncrAlg:
    return EncrAlg.AES_KW_128 if alg == EncrAlg.AES_CM_128 else EncrAlg.AES_CM_128


@pytest.mark.parametrize("alg", [EncrAlg.AES_CM_128, EncrAlg.AES_KW_128])
def test_keys_of_the_wrong_size_are_refused(alg: EncrAlg) -> None:
    wrong = KemacKeys.derive(PSK, CSB_ID, RAND, other(alg))  # the other algorithm's salt size
    with pytest.raises(CryptoError, match="salt"):
        kemac_encrypt(alg, wrong, CSB_ID, TS, bytes(16))


def test_an_unknown_algorithm_is_refused() -> None:
    with pytest.raises(CryptoError, match="unknown encryption algorithm 3"):
        kemac_encrypt(3, keys_for(EncrAlg.NULL), CSB_ID, TS, b"")  # type: ignore[arg-type]
