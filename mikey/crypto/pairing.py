"""The Tate-Lichtenbaum pairing of SAKKE (RFC 6508 3.2) and arithmetic in PF_p (RFC 6508 2.1).

E is y^2 = x^3 - 3*x over F_p with p = 3 modulo 4, so F_p^2 = F_p[i] with i^2 = -1; an
element x_1 + i*x_2 is the pair (x_1, x_2). PF_p is (F_p^2)* modulo (F_p)*: an element of
PF_p[q] is represented by x_2/x_1 in F_p, and the element a stands for the coset of 1 + i*a.

`pairing(curve, R, Q)` follows the routine of 3.2 step by step: Miller's loop over the
bits of q-1 with affine arithmetic and Barreto's trick (no denominators), the lines
evaluated at [i]Q = (-Q_x, i*Q_y) (3.1, the distortion map), then t = v^c with
c = (p+1)/q and its representative in F_p.
"""

from __future__ import annotations

from mikey.crypto.bignum import inverse, num
from mikey.crypto.ec import Curve, Point
from mikey.crypto.errors import CryptoError

Fp2 = tuple[int, int]
"""x_1 + i*x_2 as (x_1, x_2)."""


def fp2_mul(a: Fp2, b: Fp2, p: int) -> Fp2:
    """(a_1 + i*a_2)(b_1 + i*b_2) with i^2 = -1."""
    return (a[0] * b[0] - a[1] * b[1]) % p, (a[0] * b[1] + a[1] * b[0]) % p


def fp2_pow(a: Fp2, exponent: int, p: int) -> Fp2:
    """a^exponent by square and multiply."""
    result: Fp2 = (num(1), num(0))
    for bit in bin(exponent)[2:]:
        result = fp2_mul(result, result, p)
        if bit == "1":
            result = fp2_mul(result, a, p)
    return result


def representative(t: Fp2, p: int) -> int:
    """The representative in F_p of t = a + i*b in PF_p: b/a (RFC 6508 3.2)."""
    a, b = t
    if a % p == 0:
        raise CryptoError("the element of order 2 of PF_p has no representative (RFC 6508 4)")
    return int(b * inverse(a, p) % p)


def pf_power(g: int, exponent: int, p: int) -> int:
    """g^exponent in PF_p[q], g given by its representative (RFC 6508 6.2.1 step 4a).

    Square and multiply on the coset 1 + i*g: its products are those of 2.1,
    (1 + i*a)(1 + i*b) = (1 - a*b) + i*(a + b), represented by (a + b)/(1 - a*b).
    """
    return representative(fp2_pow((num(1), num(g)), exponent, p), p)


def pairing(curve: Curve, r: Point, q: Point) -> int:
    """<R,Q> for R, Q in E(F_p)[q] (RFC 6508 3.2), as its representative in F_p."""
    try:
        v = _miller_loop(curve, r, q)
    except ValueError as exc:  # a division by zero: R is not a point of order q
        raise CryptoError("R is not in E(F_p)[q]: the pairing is undefined") from exc
    c = (curve.p + 1) // curve.q
    return representative(fp2_pow(v, c, num(curve.p)), curve.p)


def _miller_loop(curve: Curve, r: Point, q: Point) -> Fp2:
    """v of the routine of RFC 6508 3.2, before t = v^c."""
    p = num(curve.p)
    qx, qy = num(q[0]), num(q[1])
    rx, ry = num(r[0]), num(r[1])
    v: Fp2 = (num(1), num(0))
    cx, cy = rx, ry
    for bit in bin(curve.q - 1)[3:]:  # from the second most significant bit
        # gradient of the line through C, C, [-2]C; accumulate it evaluated at [i]Q
        slope = 3 * (cx * cx - 1) * inverse(2 * cy % p, p) % p
        v = fp2_mul(fp2_mul(v, v, p), ((slope * (qx + cx) - cy) % p, qy), p)
        cx, cy = _double(cx, cy, slope, p)
        if bit == "1":
            # gradient of the line through C, R, -C-R; accumulate it evaluated at [i]Q
            slope = (cy - ry) * inverse((cx - rx) % p, p) % p
            v = fp2_mul(v, ((slope * (qx + cx) - cy) % p, qy), p)
            cx, cy = _add(cx, cy, rx, ry, slope, p)
    return v


def _double(x: int, y: int, slope: int, p: int) -> tuple[int, int]:
    """[2]C from C and the gradient of its tangent (affine)."""
    x2 = (slope * slope - 2 * x) % p
    return x2, (slope * (x - x2) - y) % p


def _add(x1: int, y1: int, x2: int, y2: int, slope: int, p: int) -> tuple[int, int]:
    """C + R from C, R (C != +-R) and the gradient of the line through them (affine)."""
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p
