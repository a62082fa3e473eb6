"""Elliptic curves y^2 = x^3 - 3*x + B over F_p, the shape both identity-based schemes use.

ECCSI works on such a curve with a prime-order subgroup (RFC 6507 3.1, 4.1: NIST P-256);
SAKKE's supersingular curve E is the case B = 0 (RFC 6508 2.1, 3). Points are affine
(x, y) tuples of ints and `None` is the identity 0; scalar multiplication runs in
Jacobian coordinates underneath. The octet forms are RFC 6507 3.2 / RFC 6508 4:
integers and F_p elements of N = Ceiling(lg(p)/8) octets, points 0x04 || x' || y'
(uncompressed, RFC 5480 2.2). The numbers run on `mikey.crypto.bignum` (gmpy2 or int).
"""

from __future__ import annotations

from dataclasses import dataclass

from mikey.crypto.bignum import inverse, num
from mikey.crypto.errors import CryptoError

Point = tuple[int, int]
"""An affine point (x, y) other than the identity."""

_Jacobian = tuple[int, int, int]


def require_point(point: Point | None) -> Point:
    """`point`, which must not be the identity 0 (it has no octet representation)."""
    if point is None:
        raise CryptoError("the identity point 0 is not allowed here")
    return point


@dataclass(frozen=True)
class Curve:
    """y^2 = x^3 - 3*x + b modulo p, with the generator `generator` of prime order q."""

    name: str
    p: int
    b: int
    q: int
    generator: Point

    @property
    def octets(self) -> int:
        """N = Ceiling(lg(p)/8): the length of an integer or F_p element (RFC 6507 3.2)."""
        return (self.p.bit_length() + 7) // 8

    def contains(self, point: Point) -> bool:
        """Whether `point` lies on the curve (RFC 6507 3.1: Py^2 - Px^3 + 3*Px - B = 0)."""
        x, y = point
        p = self.p
        return 0 <= x < p and 0 <= y < p and (y * y - x * x * x + 3 * x - self.b) % p == 0

    def add(self, first: Point | None, second: Point | None) -> Point | None:
        """first + second."""
        return self._affine(self._add(self._jacobian(first), self._jacobian(second)))

    def negate(self, point: Point | None) -> Point | None:
        """-point."""
        return None if point is None else (point[0], (-point[1]) % self.p)

    def multiply(self, k: int, point: Point | None) -> Point | None:
        """[k]point (k reduced by nothing: any non-negative integer)."""
        if k < 0:
            raise CryptoError("negative scalar")
        base = self._jacobian(point)
        result: _Jacobian | None = None
        for bit in bin(k)[2:]:
            result = self._double(result)
            if bit == "1":
                result = self._add(result, base)
        return self._affine(result)

    def encode_integer(self, value: int) -> bytes:
        """An integer (or F_p element) as N octets (RFC 6507 3.2, RFC 6508 4)."""
        return int(value).to_bytes(self.octets, "big")

    def encode_point(self, point: Point) -> bytes:
        """0x04 || x' || y' (RFC 5480 2.2; RFC 6507 3.2, RFC 6508 4)."""
        return b"\x04" + self.encode_integer(point[0]) + self.encode_integer(point[1])

    def decode_point(self, data: bytes) -> Point:
        """The point `data` encodes; CryptoError unless it is 0x04 || x' || y' on the curve."""
        n = self.octets
        if len(data) != 2 * n + 1 or data[0] != 0x04:
            raise CryptoError(
                f"a point on {self.name} is 0x04 || x || y, {2 * n + 1} octets (RFC 5480 2.2)"
            )
        point = (int.from_bytes(data[1 : n + 1], "big"), int.from_bytes(data[n + 1 :], "big"))
        if not self.contains(point):
            raise CryptoError(f"the point does not lie on {self.name}")
        return point

    # ---- Jacobian coordinates: (X, Y, Z) is the affine (X/Z^2, Y/Z^3) ----

    def _jacobian(self, point: Point | None) -> _Jacobian | None:
        return None if point is None else (num(point[0]), num(point[1]), num(1))

    def _affine(self, point: _Jacobian | None) -> Point | None:
        if point is None:
            return None
        x, y, z = point
        z_inv = inverse(z, self.p)
        z_inv2 = z_inv * z_inv % self.p
        return int(x * z_inv2 % self.p), int(y * z_inv2 * z_inv % self.p)

    def _double(self, point: _Jacobian | None) -> _Jacobian | None:
        """[2]point, with a = -3 ("dbl-2001-b")."""
        if point is None or point[1] == 0:
            return None
        x, y, z = point
        p = self.p
        delta = z * z % p
        gamma = y * y % p
        beta = x * gamma % p
        alpha = 3 * (x - delta) * (x + delta) % p
        x3 = (alpha * alpha - 8 * beta) % p
        z3 = ((y + z) * (y + z) - gamma - delta) % p
        y3 = (alpha * (4 * beta - x3) - 8 * gamma * gamma) % p
        return x3, y3, z3

    def _add(self, first: _Jacobian | None, second: _Jacobian | None) -> _Jacobian | None:
        """first + second (the textbook Jacobian addition)."""
        if first is None:
            return second
        if second is None:
            return first
        (x1, y1, z1), (x2, y2, z2) = first, second
        p = self.p
        z1z1, z2z2 = z1 * z1 % p, z2 * z2 % p
        u1, u2 = x1 * z2z2 % p, x2 * z1z1 % p
        s1, s2 = y1 * z2 * z2z2 % p, y2 * z1 * z1z1 % p
        h, r = (u2 - u1) % p, (s2 - s1) % p
        if h == 0:
            return self._double(first) if r == 0 else None
        hh = h * h % p
        hhh = h * hh % p
        x3 = (r * r - hhh - 2 * u1 * hh) % p
        y3 = (r * (u1 * hh - x3) - s1 * hhh) % p
        return x3, y3, h * z1 * z2 % p
