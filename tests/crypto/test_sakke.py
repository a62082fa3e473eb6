"""SAKKE (RFC 6508) with RFC 6509's parameter set 1, against every value of RFC 6508
Appendix A, and the Receiver's checks failing."""

from __future__ import annotations

from typing import Any

import pytest

from mikey.crypto.errors import CryptoError
from mikey.crypto.pairing import pf_power
from mikey.crypto.sakke import (
    PARAMETER_SET_1,
    decapsulate,
    encapsulate,
    hash_to_integer_range,
    kms_public_key,
    receiver_secret_key,
    sha256,
    validate_rsk,
)
from tests.crypto.backends import backend
from tests.crypto.vectors import h, load

pytestmark = pytest.mark.usefixtures(backend.__name__)
FILE = "rfc6508-sakke.json"
_, EXCHANGE, HTIR = load(FILE)["testGroups"]
TESTS: dict[int, Any] = {t["tcId"]: t for t in EXCHANGE["tests"]}
E = PARAMETER_SET_1.curve
Z = int(EXCHANGE["z"], 16)
B = h(EXCHANGE["b"])


def point(node: dict[str, Any], name: str) -> tuple[int, int]:
    return int(node[name + "x"], 16), int(node[name + "y"], 16)


def test_tc2_kms_public_key() -> None:
    assert kms_public_key(Z) == point(EXCHANGE, "Z")


def test_tc3_rsk_and_its_validation() -> None:
    rsk = receiver_secret_key(B, Z)
    assert rsk == point(TESTS[3], "Kb")
    assert validate_rsk(B, point(EXCHANGE, "Z"), rsk)


def test_tc4_encapsulation() -> None:
    test = TESTS[4]
    ssv = h(test["SSV"])
    assert (ssv + B).hex() == test["rInput"]
    r = hash_to_integer_range(ssv + B, E.q)
    assert E.encode_integer(r).hex() == test["r"]
    g_r = pf_power(PARAMETER_SET_1.g, r, E.p)
    assert E.encode_integer(g_r).hex() == test["gr"]
    mask = hash_to_integer_range(E.encode_integer(g_r), 1 << 128)
    assert mask.to_bytes(16, "big").hex() == test["mask"]
    data = encapsulate(ssv, B, point(EXCHANGE, "Z"))
    assert data.hex() == "04" + test["Rbx"] + test["Rby"] + test["H"]


def test_tc5_decapsulation() -> None:
    test = TESTS[5]
    assert (test["TESTx"], test["TESTy"]) == (test["Rbx"], test["Rby"])  # TEST == Rb
    data = h("04" + test["Rbx"] + test["Rby"] + test["H"])
    ssv = decapsulate(data, B, point(EXCHANGE, "Z"), point(test, "Kb"))
    assert ssv.hex() == test["SSV"]
    assert hash_to_integer_range(ssv + B, E.q) == int(test["r"], 16)


def test_tc6_hash_to_integer_range_step_by_step() -> None:
    test = HTIR["tests"][0]
    m = h(test["M"])
    a = sha256(m)
    assert a.hex() == test["A"]
    hs = [h(test["h"][0])]
    assert hs[0] == bytes(32)
    for i in range(1, 5):
        hs.append(sha256(hs[-1]))
        assert hs[i].hex() == test["h"][i]
    vs = [sha256(hs[i] + a).hex() for i in range(1, 5)]
    assert vs == test["v"]
    assert int("".join(vs), 16) % E.q == int(test["vModQ"], 16)
    assert hash_to_integer_range(m, E.q) == int(test["vModQ"], 16)


def test_hash_to_integer_range_block_count() -> None:
    """l = Ceiling(lg(n)/hashlen): one block for n = 2^256, two for 2^256 + 1 (5.1 step 3)."""
    one = int.from_bytes(sha256(sha256(bytes(32)) + sha256(b"s")), "big")
    assert hash_to_integer_range(b"s", 1 << 256) == one
    assert hash_to_integer_range(b"s", (1 << 256) + 1) != one % ((1 << 256) + 1)
    assert hash_to_integer_range(b"s", 2) in (0, 1)


# ---- the Receiver's checks (6.1.2, 6.2.2) say no ----


def encapsulated() -> bytes:
    test = TESTS[5]
    return h("04" + test["Rbx"] + test["Rby"] + test["H"])


def rsk() -> tuple[int, int]:
    return point(TESTS[5], "Kb")


@pytest.mark.parametrize("index", [257, 272], ids=["H-first", "H-last"])
def test_an_altered_hint_fails_the_test_point(index: int) -> None:
    data = bytearray(encapsulated())
    data[index] ^= 1
    with pytest.raises(CryptoError, match="TEST"):
        decapsulate(bytes(data), B, point(EXCHANGE, "Z"), rsk())


def test_a_point_off_the_curve_or_a_bad_length_is_refused() -> None:
    data = bytearray(encapsulated())
    data[200] ^= 1
    with pytest.raises(CryptoError, match="does not lie"):
        decapsulate(bytes(data), B, point(EXCHANGE, "Z"), rsk())
    with pytest.raises(CryptoError, match="273 octets"):
        decapsulate(encapsulated()[:-1], B, point(EXCHANGE, "Z"), rsk())


def test_data_for_another_identity_is_refused() -> None:
    other = B[:-2] + b"4\x00"
    with pytest.raises(CryptoError, match="TEST"):
        decapsulate(encapsulated(), other, point(EXCHANGE, "Z"), receiver_secret_key(other, Z))


def test_a_wrong_rsk_is_not_valid() -> None:
    z_point = point(EXCHANGE, "Z")
    assert not validate_rsk(B[:-2] + b"4\x00", z_point, rsk())
    assert not validate_rsk(B, z_point, E.multiply(2, rsk()) or rsk())
    assert not validate_rsk(B, z_point, (rsk()[0], rsk()[1] ^ 1))


def test_round_trip_with_another_kms_and_identity() -> None:
    z = 0x1234567890ABCDEF
    identifier = b"2026-11\x00tel:+15550100\x00"
    z_point = kms_public_key(z)
    key = receiver_secret_key(identifier, z)
    ssv = bytes(range(16))
    assert decapsulate(encapsulate(ssv, identifier, z_point), identifier, z_point, key) == ssv


def test_out_of_range_inputs_are_refused() -> None:
    with pytest.raises(CryptoError, match="2 to q-1"):
        kms_public_key(1)
    with pytest.raises(CryptoError, match="octets"):
        encapsulate(bytes(15), B, point(EXCHANGE, "Z"))
    identifier = (E.q - Z).to_bytes(128, "big")
    with pytest.raises(CryptoError, match="zero modulo q"):
        receiver_secret_key(identifier, Z)
