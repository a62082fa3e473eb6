"""RFC 3711 appendix B.3 (SRTP key derivation) replayed against our AES-CM, and the
session keys it lists checked against what libsrtp does with its master key and salt.

The library hands SRTP a master key and salt and lets libsrtp derive session
keys, so it has no SRTP KDF of its own. The KDF of RFC 3711 4.3.1 / 4.3.3 is
written here, on `mikey.crypto.aes_cm_keystream`, the AES-CM of KEMAC.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pylibsrtp
import pytest

from mikey.crypto import aes_cm, aes_cm_keystream
from tests.crypto.vectors import cases, h, load
from tests.srtp.helpers import rtp_packet

B3 = "rfc3711-kdf.json"


def kdf_input(label: int, master_salt: bytes, index: int = 0, kdr: int = 0) -> bytes:
    """x = (label || index DIV kdr) XOR master_salt, right-aligned (RFC 3711 4.3.1)."""
    r = index // kdr if kdr else 0  # "a DIV 0 = 0"
    key_id = label << 48 | r  # label (8 bits) || r (48 bits)
    return (key_id ^ int.from_bytes(master_salt, "big")).to_bytes(len(master_salt), "big")


def srtp_kdf(master_key: bytes, master_salt: bytes, label: int, length: int) -> bytes:
    """PRF_n(k_master, x): AES-CM keystream from IV = x * 2^16 (RFC 3711 4.3.3)."""
    x = kdf_input(label, master_salt)
    return aes_cm_keystream(master_key, x + b"\x00\x00", length)


@pytest.mark.parametrize(("group", "test"), cases(B3))
def test_rfc3711_b3_key_derivation(group: dict[str, Any], test: dict[str, Any]) -> None:
    master_key, master_salt = h(group["masterKey"]), h(group["masterSalt"])
    label = int(test["label"], 16)
    assert int(group["indexDivKdr"], 16) == 0
    assert kdf_input(label, master_salt).hex() == test["x"]
    assert test["aesInput"] == test["x"] + "0000"
    assert srtp_kdf(master_key, master_salt, label, test["length"]).hex() == test["output"]
    if "aesOutput" in test:  # the whole AES-CM block before truncation
        assert aes_cm_keystream(master_key, h(test["aesInput"]), 16).hex() == test["aesOutput"]
    for i, block in enumerate(test.get("aesInputBlocks", [])):  # IV, IV + 1, ...
        assert int(block, 16) == int(test["aesInput"], 16) + i


def b3_session_keys() -> dict[str, bytes]:
    tests = load(B3)["testGroups"][0]["tests"]
    return {t["flags"][0]: h(t["output"]) for t in tests}


def expected_srtp(packet: bytes, k_e: bytes, k_a: bytes, k_s: bytes, roc: int = 0) -> bytes:
    """SRTP by hand from session keys: AES-CM (RFC 3711 4.1.1) and HMAC-SHA1 80 (4.2.1)."""
    header, payload = packet[:12], packet[12:]
    seq, ssrc = int.from_bytes(packet[2:4], "big"), int.from_bytes(packet[8:12], "big")
    index = roc << 16 | seq
    iv = (int.from_bytes(k_s, "big") << 16) ^ (ssrc << 64) ^ (index << 16)
    encrypted = header + aes_cm(k_e, iv.to_bytes(16, "big"), payload)
    tag = hmac.new(k_a, encrypted + roc.to_bytes(4, "big"), hashlib.sha1).digest()[:10]
    return encrypted + tag


@pytest.mark.parametrize("seq", [1, 0x1234, 0xFFFF])
def test_libsrtp_derives_the_b3_session_keys(seq: int) -> None:
    """libsrtp, given B.3's master key and salt, protects an RTP packet exactly as B.3's
    session keys do (libsrtp's HMAC-SHA1 uses the first 20 of the 94 auth key octets,
    a prefix of the same keystream)."""
    group = load(B3)["testGroups"][0]
    session = pylibsrtp.Session(
        pylibsrtp.Policy(
            key=h(group["masterKey"]) + h(group["masterSalt"]),
            ssrc_type=pylibsrtp.Policy.SSRC_ANY_OUTBOUND,
            srtp_profile=pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
        )
    )
    keys = b3_session_keys()
    packet = rtp_packet(seq, b"RFC 3711 appendix B.3 payload", ssrc=0xCAFEBABE)
    assert session.protect(packet) == expected_srtp(
        packet, keys["k_e"], keys["k_a"][:20], keys["k_s"]
    )
