"""Key derivation from a TGK (RFC 3830 4.1.3) and from a PSK/envelope key (4.1.4)."""

from __future__ import annotations

import pytest

from mikey.crypto import (
    AUTH_KEY_LENGTH,
    CryptoError,
    KemacKeys,
    MessageKeyConstant,
    TgkConstant,
    message_key_derive,
    message_key_label,
    tgk_derive,
    tgk_label,
)
from mikey.wire import EncrAlg, MacAlg
from tests.crypto.prf_reference import (
    reference_message_key_label,
    reference_prf,
    reference_tgk_label,
)

RAND = bytes(range(0x10, 0x20))
CSB_ID = 0x11223344


def digits_of_e(count: int) -> str:
    """The first `count` decimal digits of e after the point (sum of 1/k!, in integers)."""
    scale, total, term, k = 10 ** (count + 10), 0, 1, 0
    while scale // term:
        total += scale // term
        k += 1
        term *= k
    return str(total)[1 : count + 1]


def test_constants_are_consecutive_chunks_of_the_digits_of_e() -> None:
    """4.1.3: each constant is nine decimal digits of e, "718281828 = 0x2AD01C64", and the
    chunks are consecutive: Table 4.1.3 then Table 4.1.4, the TGK salt constant last."""
    digits = digits_of_e(63)
    chunks = [int(digits[i : i + 9]) for i in range(0, 63, 9)]
    assert chunks == [
        TgkConstant.TEK,
        TgkConstant.AUTH,
        TgkConstant.ENCR,
        MessageKeyConstant.ENCR,
        MessageKeyConstant.AUTH,
        MessageKeyConstant.SALT,
        TgkConstant.SALT,
    ]


def test_tgk_label_layout() -> None:
    """constant (32 bits) || cs_id (8) || csb_id (32) || RAND, by hand."""
    label = tgk_label(TgkConstant.TEK, 1, CSB_ID, RAND)
    assert label == bytes.fromhex("2ad01c640111223344") + RAND


def test_message_key_label_layout() -> None:
    """constant (32 bits) || 0xFF || csb_id (32) || RAND, by hand."""
    label = message_key_label(MessageKeyConstant.AUTH, CSB_ID, RAND)
    assert label == bytes.fromhex("2d22ac75ff11223344") + RAND


@pytest.mark.parametrize("constant", list(TgkConstant))
@pytest.mark.parametrize("cs_id", [0, 1, 255])
def test_tgk_derive_is_the_prf_over_the_4_1_3_label(constant: TgkConstant, cs_id: int) -> None:
    tgk = bytes(range(100, 116))
    label = reference_tgk_label(constant, cs_id, CSB_ID, RAND)
    assert tgk_derive(tgk, constant, cs_id, CSB_ID, RAND, 16) == reference_prf(tgk, label, 16)


@pytest.mark.parametrize("constant", list(MessageKeyConstant))
def test_message_key_derive_is_the_prf_over_the_4_1_4_label(constant: MessageKeyConstant) -> None:
    psk = bytes(range(1, 17))
    label = reference_message_key_label(constant, CSB_ID, RAND)
    derived = message_key_derive(psk, constant, CSB_ID, RAND, 20)
    assert derived == reference_prf(psk, label, 20)


def test_keys_differ_by_session_bundle_and_rand() -> None:
    tgk = bytes(16)
    tek = tgk_derive(tgk, TgkConstant.TEK, 1, CSB_ID, RAND, 16)
    assert tek != tgk_derive(tgk, TgkConstant.TEK, 2, CSB_ID, RAND, 16)
    assert tek != tgk_derive(tgk, TgkConstant.TEK, 1, CSB_ID + 1, RAND, 16)
    assert tek != tgk_derive(tgk, TgkConstant.TEK, 1, CSB_ID, RAND[::-1], 16)


@pytest.mark.parametrize(("cs_id", "csb_id"), [(-1, 0), (256, 0), (0, -1), (0, 1 << 32)], ids=str)
def test_ids_out_of_range_are_refused(cs_id: int, csb_id: int) -> None:
    with pytest.raises(CryptoError, match="bits"):
        tgk_derive(bytes(16), TgkConstant.TEK, cs_id, csb_id, RAND, 16)


KEY_SIZES = {
    (EncrAlg.NULL, MacAlg.NULL): (0, 0, 0),
    (EncrAlg.NULL, MacAlg.HMAC_SHA_1_160): (0, 20, 0),
    (EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160): (16, 20, 14),
    (EncrAlg.AES_KW_128, MacAlg.HMAC_SHA_1_160): (16, 20, 8),
    (EncrAlg.AES_KW_128, MacAlg.NULL): (16, 0, 8),
}


@pytest.mark.parametrize(("algs", "sizes"), KEY_SIZES.items(), ids=str)
def test_kemac_keys_have_the_sizes_4_2_3_and_4_2_4_give(
    algs: tuple[EncrAlg, MacAlg], sizes: tuple[int, int, int]
) -> None:
    keys = KemacKeys.derive(bytes(range(16)), CSB_ID, RAND, *algs)
    assert (len(keys.encr_key), len(keys.auth_key), len(keys.salt_key)) == sizes


def test_kemac_keys_use_the_4_1_4_constants() -> None:
    psk = bytes(range(16))
    keys = KemacKeys.derive(psk, CSB_ID, RAND, EncrAlg.AES_KW_128)
    assert keys.encr_key == message_key_derive(psk, MessageKeyConstant.ENCR, CSB_ID, RAND, 16)
    assert keys.auth_key == message_key_derive(psk, MessageKeyConstant.AUTH, CSB_ID, RAND, 20)
    assert keys.salt_key == message_key_derive(psk, MessageKeyConstant.SALT, CSB_ID, RAND, 8)


def test_kemac_keys_default_to_aes_cm_and_hmac_sha_1() -> None:
    psk = bytes(range(16))
    assert KemacKeys.derive(psk, CSB_ID, RAND) == KemacKeys.derive(
        psk, CSB_ID, RAND, EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160
    )
    assert AUTH_KEY_LENGTH[MacAlg.HMAC_SHA_1_160] == 20  # 4.2.4: a 160-bit key


def test_kemac_keys_refuse_an_unknown_algorithm() -> None:
    with pytest.raises(CryptoError, match="unknown encryption algorithm 7"):
        KemacKeys.derive(bytes(16), CSB_ID, RAND, 7)  # type: ignore[arg-type]
