"""Hand-written wire bytes, transcribed from the RFC 3830 section 6 figures.

Hex strings may contain spaces (bytes.fromhex ignores them); fields are
separated by spaces in figure order.
"""

from __future__ import annotations

from mikey import vectors


def hx(*parts: str) -> bytes:
    """bytes of the concatenated hex `parts`."""
    return bytes.fromhex(" ".join(parts))


def hdr_hex(next_payload: int, data_type: int = 0) -> str:
    """A Common Header: version 1, `data_type`, V=0 PRF MIKEY-1, CSB ID 1, #CS 0, SRTP-ID."""
    return f"01 {data_type:02x} {next_payload:02x} 00 00000001 00 00"


# A complete PSK I_MESSAGE (RFC 3830 5.1 / 3.1): HDR, T, RAND, SP, KEMAC.
PSK_I_MESSAGE_HEX = " ".join(
    (
        # HDR (6.1): version 1, data type 0 (Pre-shared), next payload 5 (T),
        # V=1|PRF func 0, CSB ID 0x12345678, #CS 1, CS ID map type 0 (SRTP-ID),
        # SRTP-ID (6.1.1): Policy_no 0, SSRC 0xdeadbeef, ROC 1.
        "01 00 05 80 12345678 01 00",
        "00 deadbeef 00000001",
        # T (6.6): next payload 11 (RAND), TS type 0 (NTP-UTC), 64-bit TS value.
        "0b 00 0102030405060708",
        # RAND (6.11): next payload 10 (SP), RAND len 16, RAND.
        "0a 10 000102030405060708090a0b0c0d0e0f",
        # SP (6.10): next payload 1 (KEMAC), Policy no 0, Prot type 0 (SRTP),
        # Policy param length 6, params: Encr alg (0) len 1 = AES-CM (1),
        # Auth alg (2) len 1 = HMAC-SHA-1 (1).
        "01 00 00 0006 00 01 01 02 01 01",
        # KEMAC (6.2): next payload 0 (last), Encr alg 0 (NULL), Encr data len 20,
        # Encr data = one Key data sub-payload (6.13): next payload 0, Type 0 (TGK)
        # | KV 0 (NULL), Key data len 16, 16 bytes of TGK; MAC alg 1 (HMAC-SHA-1-160),
        # 20-byte MAC.
        "00 00 0014",
        "00 00 0010 " + "aa" * 16,
        "01 " + "bb" * 20,
    )
)

# RFC 4567 section 5.1, example 1: a real PSK I_MESSAGE and its verification message,
# transcribed once in mikey/vectors/rfc4567-examples.json (tcId 1 and 2).
_RFC4567 = vectors.load("rfc4567-examples.json")
_RFC4567_TESTS = {t["tcId"]: t for g in _RFC4567["testGroups"] for t in g["tests"]}
RFC4567_I_MESSAGE = bytes.fromhex(_RFC4567_TESTS[1]["message"])
RFC4567_R_MESSAGE = bytes.fromhex(_RFC4567_TESTS[2]["message"])
