"""Where Wireshark's MIKEY dissector (tshark 4.0) departs from RFC 3830, field by field.

Each entry names the payload it concerns, when it applies (a test on our
decoder's JSON form of that payload, `mikey.wire.message_to_dict`), and
exactly which compared fields it excuses (regular expressions on the field
names `compare` uses for that payload, e.g. "value" or "data_len"). An entry
with `rest=True` means tshark stops dissecting at that payload, so every
later payload, the payload count and the unparsed-byte count are excused as
well; `malformed=True` means tshark wrongly raises "Malformed Packet" there.

Every entry was observed on tshark 4.0.17 (Debian 12) and is exercised by
tests/oracle/test_tshark_oracle.py, so a Wireshark that fixes one shows up as
an unused entry there rather than going unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mikey.wire import DecodeError, decode_key_data

PayloadDict = dict[str, Any]


@dataclass(frozen=True)
class KnownDeviation:
    """One documented tshark deviation and the comparison it excuses."""

    key: str
    payload: str  # payload type name as in message_to_dict ("T", "CERT", ...)
    applies: Callable[[PayloadDict], bool]
    fields: tuple[str, ...]  # regexes on payload-relative field names
    reason: str  # what tshark does, and what the RFC says instead
    rest: bool = False
    malformed: bool = False


def _always(_: PayloadDict) -> bool:
    return True


SRTP_PARAM_TYPES = range(13)
"""SRTP policy param types tshark 4.0 knows (RFC 3830 Table 6.10.1.a)."""


def _has_empty_salt(encr_data: str) -> bool:
    """Whether Key data sub-payloads in `encr_data` (hex) include an empty salt."""
    try:
        items = decode_key_data(bytes.fromhex(encr_data))
    except DecodeError:
        return False
    return any(kd.salt == b"" for kd in items)


def _srtp_value_lengths(p: PayloadDict, bad: Callable[[int], bool]) -> bool:
    """Whether an SRTP SP has a Table 6.10.1.a param whose value length is `bad`."""
    return p["prot_type"] == "SRTP" and any(
        q["type"] in SRTP_PARAM_TYPES and bad(len(q["value"]) // 2) for q in p["params"]
    )


KNOWN_DEVIATIONS: tuple[KnownDeviation, ...] = (
    KnownDeviation(
        key="t-counter-value-hidden",
        payload="T",
        applies=lambda p: p["ts_type"] == "COUNTER",
        fields=("value",),
        reason=(
            "RFC 3830 6.6, Table 6.6: a COUNTER TS value is a 32-bit counter. "
            "tshark 4.0 skips its 4 bytes without adding a field for them, so "
            "there is no value to compare (the payload's extent still is)."
        ),
    ),
    KnownDeviation(
        key="chash-not-dissected",
        payload="CHASH",
        applies=_always,
        fields=("hash_func", "hash", "hash_len"),
        rest=True,
        reason=(
            "RFC 3830 6.8 defines the CHASH payload (Hash func, Hash). tshark 4.0 "
            "has no CHASH dissector: it shows the payload's Next payload only and "
            "silently stops dissecting the message there."
        ),
    ),
    KnownDeviation(
        key="dh-kv-data-not-dissected",
        payload="DH",
        applies=lambda p: p["kv"]["kv_type"] != "NULL",
        fields=(),
        rest=True,
        reason=(
            "RFC 3830 6.4: a DH payload with KV = SPI or Interval is followed by "
            "its KV data (6.14). tshark 4.0 shows the KV type but stops "
            "dissecting the message there, without showing the KV data or any "
            "later payload."
        ),
    ),
    KnownDeviation(
        key="cert-len-wrong-offset",
        payload="CERT",
        applies=_always,
        fields=("data_len",),
        reason=(
            "RFC 3830 6.7: Cert len is the 16 bits after the 8-bit Cert type. "
            "tshark 4.0 displays mikey.cert.len from the two bytes starting at "
            "Cert type (Cert type * 256 + high byte of the length); it still "
            "uses the right length to find the certificate data."
        ),
    ),
    KnownDeviation(
        key="cert-url-parsed-as-der",
        payload="CERT",
        applies=lambda p: p["cert_type"] == "X509V3_URL",
        fields=("data",),
        rest=True,
        malformed=True,
        reason=(
            "RFC 3830 6.7, Table 6.7.b: Cert type 1 (X.509v3 URL) carries a URL "
            "to a certificate, not a certificate. tshark 4.0 parses the data as "
            "a DER X.509 certificate whatever the type, so it reports Malformed "
            "Packet and stops dissecting the message there."
        ),
    ),
    KnownDeviation(
        key="key-data-empty-salt-hidden",
        payload="KEMAC",
        applies=lambda p: p["encr_alg"] == "NULL" and _has_empty_salt(p["encr_data"]),
        fields=(r"key_data\[\d+\]\.salt",),
        reason=(
            "RFC 3830 6.13: a TGK+SALT or TEK+SALT Key data sub-payload carries "
            "Salt len and Salt key. tshark 4.0 shows neither field when Salt len "
            "is 0, so an empty salt looks like no salt at all."
        ),
    ),
    KnownDeviation(
        key="sp-srtp-param-empty-value",
        payload="SP",
        applies=lambda p: _srtp_value_lengths(p, lambda n: n == 0),
        fields=(r"params.*",),
        rest=True,
        malformed=True,
        reason=(
            "RFC 3830 6.10: a policy param's Length is any 8-bit value. tshark 4.0 "
            "reads an SRTP param of Table 6.10.1.a (types 0-12) as an unsigned "
            "integer, throws on an empty Value and stops dissecting there."
        ),
    ),
    KnownDeviation(
        key="sp-srtp-param-long-value",
        payload="SP",
        applies=lambda p: _srtp_value_lengths(p, lambda n: n > 4),
        fields=(),
        malformed=True,
        reason=(
            "RFC 3830 6.10: a policy param's Length is any 8-bit value. tshark 4.0 "
            "reads an SRTP param of Table 6.10.1.a (types 0-12) as an unsigned "
            "integer and flags a Value longer than 4 bytes as Malformed (a warning; "
            "it goes on dissecting)."
        ),
    ),
    KnownDeviation(
        key="kemac-first-key-data-only",
        payload="KEMAC",
        applies=lambda p: p["encr_alg"] == "NULL",
        fields=(r"key_data\.count", r"key_data\[[1-9][0-9]*\]\..*"),
        reason=(
            "RFC 3830 6.2 and 6.13: unencrypted Encr data is a chain of Key data "
            "sub-payloads linked by Next payload. Where tshark 4.0 dissects it "
            "(NULL encryption in a PSK I_MESSAGE) it shows only the first "
            "sub-payload; its extent still covers the whole Encr data."
        ),
    ),
)
"""Every known tshark 4.0 deviation; `compare` consults this list."""


def deviations_for(
    ours: dict[str, Any], known: Sequence[KnownDeviation] = KNOWN_DEVIATIONS
) -> list[tuple[int, KnownDeviation]]:
    """The deviations in `known` that apply to our decoded message, with payload index."""
    found: list[tuple[int, KnownDeviation]] = []
    for index, payload in enumerate(ours["payloads"]):
        for dev in known:
            if dev.payload == payload["type"] and dev.applies(payload):
                found.append((index, dev))
    return found
