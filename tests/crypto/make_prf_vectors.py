"""Writes vectors/mikey-prf.json: known answers for the MIKEY-1 PRF (RFC 3830 4.1.2-4.1.4).

RFC 3830 publishes no PRF test vectors. Each outkey here is computed three
independent ways and written only when all three agree:

1. `mikey.crypto` (the library: `cryptography`'s HMAC, byte lengths);
2. tests/crypto/prf_reference.py (the standard library's hmac, bit lengths);
3. the `openssl dgst -sha1 -mac HMAC` command line tool for every HMAC, with
   the P function and the XOR of 4.1.2 done here on its outputs.

Run: python -m tests.crypto.make_prf_vectors  (needs `openssl` on PATH).
"""

from __future__ import annotations

import json
import math
import subprocess
from typing import Any

from mikey.crypto import MessageKeyConstant, TgkConstant, prf
from tests.crypto.prf_reference import (
    reference_message_key_label,
    reference_prf,
    reference_tgk_label,
)
from tests.crypto.vectors import VECTORS

RAND = bytes.fromhex("7b14d3a2e5c4b9f0061d2e3f4a5b6c7d")  # a 128-bit RAND (4.1.1)
CSB_ID = 0xCD177E50


def openssl_hmac_sha1(key: bytes, data: bytes) -> bytes:
    cmd = ["openssl", "dgst", "-sha1", "-mac", "HMAC", "-macopt", f"hexkey:{key.hex()}"]
    return subprocess.run([*cmd, "-binary"], input=data, capture_output=True, check=True).stdout


def openssl_prf(inkey: bytes, label: bytes, outkey_len_bytes: int) -> bytes:
    m = math.ceil(8 * outkey_len_bytes / 160)
    total = 0
    for start in range(0, len(inkey), 32):
        s, a, p = inkey[start : start + 32], label, b""
        for _ in range(m):
            a = openssl_hmac_sha1(s, a)
            p += openssl_hmac_sha1(s, a + label)
        total ^= int.from_bytes(p, "big")
    return total.to_bytes(20 * m, "big")[:outkey_len_bytes]


def pattern(n: int, seed: int) -> bytes:
    return bytes((seed + 37 * i) % 256 for i in range(n))


def outkey(inkey: bytes, label: bytes, length: int) -> str:
    ours, ref = prf(inkey, label, length), reference_prf(inkey, label, length)
    ossl = openssl_prf(inkey, label, length)
    assert ours == ref == ossl, (inkey.hex(), label.hex(), length)
    return ours.hex()


def prf_tests() -> list[dict[str, Any]]:
    shapes = [(1, 1), (16, 16), (16, 20), (20, 14), (32, 21), (33, 40), (64, 41), (100, 94)]
    tests = []
    for inkey_len, out_len in shapes:
        inkey, label = pattern(inkey_len, inkey_len), pattern(inkey_len % 29 + 9, out_len)
        n, m = math.ceil(inkey_len / 32), math.ceil(out_len / 20)
        tests.append(
            {
                "comment": f"{8 * inkey_len}-bit inkey (n = {n}),"
                f" {8 * out_len}-bit outkey (m = {m})",
                "flags": ["MultipleInkeyBlocks"] if n > 1 else [],
                "inkey": inkey.hex(),
                "label": label.hex(),
                "outkeyLen": out_len,
                "outkey": outkey(inkey, label, out_len),
                "result": "valid",
            }
        )
    return tests


def tgk_tests() -> list[dict[str, Any]]:
    tests = []
    for tgk_len, constant, cs_id, length, what in [
        (16, TgkConstant.TEK, 1, 16, "TEK (SRTP master key)"),
        (16, TgkConstant.SALT, 1, 14, "salting key (SRTP master salt)"),
        (16, TgkConstant.TEK, 2, 16, "TEK of crypto session 2"),
        (16, TgkConstant.AUTH, 1, 20, "authentication key"),
        (16, TgkConstant.ENCR, 1, 16, "encryption key"),
        (32, TgkConstant.TEK, 1, 32, "256-bit TEK from a 256-bit TGK"),
        (48, TgkConstant.TEK, 3, 16, "TEK from a 384-bit TGK (n = 2)"),
    ]:
        tgk = pattern(tgk_len, 0xA0 + tgk_len)
        label = reference_tgk_label(constant, cs_id, CSB_ID, RAND)
        tests.append(
            {
                "comment": f"{what} from the TGK (RFC 3830 4.1.3, constant {constant:#010x})",
                "flags": [f"Tgk{constant.name.title()}"],
                "tgk": tgk.hex(),
                "constant": f"{constant:08x}",
                "csId": cs_id,
                "csbId": f"{CSB_ID:08x}",
                "rand": RAND.hex(),
                "label": label.hex(),
                "length": length,
                "outkey": outkey(tgk, label, length),
                "result": "valid",
            }
        )
    return tests


def message_key_tests() -> list[dict[str, Any]]:
    tests = []
    for key_len, constant, length, what in [
        (16, MessageKeyConstant.ENCR, 16, "KEMAC encryption key (AES-CM-128, AES-KW-128)"),
        (16, MessageKeyConstant.AUTH, 20, "authentication key (HMAC-SHA-1-160)"),
        (16, MessageKeyConstant.SALT, 14, "112-bit salting key (AES-CM-128)"),
        (16, MessageKeyConstant.SALT, 8, "64-bit salt, the key wrap IV (AES-KW-128)"),
        (40, MessageKeyConstant.AUTH, 20, "authentication key from a 320-bit key (n = 2)"),
    ]:
        inkey = pattern(key_len, 0x50 + key_len)
        label = reference_message_key_label(constant, CSB_ID, RAND)
        tests.append(
            {
                "comment": f"{what} from the pre-shared key (RFC 3830 4.1.4)",
                "flags": [f"Message{constant.name.title()}"],
                "inkey": inkey.hex(),
                "constant": f"{constant:08x}",
                "csbId": f"{CSB_ID:08x}",
                "rand": RAND.hex(),
                "label": label.hex(),
                "length": length,
                "outkey": outkey(inkey, label, length),
                "result": "valid",
            }
        )
    return tests


def document() -> dict[str, Any]:
    groups: list[dict[str, Any]] = [
        {"type": "MikeyPrf", "tests": prf_tests()},
        {"type": "MikeyTgkDerive", "tests": tgk_tests()},
        {"type": "MikeyMessageKeyDerive", "tests": message_key_tests()},
    ]
    tc_id = 0
    for group in groups:
        numbered: list[dict[str, Any]] = []
        for test in group["tests"]:
            tc_id += 1
            numbered.append({"tcId": tc_id, **test})
        group["tests"] = numbered
    return {
        "source": (
            "Computed, not published (RFC 3830 has no PRF test vectors): each outkey agrees"
            " across three independent computations of RFC 3830 4.1.2: mikey.crypto.prf"
            " (cryptography's HMAC), tests/crypto/prf_reference.py (Python's hmac, in bits)"
            " and OpenSSL's 'openssl dgst -sha1 -mac HMAC' for every HMAC."
            " Generator: tests/crypto/make_prf_vectors.py"
        ),
        "algorithm": "MIKEY-1-PRF",
        "schema": "schema.json",
        "header": [
            "MikeyPrf: PRF(inkey, label) cut to outkeyLen bytes (RFC 3830 4.1.2).",
            "MikeyTgkDerive: label = constant || csId || csbId || rand (4.1.3).",
            "MikeyMessageKeyDerive: label = constant || ff || csbId || rand (4.1.4).",
            "Lengths are in bytes; outkey_len in the RFC's bits is 8 times as many.",
        ],
        "numberOfTests": tc_id,
        "testGroups": groups,
    }


def main() -> None:
    path = VECTORS / "mikey-prf.json"
    path.write_text(json.dumps(document(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
