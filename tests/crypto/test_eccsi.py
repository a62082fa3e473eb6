"""ECCSI (RFC 6507) against every value of its Appendix A, and its checks failing."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature

from mikey.crypto.eccsi import (
    P256,
    SigningKey,
    hash_he,
    hash_hs,
    kms_public_key,
    make_signing_key,
    public_key_y,
    sign,
    validate_signing_key,
    verify,
)
from mikey.crypto.errors import CryptoError
from tests.crypto.backends import backend
from tests.crypto.vectors import h, load

FILE = "rfc6507-eccsi.json"
GROUP: dict[str, Any] = load(FILE)["testGroups"][0]
TESTS = {t["tcId"]: t for t in GROUP["tests"]}
KSAK = int(GROUP["KSAK"], 16)
KPAK = P256.decode_point(h(GROUP["KPAK"]))
ID = h(TESTS[2]["ID"])
MESSAGE = h(TESTS[3]["M"])
pytestmark = pytest.mark.usefixtures(backend.__name__)


def key() -> SigningKey:
    return make_signing_key(KSAK, ID, int(TESTS[2]["v"], 16))


def test_curve_is_the_appendix_curve() -> None:
    assert P256.encode_integer(P256.p).hex() == GROUP["p"]
    assert P256.encode_integer(P256.b).hex() == GROUP["B"]
    assert P256.encode_integer(P256.q).hex() == GROUP["q"]
    assert P256.encode_point(P256.generator).hex() == GROUP["G"]
    assert (GROUP["n"], GROUP["N"], GROUP["hash"]) == (256, 32, "SHA-256")


def test_tc1_kpak() -> None:
    assert P256.encode_point(kms_public_key(KSAK)).hex() == GROUP["KPAK"]


def test_tc2_ssk_pvt_and_its_validation() -> None:
    test = TESTS[2]
    made = key()
    assert P256.encode_point(made.pvt).hex() == test["PVT"]
    hs_input = P256.encode_point(P256.generator) + h(GROUP["KPAK"]) + ID + h(test["PVT"])
    assert hs_input.hex() == test["hsInput"]
    assert made.hs.hex() == test["HS"] == hash_hs(KPAK, ID, made.pvt).hex()
    assert P256.encode_integer(made.ssk).hex() == test["SSK"]
    assert validate_signing_key(ID, KPAK, made.ssk, made.pvt) == made


def test_tc3_signature() -> None:
    test = TESTS[3]
    signature = sign(MESSAGE, key(), int(test["j"], 16))
    assert signature.hex() == test["Sig"]
    assert signature[:32].hex() == test["r"] == test["J"][2:66]
    he_input = h(test["HS"]) + h(test["r"]) + MESSAGE
    assert he_input.hex() == test["heInput"]
    assert hash_he(h(test["HS"]), h(test["r"]), MESSAGE).hex() == test["HE"]
    assert signature[32:64].hex() == test["s"] == test["sPrime"]


def test_tc4_verification() -> None:
    test = TESTS[4]
    assert verify(MESSAGE, h(test["Sig"]), ID, KPAK)
    pvt = P256.decode_point(h(test["Sig"])[64:])
    y = public_key_y(ID, KPAK, pvt)
    assert P256.encode_point(y).hex() == test["Y"]
    s = int(test["Sig"][64:128], 16)
    he = int(TESTS[3]["HE"], 16)
    r = int(test["Sig"][:64], 16)
    j = P256.multiply(s, P256.add(P256.multiply(he, P256.generator), P256.multiply(r, y)))
    assert j is not None and P256.encode_point(j).hex() == test["J"]
    assert P256.encode_integer(j[0]).hex() == test["Jx"] == test["Sig"][:64]


def test_cryptography_ecdsa_agrees() -> None:
    """Cross-check: ECCSI (r, s) is ECDSA (r, s^-1) on HE under the public key Y = [SSK]G."""
    test = TESTS[4]
    y = P256.encode_point(public_key_y(ID, KPAK, P256.decode_point(h(test["Sig"])[64:])))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), y)
    r, s = int(test["Sig"][:64], 16), int(test["Sig"][64:128], 16)
    der = encode_dss_signature(r, pow(s, -1, P256.q))
    public.verify(der, h(TESTS[3]["HE"]), ec.ECDSA(Prehashed(hashes.SHA256())))
    with pytest.raises(InvalidSignature):
        public.verify(der, bytes(32), ec.ECDSA(Prehashed(hashes.SHA256())))
    private = ec.derive_private_key(KSAK, ec.SECP256R1())
    assert private.public_key().public_numbers().x == KPAK[0]


# ---- failures: each check of 5.1.2 and 5.2.2 can say no ----


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1 :]


@pytest.mark.parametrize(
    "index", [0, 31, 32, 63, 64, 65, 128], ids=["r0", "r31", "s0", "s31", "pvt0", "pvtx", "pvty"]
)
def test_an_altered_signature_fails(index: int) -> None:
    assert not verify(MESSAGE, flip(h(TESTS[4]["Sig"]), index), ID, KPAK)


def test_other_message_identity_kpak_or_length_fail() -> None:
    sig = h(TESTS[4]["Sig"])
    assert not verify(b"message\x01", sig, ID, KPAK)
    assert not verify(MESSAGE, sig, flip(ID, 5), KPAK)
    assert not verify(MESSAGE, sig, ID, kms_public_key(KSAK + 1))
    assert not verify(MESSAGE, sig[:-1], ID, KPAK)
    assert not verify(MESSAGE, sig + b"\x00", ID, KPAK)


def test_zero_s_and_r_plus_p_fail() -> None:
    sig = h(TESTS[4]["Sig"])
    assert not verify(MESSAGE, sig[:32] + bytes(32) + sig[64:], ID, KPAK)
    assert not verify(MESSAGE, bytes(64) + sig[64:], ID, KPAK)


def test_validation_rejects_a_wrong_ssk_pvt_or_identity() -> None:
    made = key()
    with pytest.raises(CryptoError, match=r"5\.1\.2"):
        validate_signing_key(ID, KPAK, made.ssk + 1, made.pvt)
    with pytest.raises(CryptoError, match=r"5\.1\.2"):
        validate_signing_key(flip(ID, 0), KPAK, made.ssk, made.pvt)
    with pytest.raises(CryptoError, match="step 1"):
        validate_signing_key(ID, KPAK, made.ssk, (made.pvt[0], made.pvt[1] + 1))
    with pytest.raises(CryptoError, match=r"4\.2"):
        validate_signing_key(ID, (KPAK[0], KPAK[1] ^ 1), made.ssk, made.pvt)


def test_sign_and_verify_round_trip_with_other_ephemerals() -> None:
    made = make_signing_key(0xABCDEF, b"2026-11\x00tel:+15550100\x00", 0x777)
    kpak = kms_public_key(0xABCDEF)
    for j in (1, 0x1234, P256.q - 1):
        signature = sign(b"m", made, j)
        assert verify(b"m", signature, made.identifier, kpak)
        assert int.from_bytes(signature[32:64], "big") < 1 << 256


def test_out_of_range_inputs_are_refused() -> None:
    with pytest.raises(CryptoError):
        kms_public_key(0)
    with pytest.raises(CryptoError):
        make_signing_key(KSAK, ID, P256.q)
    with pytest.raises(CryptoError):
        sign(MESSAGE, key(), 0)
