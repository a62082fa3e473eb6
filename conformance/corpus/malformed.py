"""Malformations: each turns a valid sample's bytes into bytes that break one encoding rule.

A Malformation names the rule it breaks (RFC section and field, for a vendor to
act on), the catalog requirement the rule belongs to, the valid sample it starts
from and the function from that sample's bytes to the invalid ones. It also
records what our strict decoder names when it rejects them (payload and field),
so that the project's tests check each one is rejected, and for the intended
reason (tests/conformance_codec): a malformation our decoder accepts is a bug
in the malformation. Lying lengths are off by one, each way; where the lie sits
in mid-message, our decoder notices it where the misread bytes stop making sense.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from conformance.corpus import rules as R
from conformance.corpus.mutate import (
    Mutate,
    add_to,
    dh_kv,
    kemac_mac_alg,
    last_entry_length,
    last_next_payload,
    set_bits,
)
from conformance.corpus.valid import Sample, sample, valid_samples
from mikey.wire import PayloadType, Rand, encode_payload
from mikey.wire.message import SPEC_BY_CLASS

ANY = "*"
"""As an expected field: any field (where the decoder notices depends on the sample)."""


@dataclass(frozen=True)
class Malformation:
    """`mutate(sample(base).data)` breaks `rule`, which belongs to catalog `requirement`.

    `payload` and `field` are what our decoder's DecodeError names (field None:
    a fault of the message structure, such as bytes after the last payload).
    """

    name: str
    base: str
    requirement: str
    rule: str
    mutate: Mutate
    payload: str
    field: str | None

    @property
    def test_id(self) -> str:
        return f"{self.name}@{self.base}"

    def valid(self) -> bytes:
        """The valid sample's bytes this malformation starts from."""
        return sample(self.base).data

    def data(self) -> bytes:
        """The invalid bytes."""
        return self.mutate(self.valid())


P = PayloadType
PSK = "kemac-aes-cm-128-mac-hmac-sha-1-160"  # HDR T RAND SP KEMAC
KEMAC_LAST = "kemac-aes-cm-128-mac-null"  # KEMAC with MAC alg NULL: Encr data ends the message
PK = "pk-i-message"  # HDR T RAND CERT ID SP KEMAC PKE SIGN
DH = "dh-oakley-1-kv-null"
DH_SPI = "dh-oakley-2-kv-spi"
KEY_ID = "ext-key-id-rfc4563"
THREE_CS = "hdr-srtp-id-3-cs"
V_HMAC = "v-psk-hmac-sha-1-160"
SAKKE = "sakke-i-message-rfc6509"  # HDR T RAND IDRi IDRr IDRkmsi IDRkmsr SP SAKKE SIGN


def unknown(name: str, base: str, req: str, kind: P | None, rel: int, value: int, field: str,
            where: str, payload: str, bits: int = 8, shift: int = 0) -> Malformation:  # fmt: skip
    """A registry code (`bits` wide at bit `shift` of the word `rel` bytes in) set to `value`."""
    width = (bits + shift + 7) // 8
    rule = f"{where}: {field} {value} is not a defined value"
    mutate = set_bits(kind, rel, value, width, shift, bits)
    return Malformation(f"{name}-{value}", base, req, rule, mutate, payload, field)


def lie(name: str, base: str, req: str, kind: P, rel: int, width: int, delta: int, field: str,
        where: str, payload: str, found: str | None) -> Malformation:  # fmt: skip
    """A `width`-byte length field off by `delta`; our decoder notices at `payload`/`found`."""
    more = "longer" if delta > 0 else "shorter"
    rule = f"{where}: {field} counts the bytes of its field; here it says 1 byte {more}"
    label = "too-long" if delta > 0 else "too-short"
    mutate = add_to(kind, rel, delta, width)
    return Malformation(f"{name}-{label}", base, req, rule, mutate, payload, found)


def _empty(_: bytes) -> bytes:
    return b""


def _hdr_truncated(data: bytes) -> bytes:
    return data[:9]


def _payload_after_sign(data: bytes) -> bytes:
    return data + encode_payload(Rand(bytes(16)), P.LAST)


def _truncated_by_one(data: bytes) -> bytes:
    return data[:-1]


def _trailing_byte(data: bytes) -> bytes:
    return data + b"\x00"


def _hdr_is_missing(name: str, mutate: Mutate, what: str) -> Malformation:
    rule = f"RFC 3830 6.1: the Common Header (at least 10 bytes) MUST come first; {what}"
    return Malformation(name, PSK, R.HDR_FIRST, rule, mutate, "HDR", None)


def _key_data_next(kind: P | None, payload: str) -> Malformation:
    rule = "RFC 3830 6.13: Key data (20) occurs only inside KEMAC Encr data, not as a payload"
    name = f"{payload.lower()}-next-payload-key-data"
    mutate = set_bits(kind, 2 if kind is None else 0, P.KEY_DATA)
    return Malformation(name, PSK, R.KEY_DATA_IN_KEMAC, rule, mutate, payload, "next payload")


# fmt: off
STRUCTURE = (
    _hdr_is_missing("empty-input", _empty, "the input is empty"),
    _hdr_is_missing("hdr-truncated", _hdr_truncated, "only 9 bytes are sent"),
    unknown("version", PSK, R.VERSION, None, 0, 0, "version", "RFC 3830 6.1", "HDR"),
    unknown("version", PSK, R.VERSION, None, 0, 2, "version", "RFC 3830 6.1", "HDR"),
    unknown("data-type", PSK, R.DATA_TYPE, None, 1, 7, "data type", "RFC 3830 6.1 Table 6.1.a",
            "HDR"),
    unknown("hdr-next-payload", PSK, R.NEXT_PAYLOAD, None, 2, 13, "next payload",
            "RFC 3830 6.1 Table 6.1.b", "HDR"),
    unknown("t-next-payload", PSK, R.NEXT_PAYLOAD, P.T, 0, 13, "next payload",
            "RFC 3830 6.1 Table 6.1.b", "T"),
    _key_data_next(None, "HDR"),
    _key_data_next(P.T, "T"),
    unknown("prf-func", PSK, R.PRF_FUNC, None, 3, 1, "PRF func", "RFC 3830 6.1 Table 6.1.c",
            "HDR", bits=7),
    unknown("cs-id-map-type", PSK, R.CS_ID_MAP_TYPE, None, 9, 2, "CS ID map type",
            "RFC 3830 6.1 Table 6.1.d, RFC 4563 Table 3", "HDR"),
    Malformation("cs-count-255", THREE_CS, R.CS_COUNT, "RFC 3830 6.1.1: #CS 255 SRTP-ID entries "
                 "need 2295 bytes of CS ID map info; the message is shorter",
                 set_bits(None, 8, 255), "HDR", "#CS"),
    Malformation("cs-count-one-short", THREE_CS, R.CS_COUNT, "RFC 3830 6.1.1: #CS is 2 but 3 "
                 "SRTP-ID entries follow; the third is read as the first payload",
                 add_to(None, 8, -1), "T", "TS type"),
    Malformation("last-payload-missing", V_HMAC, R.LAST_PAYLOAD, "RFC 3830 6.1: the last "
                 "payload's Next payload is Last payload (0); here it announces RAND, and the "
                 "message ends", last_next_payload(P.RAND), "RAND", "next payload"),
    Malformation("payload-after-sign", PK, R.SIGN_LAST, "RFC 3830 6.5: SIGN is always the last "
                 "payload; here a RAND payload follows it", _payload_after_sign, "SIGN", None),
)

CODE_VALUES = (
    unknown("encr-alg", PSK, R.ENCR_ALG, P.KEMAC, 1, 3, "Encr alg", "RFC 3830 6.2 Table 6.2.a",
            "KEMAC"),
    Malformation("mac-alg-2", PSK, R.MAC_ALG, "RFC 3830 6.2 Table 6.2.b: MAC alg 2 is not a "
                 "defined value", kemac_mac_alg(2), "KEMAC", "MAC alg"),
    unknown("pke-c", PK, R.PKE_C, P.PKE, 1, 3, "C", "RFC 3830 6.3 Table 6.3", "PKE",
            bits=2, shift=14),
    unknown("dh-group", DH, R.DH_GROUP, P.DH, 1, 3, "DH-Group", "RFC 3830 6.4 Table 6.4", "DH"),
    Malformation("dh-kv-3", DH, R.KV_TYPE, "RFC 3830 6.4, Table 6.13.b: KV 3 is not a defined "
                 "value", dh_kv(3), "DH", "KV"),
    unknown("s-type", PK, R.S_TYPE, P.SIGN, 0, 3, "S type", "RFC 3830 6.5 Table 6.5", "SIGN",
            bits=4, shift=12),
    unknown("ts-type", PSK, R.TS_TYPE, P.T, 1, 3, "TS type", "RFC 3830 6.6 Table 6.6", "T"),
    unknown("id-type", "id-nai", R.ID_TYPE, P.ID, 1, 2, "ID type", "RFC 3830 6.7 Table 6.7.a",
            "ID"),
    unknown("cert-type", PK, R.CERT_TYPE, P.CERT, 1, 4, "Cert type", "RFC 3830 6.7 Table 6.7.b",
            "CERT"),
    unknown("hash-func", "chash-sha-1", R.HASH_FUNC, P.CHASH, 1, 2, "Hash func",
            "RFC 3830 6.8 Table 6.8", "CHASH"),
    unknown("auth-alg", V_HMAC, R.AUTH_ALG, P.V, 1, 2, "Auth alg",
            "RFC 3830 6.9, Table 6.2.b", "V"),
    unknown("prot-type", PSK, R.PROT_TYPE, P.SP, 2, 1, "Prot type", "RFC 3830 6.10 Table 6.10",
            "SP"),
    unknown("error-no", "err-auth-failure", R.ERROR_NO, P.ERR, 1, 13, "Error no",
            "RFC 3830 6.12 Table 6.12", "ERR"),
    unknown("ext-type", "ext-vendor-id", R.EXT_TYPE, P.GENERAL_EXT, 1, 2, "Type",
            "RFC 3830 6.15 Table 6.15, RFC 4563 Table 1", "General Ext"),
    unknown("id-role", SAKKE, R.ID_ROLE, P.IDR, 1, 8, "ID Role",
            "RFC 6043 6.6 Table 6.11, RFC 6509 4.4 Table 7", "IDR"),
    unknown("sakke-params", SAKKE, R.SAKKE_PARAMS, P.SAKKE, 1, 2, "SAKKE params",
            "RFC 6509 4.2 Table 4", "SAKKE"),
    unknown("id-scheme", SAKKE, R.ID_SCHEME, P.SAKKE, 2, 2, "ID scheme", "RFC 6509 4.2 Table 5",
            "SAKKE"),
)

IMPLICIT_LENGTHS = (
    Malformation("kemac-mac-alg-null-to-hmac", KEMAC_LAST, R.MAC_LEN, "RFC 3830 6.2 Table 6.2.b: "
                 "MAC alg HMAC-SHA-1-160 means a 160-bit MAC; none follows",
                 kemac_mac_alg(1), "KEMAC", "MAC"),
    Malformation("v-auth-alg-null-to-hmac", "v-psk-null", R.VER_DATA_LEN, "RFC 3830 6.9: Auth alg"
                 " HMAC-SHA-1-160 means 160 bits of Ver data; none follows",
                 set_bits(P.V, 1, 1), "V", "Ver data"),
)

LYING_LENGTHS = (
    lie("rand-len", PSK, R.RAND_LEN, P.RAND, 1, 1, +1, "RAND len", "RFC 3830 6.11", "SP",
        "Policy param length"),
    lie("rand-len", PSK, R.RAND_LEN, P.RAND, 1, 1, -1, "RAND len", "RFC 3830 6.11", "SP",
        "next payload"),
    lie("id-len", PK, R.ID_CERT_LEN, P.ID, 2, 2, +1, "ID len", "RFC 3830 6.7", "SP",
        "Policy param length"),
    lie("id-len", PK, R.ID_CERT_LEN, P.ID, 2, 2, -1, "ID len", "RFC 3830 6.7", "SP",
        "next payload"),
    lie("cert-len", PK, R.ID_CERT_LEN, P.CERT, 2, 2, +1, "Cert len", "RFC 3830 6.7", "ID",
        "ID len"),
    lie("cert-len", PK, R.ID_CERT_LEN, P.CERT, 2, 2, -1, "Cert len", "RFC 3830 6.7", "ID",
        "ID type"),
    lie("encr-data-len", KEMAC_LAST, R.ENCR_DATA_LEN, P.KEMAC, 2, 2, +1, "Encr data len",
        "RFC 3830 6.2", "KEMAC", "MAC alg"),
    lie("encr-data-len", KEMAC_LAST, R.ENCR_DATA_LEN, P.KEMAC, 2, 2, -1, "Encr data len",
        "RFC 3830 6.2", "KEMAC", "MAC alg"),
    lie("pke-data-len", PK, R.PKE_DATA_LEN, P.PKE, 1, 2, +1, "Data len", "RFC 3830 6.3", "SIGN",
        "S type"),
    lie("pke-data-len", PK, R.PKE_DATA_LEN, P.PKE, 1, 2, -1, "Data len", "RFC 3830 6.3", "SIGN",
        "S type"),
    lie("sign-len", PK, R.SIGNATURE_LEN, P.SIGN, 0, 2, +1, "Signature len", "RFC 3830 6.5",
        "SIGN", "Signature len"),
    lie("sign-len", PK, R.SIGNATURE_LEN, P.SIGN, 0, 2, -1, "Signature len", "RFC 3830 6.5",
        "SIGN", None),
    lie("dh-spi-length", DH_SPI, R.SPI_LEN, P.DH, 2 + 128 + 1, 1, +1, "SPI Length",
        "RFC 3830 6.14", "SIGN", "S type"),
    lie("dh-spi-length", DH_SPI, R.SPI_LEN, P.DH, 2 + 128 + 1, 1, -1, "SPI Length",
        "RFC 3830 6.14", "SIGN", "S type"),
    lie("sakke-data-length", SAKKE, R.SAKKE_DATA_LEN, P.SAKKE, 3, 2, +1, "SAKKE data length",
        "RFC 6509 4.2", "SIGN", "S type"),
    lie("sakke-data-length", SAKKE, R.SAKKE_DATA_LEN, P.SAKKE, 3, 2, -1, "SAKKE data length",
        "RFC 6509 4.2", "SIGN", "S type"),
    lie("policy-param-length", PSK, R.POLICY_PARAM_LEN, P.SP, 3, 2, +1, "Policy param length",
        "RFC 3830 6.10", "SP", "Length"),
    lie("policy-param-length", PSK, R.POLICY_PARAM_LEN, P.SP, 3, 2, -1, "Policy param length",
        "RFC 3830 6.10", "SP", "Length"),
    Malformation("sp-param-length-too-long", PSK, R.PARAM_LENGTH, "RFC 3830 6.10: the last "
                 "policy param's Length runs 1 byte past Policy param length",
                 last_entry_length(P.SP, 5, +1), "SP", "Length"),
    Malformation("sp-param-length-too-short", PSK, R.PARAM_LENGTH, "RFC 3830 6.10: the last "
                 "policy param's Length leaves 1 byte of Policy param length unused",
                 last_entry_length(P.SP, 5, -1), "SP", "Length"),
    lie("ext-length", KEY_ID, R.EXT_DATA_LEN, P.GENERAL_EXT, 2, 2, +1, "Length",
        "RFC 3830 6.15", "Key ID", "Key ID Length"),
    lie("ext-length", KEY_ID, R.EXT_DATA_LEN, P.GENERAL_EXT, 2, 2, -1, "Length",
        "RFC 3830 6.15", "Key ID", "Key ID Length"),
    Malformation("key-id-length-too-long", KEY_ID, R.KEY_ID_LENGTH, "RFC 4563 4: the last Key ID"
                 " Length runs 1 byte past the General Extension's Length",
                 last_entry_length(P.GENERAL_EXT, 4, +1), "Key ID", "Key ID Length"),
    Malformation("key-id-length-too-short", KEY_ID, R.KEY_ID_LENGTH, "RFC 4563 4: the last Key ID"
                 " Length leaves 1 byte of the General Extension's Data unused",
                 last_entry_length(P.GENERAL_EXT, 4, -1), "Key ID", "Key ID Length"),
)
# fmt: on


def per_sample(s: Sample) -> tuple[Malformation, ...]:
    """Faults every message can carry: its last byte cut off, one byte added after it."""
    last = SPEC_BY_CLASS[type(s.message.payloads[-1])].name if s.message.payloads else "HDR"
    cut = f"RFC 3830 6: the last byte is cut off, so the last field of {last} is short"
    extra = "RFC 3830 6.1: nothing follows the last payload (Next payload 0); here 1 byte does"
    after = R.SIGN_LAST if last == "SIGN" else R.LAST_PAYLOAD
    rule = R.truncation_rule(s)
    return (
        Malformation("truncated-by-one", s.name, rule, cut, _truncated_by_one, last, ANY),
        Malformation("trailing-byte", s.name, after, extra, _trailing_byte, last, None),
    )


@functools.cache
def malformations() -> tuple[Malformation, ...]:
    """Every malformation: the hand-picked ones, then two for each valid sample."""
    picked = STRUCTURE + CODE_VALUES + IMPLICIT_LENGTHS + LYING_LENGTHS
    return picked + tuple(m for s in valid_samples() for m in per_sample(s))
