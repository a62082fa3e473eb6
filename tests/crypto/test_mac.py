"""The MAC of RFC 3830 4.2.4: HMAC-SHA-1-160 and NULL, with constant-time checks."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mikey.crypto import CryptoError, mac, mac_verify
from mikey.wire import MAC_LENGTH, MacAlg

KEY = bytes(range(20))


@settings(max_examples=200, deadline=None)
@given(key=st.binary(max_size=100), data=st.binary(max_size=300))
def test_hmac_sha_1_160_is_the_full_hmac_sha1(key: bytes, data: bytes) -> None:
    tag = mac(MacAlg.HMAC_SHA_1_160, key, data)
    assert tag == hmac.new(key, data, hashlib.sha1).digest()
    assert len(tag) == MAC_LENGTH[MacAlg.HMAC_SHA_1_160] == 20
    assert mac_verify(MacAlg.HMAC_SHA_1_160, key, data, tag)


def test_null_mac_is_empty() -> None:
    assert mac(MacAlg.NULL, b"", b"message") == b""
    assert mac_verify(MacAlg.NULL, b"", b"message", b"")
    assert not mac_verify(MacAlg.NULL, b"", b"message", b"\x00")


def test_verify_refuses_a_flipped_bit_anywhere() -> None:
    tag = mac(MacAlg.HMAC_SHA_1_160, KEY, b"message")
    for i in range(len(tag) * 8):
        bad = bytearray(tag)
        bad[i // 8] ^= 0x80 >> (i % 8)
        assert not mac_verify(MacAlg.HMAC_SHA_1_160, KEY, b"message", bytes(bad))


@pytest.mark.parametrize(
    ("key", "data", "cut"),
    [(KEY[:-1], b"message", 0), (KEY, b"messagE", 0), (KEY, b"message", 1)],
    ids=["other-key", "other-data", "truncated-tag"],
)
def test_verify_refuses(key: bytes, data: bytes, cut: int) -> None:
    tag = mac(MacAlg.HMAC_SHA_1_160, KEY, b"message")
    assert not mac_verify(MacAlg.HMAC_SHA_1_160, key, data, tag[: len(tag) - cut])


def test_verify_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check goes through hmac.compare_digest (house rule; RFC 3830 5.2 MAC check)."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)  # the module mikey.crypto.mac calls
    tag = mac(MacAlg.HMAC_SHA_1_160, KEY, b"m")
    assert mac_verify(MacAlg.HMAC_SHA_1_160, KEY, b"m", tag)
    assert calls == [(tag, tag)]


def test_an_unknown_mac_algorithm_is_refused() -> None:
    with pytest.raises(CryptoError, match="unknown MAC algorithm 2"):
        mac(2, KEY, b"m")  # type: ignore[arg-type]
