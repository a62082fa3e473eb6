"""Diffie-Hellman over the OAKLEY groups of RFC 3830 Table 6.4, on `cryptography`'s dh.

The groups, each p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k), g = 2:

- OAKLEY 1, 768 bits:  RFC 2412 ([OAKLEY] of RFC 3830) Appendix E.1, "Well-Known Group 1";
- OAKLEY 2, 1024 bits: RFC 2412 Appendix E.2, "Well-Known Group 2";
- OAKLEY 5, 1536 bits: RFC 3526 section 2, "1536-bit MODP Group" (group 5, which
  RFC 2412 does not define; RFC 3526 standardizes the number).

The primes are transcribed in hex; tests/crypto/test_dh.py recomputes them from the
formula above and checks that p and (p-1)/2 are prime.

Validation of a peer's DH value y (`check_peer_value`): it must be an integer in
2..p-2 (NIST SP 800-56A 5.6.2.3.1's partial check), so 0, 1, p-1 and anything >= p
are refused. Small subgroups: each p is a safe prime, p = 2q + 1 with q prime, so
the only subgroups have order 1, 2, q or 2q; the range check removes the elements
of order 1 and 2 ({1, p-1}), the only small subgroup. The full check y^q = 1 mod p
is not made: an element of order 2q can reveal at most the parity of our private
exponent, which is fresh for every exchange (RFC 3830 3.3, RFC 4650 5.3: xi, xr
"randomly/pseudo-randomly and secretly chosen"), so it costs one more exponentiation
for no secret worth keeping.

Cost: OpenSSL knows OAKLEY 5 by name (RFC 3526's modp_1536) but validates the
parameters of OAKLEY 1 and 2 (primality of p and q) at every key it loads,
some 20-70 ms a key here; `cryptography` offers no way to load a key under
parameters checked once. benchmarks/bench_dh_modes.py shows the effect.

The shared secret g^(xi*xr) is encoded big-endian on the length of the DH-value of
its group (Table 6.4: 96, 128 or 192 bytes), like the DH-value itself; that byte
string is the TGK (RFC 3830 3.3: "This method creates a DH-key, which is used as
the TGK"; RFC 4650 3: "Both parties then calculate the TGK as g^(xi * xr)").

`cryptography` 50 deprecated finite-field DH. MIKEY-DH and DH-HMAC mandate these groups
(RFC 3830 4.2.7, Table 6.4), so its warning says nothing a user can act on: it is
silenced here, for that message only; pyproject.toml keeps `cryptography` to the
majors tested with FFDH.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.asymmetric import dh
from cryptography.utils import CryptographyDeprecationWarning

from mikey.crypto.errors import CryptoError
from mikey.wire.registry import DH_VALUE_LENGTH, DhGroup

warnings.filterwarnings(
    "ignore",
    message="Diffie-Hellman over finite fields",
    category=CryptographyDeprecationWarning,
)

_PI_PREFIX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A6"
)

OAKLEY_PRIMES: dict[DhGroup, int] = {
    DhGroup.OAKLEY_1: int(_PI_PREFIX + "3A3620FFFFFFFFFFFFFFFF", 16),
    DhGroup.OAKLEY_2: int(
        _PI_PREFIX + "37ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
        "FFFFFFFFFFFFFFFF",
        16,
    ),
    DhGroup.OAKLEY_5: int(
        _PI_PREFIX + "37ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
        "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
        "9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
        16,
    ),
}
"""The prime p of each group (module docstring for the sources)."""

GENERATOR = 2
"""g of every OAKLEY MODP group (RFC 2412 E.1, E.2; RFC 3526 2)."""


class DhValueError(CryptoError):
    """A peer's DH value is not acceptable (out of range, or not of the group's length)."""


@cache
def _parameters(group: DhGroup) -> dh.DHParameterNumbers:
    p = OAKLEY_PRIMES[group]
    return dh.DHParameterNumbers(p, GENERATOR, (p - 1) // 2)


def prime(group: DhGroup) -> int:
    """The group's prime p."""
    return OAKLEY_PRIMES[DhGroup(group)]


def check_peer_value(group: DhGroup, value: bytes) -> int:
    """The peer's DH value as an integer, if it is acceptable (see the module docstring)."""
    p = prime(group)
    if len(value) != DH_VALUE_LENGTH[group]:
        raise DhValueError(
            f"DH-value of {len(value)} bytes, {group.name} has {DH_VALUE_LENGTH[group]} "
            "(RFC 3830 Table 6.4)"
        )
    y = int.from_bytes(value, "big")
    if not 2 <= y <= p - 2:
        where = "0" if y == 0 else "1" if y == 1 else "p-1" if y == p - 1 else ">= p"
        raise DhValueError(f"DH-value is {where}, outside 2..p-2 of {group.name}")
    return y


@dataclass(frozen=True)
class DhKeyPair:
    """One party's ephemeral DH key in a group: x secret, g^x its public DH-value."""

    group: DhGroup
    _private: dh.DHPrivateKey

    @classmethod
    def generate(cls, group: DhGroup, random: Callable[[int], bytes]) -> DhKeyPair:
        """A fresh x, uniform in 2..q-1 (q = (p-1)/2, the order of g), from `random`.

        `random` is the party's CSPRNG (RFC 3830 3.3: x "MUST be randomly/
        pseudo-randomly and secretly chosen"; RFC 4650 5.3).
        """
        numbers = _parameters(DhGroup(group))
        q = (numbers.p - 1) // 2
        nbytes = (q.bit_length() + 7) // 8
        mask = (1 << q.bit_length()) - 1
        while True:  # rejection sampling: no modulo bias
            x = int.from_bytes(random(nbytes), "big") & mask
            if 2 <= x < q:
                break
        y = pow(GENERATOR, x, numbers.p)
        private = dh.DHPrivateNumbers(x, dh.DHPublicNumbers(y, numbers)).private_key()
        return cls(DhGroup(group), private)

    @property
    def public_value(self) -> bytes:
        """g^x as the DH-value field carries it: big-endian, the group's length (6.4)."""
        y = self._private.public_key().public_numbers().y
        return y.to_bytes(DH_VALUE_LENGTH[self.group], "big")

    def shared_secret(self, peer_value: bytes) -> bytes:
        """g^(x*x_peer), encoded on the group's DH-value length: the TGK (3.3).

        The peer's value is checked first (`check_peer_value`); DhValueError if refused.
        """
        y = check_peer_value(self.group, peer_value)
        peer = dh.DHPublicNumbers(y, _parameters(self.group)).public_key()
        try:
            secret = self._private.exchange(peer)
        except ValueError as exc:
            raise DhValueError(f"DH exchange refused the peer's value: {exc}") from None
        return secret.rjust(DH_VALUE_LENGTH[self.group], b"\x00")
