"""The OAKLEY groups and the DH key agreement (mikey.crypto.dh, RFC 3830 6.4 Table 6.4)."""

from __future__ import annotations

import itertools
import random

import pytest

from mikey.crypto.dh import (
    GENERATOR,
    OAKLEY_PRIMES,
    DhKeyPair,
    DhValueError,
    check_peer_value,
    prime,
)
from mikey.wire import DH_VALUE_LENGTH, DhGroup

# p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k): RFC 2412 E.1, E.2; RFC 3526 2.
FORMULA = {DhGroup.OAKLEY_1: (768, 149686), DhGroup.OAKLEY_2: (1024, 129093)}
FORMULA[DhGroup.OAKLEY_5] = (1536, 741804)


def pi_times_2_to(bits: int) -> int:
    """floor(pi * 2^bits), by Machin's formula in integers (64 guard bits)."""
    one = 1 << (bits + 64)

    def arctan_inverse(x: int) -> int:
        total = term = one // x
        for n in itertools.count(3, 2):
            term //= x * x
            if not term:
                return total
            total += -(term // n) if n % 4 == 3 else term // n
        raise AssertionError("unreachable")

    return (16 * arctan_inverse(5) - 4 * arctan_inverse(239)) >> 64


def probably_prime(n: int, rounds: int = 8) -> bool:
    """Miller-Rabin with fixed pseudo-random bases (a composite passes with odds < 4^-8)."""
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    bases = random.Random(n).sample(range(2, 1 << 32), rounds)
    for a in bases:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_the_transcribed_prime_is_the_rfc_formula(group: DhGroup) -> None:
    n, k = FORMULA[group]
    expected = (1 << n) - (1 << (n - 64)) - 1 + (1 << 64) * (pi_times_2_to(n - 130) + k)
    assert OAKLEY_PRIMES[group] == expected
    assert prime(group).bit_length() == n == 8 * DH_VALUE_LENGTH[group]


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_each_prime_is_safe_and_g_generates_the_order_q_subgroup(group: DhGroup) -> None:
    """p = 2q + 1 with p, q prime: the only small subgroup is {1, p-1} (order 1, 2)."""
    p = prime(group)
    q = (p - 1) // 2
    assert probably_prime(p) and probably_prime(q)
    assert pow(GENERATOR, q, p) == 1


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_both_parties_agree_on_a_fixed_length_secret(group: DhGroup) -> None:
    alice = DhKeyPair.generate(group, random.Random(1).randbytes)
    bob = DhKeyPair.generate(group, random.Random(2).randbytes)
    assert len(alice.public_value) == DH_VALUE_LENGTH[group]
    secret = alice.shared_secret(bob.public_value)
    assert secret == bob.shared_secret(alice.public_value)
    assert len(secret) == DH_VALUE_LENGTH[group]
    assert alice.public_value != bob.public_value


def test_the_key_comes_from_the_injected_random_source() -> None:
    one = DhKeyPair.generate(DhGroup.OAKLEY_1, random.Random(7).randbytes)
    two = DhKeyPair.generate(DhGroup.OAKLEY_1, random.Random(7).randbytes)
    assert one.public_value == two.public_value


def test_an_exponent_out_of_range_is_drawn_again() -> None:
    """Rejection sampling: an all-ones draw is >= q and is not used (no modulo bias)."""
    draws = [b"\xff" * 96, bytes(95) + b"\x05"]
    pair = DhKeyPair.generate(DhGroup.OAKLEY_1, lambda n: draws.pop(0)[:n])
    assert not draws
    assert int.from_bytes(pair.public_value, "big") == pow(2, 5, prime(DhGroup.OAKLEY_1))


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
@pytest.mark.parametrize(("name", "offset"), [("0", None), ("1", None), ("p-1", -1), ("p", 0)])
def test_values_outside_2_to_p_minus_2_are_refused(
    group: DhGroup, name: str, offset: int | None
) -> None:
    p = prime(group)
    y = int(name) if offset is None else p + offset
    data = y.to_bytes(DH_VALUE_LENGTH[group], "big")
    with pytest.raises(DhValueError, match=f"is {name if name != 'p' else '>= p'},"):
        check_peer_value(group, data)
    with pytest.raises(DhValueError):
        DhKeyPair.generate(group, random.Random(3).randbytes).shared_secret(data)


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_the_range_ends_are_taken(group: DhGroup) -> None:
    p, length = prime(group), DH_VALUE_LENGTH[group]
    assert check_peer_value(group, (2).to_bytes(length, "big")) == 2
    assert check_peer_value(group, (p - 2).to_bytes(length, "big")) == p - 2


def test_a_value_of_another_length_is_refused() -> None:
    with pytest.raises(DhValueError, match="96 bytes"):
        check_peer_value(DhGroup.OAKLEY_5, b"\x02" * 96)
