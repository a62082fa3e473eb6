"""Every kind of message the reference PSK mode emits, produced by the mode's own classes.

Initiator: initial I_MESSAGEs (RFC 3830 3.1) under every KEMAC encryption and
MAC algorithm, with and without IDi/IDr, several SPs with every SRTP policy
parameter, several crypto sessions with a key per session, TGK and TGK+SALT
keys with each key validity, V set and not, NTP and COUNTER timestamps, and
update messages without RAND (4.5). Responder: the verification message
(R_MESSAGE, 3.1) and the Error messages (5.1.2) its checks give. Clock and
random source are fixed, so the corpus is the same on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace

from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    EncrAlg,
    ErrorNo,
    Id,
    IdType,
    KeyType,
    KvInterval,
    KvSpi,
    MacAlg,
    Payload,
    PolicyParam,
    ProtType,
    SecurityPolicy,
    SrtpIdEntry,
    SrtpParam,
    TsType,
    decode_message,
    payload_offsets,
)

CLOCK = 1_767_225_600.25  # 2026-01-01 00:00:00.25 UTC
PSK = bytes(range(0x40, 0x60))
ID_I = Id(IdType.URI, b"sip:initiator@example.org")
ID_R = Id(IdType.NAI, b"responder@example.org")

EVERY_SRTP_PARAM = SecurityPolicy(
    1,
    DEFAULT_SRTP_POLICY.prot_type,
    (
        *DEFAULT_SRTP_POLICY.params,
        PolicyParam(SrtpParam.KEY_DERIVATION_RATE, b"\x00"),
        PolicyParam(SrtpParam.FEC_ORDER, b"\x00"),
        PolicyParam(SrtpParam.SRTP_PREFIX_LEN, b"\x00"),
    ),
)
SHORT_TAG = SecurityPolicy(
    2,
    DEFAULT_SRTP_POLICY.prot_type,
    (PolicyParam(SrtpParam.ENCR_ALG, b"\x01"), PolicyParam(SrtpParam.AUTH_TAG_LEN, b"\x04")),
)
THREE_CS = tuple(SrtpIdEntry(i, 0x2000_0000 + i, 0) for i in range(3))


def environment(skew_shift: float = 0.0) -> Environment:
    """A fixed clock and a deterministic random source (SHA-256 in counter mode)."""
    counter = iter(range(1 << 30))

    def random(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(next(counter).to_bytes(4, "big")).digest()
        return out[:n]

    return Environment(clock=lambda: CLOCK + skew_shift, random=random)


BASE = PskSettings(psk=PSK, id_i=ID_I, id_r=ID_R)

VARIANTS: dict[str, PskSettings] = {
    "aescm-hmac": BASE,
    # AES-KW wraps whole 64-bit blocks (RFC 3394): a 20-byte TGK makes a 24-byte Key data.
    "aeskw-hmac": replace(BASE, encr_alg=EncrAlg.AES_KW_128, tgk_len=20),
    "null-hmac": replace(BASE, encr_alg=EncrAlg.NULL),
    "null-null": replace(BASE, encr_alg=EncrAlg.NULL, mac_alg=MacAlg.NULL),
    "no-ids": replace(BASE, id_i=None, id_r=None),
    "idi-only": replace(BASE, id_r=None),
    "v0": replace(BASE, v=False),
    "3cs-key-per-cs-3sp": replace(
        BASE,
        cs_map=THREE_CS,
        key_per_cs=True,
        policies=(DEFAULT_SRTP_POLICY, EVERY_SRTP_PARAM, SHORT_TAG),
    ),
    "tgk-salt-kv-spi": replace(BASE, key_type=KeyType.TGK_SALT, kv=KvSpi(b"\x00\x01\x02\x03")),
    "tgk-kv-interval-null": replace(
        BASE, encr_alg=EncrAlg.NULL, kv=KvInterval(b"\x00" * 6, b"\x00\x00\xff\xff\xff\xff")
    ),
    # This responder's policy takes NTP types only (Environment's default; COUNTER is
    # optional, Table 6.6): it answers Invalid TS. With V=0 the initiator has its CSB
    # anyway, for the update.
    "counter-ts-v0": replace(BASE, ts_type=TsType.COUNTER, v=False),
    "ntp-ts-long-rand": replace(BASE, ts_type=TsType.NTP, rand_len=64),
    "no-sp": replace(BASE, policies=()),
}


def exchanges() -> Iterator[tuple[str, bytes]]:
    """Initial and update I_MESSAGEs and the responder's answers, for every variant."""
    for name, settings in VARIANTS.items():
        initiator = PskInitiator(settings, environment())
        responder = PskResponder(settings, environment())
        i_message = initiator.start()
        yield f"psk-{name}-i-message", i_message
        reply = responder.receive(i_message)
        if reply.message is not None:
            kind = "r-message" if reply.outcome.accepted else "error"
            yield f"psk-{name}-{kind}", reply.message
            initiator.receive(reply.message)
        if initiator.csb is not None:
            yield f"psk-{name}-update", initiator.start_update()


Corrupt = Callable[[bytes], bytes]


def _unchanged(data: bytes) -> bytes:
    return data


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _patch(kind: type[Payload] | None, at: int, value: int) -> Corrupt:
    """Set byte `at` of the first `kind` payload (of the HDR when None) to `value`."""

    def corrupt(data: bytes) -> bytes:
        msg = decode_message(data)
        start = 0
        if kind is not None:
            index = next(i for i, p in enumerate(msg.payloads) if isinstance(p, kind))
            start = payload_offsets(msg)[index]
        return data[: start + at] + bytes([value]) + data[start + at + 1 :]

    return corrupt


OTHER_ID = Id(IdType.URI, b"sip:other@example.org")
ERROR_CASES: dict[ErrorNo, tuple[PskSettings, Corrupt, float]] = {
    # error -> (responder settings, what happens to the I_MESSAGE, responder clock shift)
    ErrorNo.AUTH_FAILURE: (BASE, _flip_last_byte, 0.0),
    ErrorNo.INVALID_TS: (BASE, _unchanged, 3600.0),
    ErrorNo.INVALID_PRF: (BASE, _patch(None, 3, 0x80 | 0x05), 0.0),
    ErrorNo.INVALID_EA: (replace(BASE, accepted_encr=frozenset({EncrAlg.NULL})), _unchanged, 0.0),
    ErrorNo.INVALID_MAC: (replace(BASE, accepted_mac=frozenset({MacAlg.NULL})), _unchanged, 0.0),
    ErrorNo.INVALID_ID: (replace(BASE, id_i=OTHER_ID), _unchanged, 0.0),
    ErrorNo.INVALID_SP: (BASE, _patch(SecurityPolicy, 2, 0x07), 0.0),
    ErrorNo.INVALID_DT: (BASE, _patch(None, 1, 2), 0.0),
    ErrorNo.UNSPECIFIED: (BASE, lambda d: d[:-3], 0.0),
}
"""The Table 6.12 numbers a PSK responder reports (5.1.2) and how to provoke each."""


def error_messages() -> Iterator[tuple[str, bytes]]:
    """The responder's Error messages (5.1.2), one per number it reports."""
    for error, (responder_settings, corrupt, shift) in ERROR_CASES.items():
        i_message = PskInitiator(BASE, environment()).start()
        reply = PskResponder(responder_settings, environment(shift)).receive(corrupt(i_message))
        if reply.message is not None and reply.outcome.error == error:
            yield f"psk-error-{error.name.lower()}", reply.message
    # Invalid SPpar comes after authentication: that Error message carries V (5.1.2).
    initiator = PskInitiator(BASE, environment())
    unsupported = SecurityPolicy(0, ProtType.SRTP, (PolicyParam(SrtpParam.ENCR_ALG, b"\x07"),))
    msg = initiator.compose()
    swapped = tuple(unsupported if isinstance(p, SecurityPolicy) else p for p in msg.payloads)
    sealed = initiator.seal(replace(msg, payloads=swapped))
    reply = PskResponder(BASE, environment()).receive(sealed)
    if reply.message is not None and reply.outcome.error == ErrorNo.INVALID_SPPAR:
        yield "psk-error-invalid_sppar", reply.message


def psk_corpus() -> dict[str, bytes]:
    """Named messages emitted by the PSK mode (initiator and responder)."""
    return dict([*exchanges(), *error_messages()])
