"""The Tate-Lichtenbaum pairing of RFC 6508 3.2 and PF_p arithmetic (2.1), with RFC 6509's
parameter set 1 and RFC 6508 Appendix A's points."""

from __future__ import annotations

from typing import Any

import pytest

from mikey.crypto.errors import CryptoError
from mikey.crypto.pairing import fp2_mul, pairing, pf_power, representative
from mikey.crypto.sakke import PARAMETER_SET_1
from tests.crypto.backends import backend
from tests.crypto.vectors import load

pytestmark = pytest.mark.usefixtures(backend.__name__)
FILE = "rfc6508-sakke.json"
PARAMS_GROUP, EXCHANGE, _ = load(FILE)["testGroups"]
E = PARAMETER_SET_1.curve
P = E.generator
TESTS: dict[int, Any] = {t["tcId"]: t for t in EXCHANGE["tests"]}


def point(test: dict[str, Any], name: str) -> tuple[int, int]:
    return int(test[name + "x"], 16), int(test[name + "y"], 16)


def test_parameter_set_1_is_the_appendix_one() -> None:
    g = PARAMS_GROUP
    assert (E.p, E.q, P) == (int(g["p"], 16), int(g["q"], 16), (int(g["Px"], 16), int(g["Py"], 16)))
    assert PARAMETER_SET_1.g == int(g["g"], 16) and PARAMETER_SET_1.n == g["n"] == 128
    assert E.contains(P) and E.multiply(E.q, P) is None
    assert E.p % 4 == 3 and (E.p + 1) % E.q == 0


def test_tc1_g_is_the_pairing_of_p_with_itself() -> None:
    assert pairing(E, P, P) == int(PARAMS_GROUP["g"], 16)


def test_tc5_w_is_the_pairing_of_rb_and_kb() -> None:
    test = TESTS[5]
    assert pairing(E, point(test, "Rb"), point(test, "Kb")) == int(test["w"], 16)


def test_bilinear() -> None:
    """<[x]R,Q> = <R,[x]Q> = <R,Q>^x (RFC 6508 3.2)."""
    x = 0x1234567
    left = pairing(E, E.multiply(x, P) or P, P)
    assert left == pairing(E, P, E.multiply(x, P) or P) == pf_power(PARAMETER_SET_1.g, x, E.p)


def test_pf_power_uses_the_pf_product_of_2_1() -> None:
    """A * B in PF_p[q] is (a + b)/(1 - a*b): g^2 and g^3 by that rule equal pf_power's."""
    g, p = PARAMETER_SET_1.g, E.p

    def times(a: int, b: int) -> int:
        return (a + b) * pow(1 - a * b, -1, p) % p

    assert pf_power(g, 2, p) == times(g, g)
    assert pf_power(g, 3, p) == times(times(g, g), g)
    assert pf_power(g, E.q, p) == 0  # g has order q: g^q is the identity, represented by 0


def test_representative_and_fp2() -> None:
    p = E.p
    assert representative((2, 6), p) == 3
    assert fp2_mul((0, 1), (0, 1), p) == (p - 1, 0)  # i^2 = -1
    with pytest.raises(CryptoError, match="order 2"):
        representative((0, 1), p)


def test_a_point_outside_the_subgroup_is_refused() -> None:
    """(0, 0) lies on E (y^2 = x^3 - 3x) and has order 2: no line through it is defined."""
    assert E.contains((0, 0))
    with pytest.raises(CryptoError, match=r"E\(F_p\)\[q\]"):
        pairing(E, (0, 0), P)
