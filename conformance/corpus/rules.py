"""Which catalog requirements (conformance/requirements/rfc3830.json) the corpus exercises.

A valid sample is built to cover one thing, named by its name's prefix (FOCUS):
the Common Header ("hdr-"), or one payload ("kemac-", "dh-oakley-", ...); the
others ("rfc4567-", whole message shapes) cover everything they carry. Decoding
or encoding a sample right exercises the format rules of what it covers
(`requirements_of`), so a verdict lands on the rules of the part a sample is
about, not on the HDR, T and RAND every sample carries. A malformation cites
the one rule it breaks (constants below).
"""

from __future__ import annotations

from conformance.corpus.valid import Sample
from mikey.wire import (
    Cert,
    Chash,
    Dh,
    Error,
    GeneralExtension,
    Id,
    Idr,
    Kemac,
    KvInterval,
    KvSpi,
    Payload,
    Pke,
    Rand,
    Sakke,
    SecurityPolicy,
    Sign,
    Timestamp,
    Verification,
)

BYTE_ORDER = "RFC3830-6-network-byte-order"
HDR_FIRST = "RFC3830-6.1-hdr-first"
VERSION = "RFC3830-6.1-version"
DATA_TYPE = "RFC3830-6.1-data-type"
NEXT_PAYLOAD = "RFC3830-6.1-next-payload"
LAST_PAYLOAD = "RFC3830-6.1-last-payload-zero"
PRF_FUNC = "RFC3830-6.1-prf-func"
CS_COUNT = "RFC3830-6.1-cs-count"
CS_ID_MAP_TYPE = "RFC3830-6.1-cs-id-map-type"
ENCR_ALG = "RFC3830-6.2-encr-alg"
ENCR_DATA_LEN = "RFC3830-6.2-encr-data-len"
MAC_ALG = "RFC3830-6.2-mac-alg"
MAC_LEN = "RFC3830-6.2-mac-len"
PKE_DATA_LEN = "RFC3830-6.3-data-len"
PKE_C = "RFC3830-6.3-cache-type"
DH_GROUP = "RFC3830-6.4-dh-group"
DH_VALUE_LEN = "RFC3830-6.4-dh-value-len"
DH_KV_DATA = "RFC3830-6.4-kv-data-presence"
KV_TYPE = "RFC3830-6.13-kv-type"
SIGN_LAST = "RFC3830-6.5-sign-last"
SIGNATURE_LEN = "RFC3830-6.5-signature-len"
S_TYPE = "RFC3830-6.5-s-type"
TS_TYPE = "RFC3830-6.6-ts-type"
TS_VALUE_LEN = "RFC3830-6.6-ts-value-len"
ID_CERT_LEN = "RFC3830-6.7-id-cert-len"
ID_TYPE = "RFC3830-6.7-id-type"
CERT_TYPE = "RFC3830-6.7-cert-type"
HASH_FUNC = "RFC3830-6.8-hash-func"
HASH_LEN = "RFC3830-6.8-hash-len"
AUTH_ALG = "RFC3830-6.9-auth-alg"
VER_DATA_LEN = "RFC3830-6.9-ver-data-len"
PROT_TYPE = "RFC3830-6.10-prot-type"
POLICY_PARAM_LEN = "RFC3830-6.10-policy-param-len"
PARAM_LENGTH = "RFC3830-6.10-param-length"
RAND_LEN = "RFC3830-6.11-rand-length"
ERROR_NO = "RFC3830-6.12-error-numbers"
KEY_DATA_IN_KEMAC = "RFC3830-6.13-key-data-in-kemac"
SPI_LEN = "RFC3830-6.14-spi-len"
VF_LEN = "RFC3830-6.14-vf-len"
VT_LEN = "RFC3830-6.14-vt-len"
EXT_DATA_LEN = "RFC3830-6.15-data-len"
EXT_TYPE = "RFC3830-6.15-type"
KEY_ID_LENGTH = "RFC3830-6.15-data-len"  # nearest: no entry for RFC 4563's Key ID Length
ID_ROLE = "RFC6509-4.4-id-role"
SAKKE_PARAMS = "RFC6509-4.2-sakke-params"
ID_SCHEME = "RFC6509-4.2-id-scheme"
SAKKE_DATA_LEN = "RFC6509-4.2-sakke-data-length"

HEADER = (
    BYTE_ORDER,
    VERSION,
    DATA_TYPE,
    PRF_FUNC,
    CS_COUNT,
    CS_ID_MAP_TYPE,
    NEXT_PAYLOAD,
    LAST_PAYLOAD,
)
FORMAT: dict[type, tuple[str, ...]] = {
    Kemac: (ENCR_ALG, ENCR_DATA_LEN, MAC_ALG, MAC_LEN),
    Pke: (PKE_C, PKE_DATA_LEN),
    Dh: (DH_GROUP, DH_VALUE_LEN, KV_TYPE, DH_KV_DATA),
    Sign: (S_TYPE, SIGNATURE_LEN),
    Timestamp: (TS_TYPE, TS_VALUE_LEN),
    Id: (ID_TYPE, ID_CERT_LEN),
    Cert: (CERT_TYPE, ID_CERT_LEN),
    Chash: (HASH_FUNC, HASH_LEN),
    Verification: (AUTH_ALG, VER_DATA_LEN),
    SecurityPolicy: (PROT_TYPE, POLICY_PARAM_LEN, PARAM_LENGTH),
    Rand: (RAND_LEN,),
    Error: (ERROR_NO,),
    GeneralExtension: (EXT_TYPE, EXT_DATA_LEN),
    Idr: (ID_ROLE, ID_TYPE, ID_CERT_LEN),
    Sakke: (SAKKE_PARAMS, ID_SCHEME, SAKKE_DATA_LEN),
}
"""The format rules of each payload of RFC 3830 section 6, and of IDR (RFC 6043 6.6,
RFC 6509 4.4) and SAKKE (RFC 6509 4.2)."""


def _of_payload(p: Payload) -> tuple[str, ...]:
    kv = p.kv if isinstance(p, Dh) else None
    extra = {KvSpi: (SPI_LEN,), KvInterval: (VF_LEN, VT_LEN)}.get(type(kv), ())
    return FORMAT[type(p)] + extra


FOCUS: tuple[tuple[str, type | None], ...] = (
    ("hdr-", None),  # None: the Common Header
    ("kemac-", Kemac),
    ("pke-", Pke),
    ("dh-oakley-", Dh),
    ("sign-", Sign),
    ("t-", Timestamp),
    ("id-", Id),
    ("cert-", Cert),
    ("chash-", Chash),
    ("v-", Verification),
    ("sp-", SecurityPolicy),
    ("rand-", Rand),
    ("err-", Error),
    ("ext-", GeneralExtension),
    ("idr-", Idr),
)
"""Sample name prefix -> what the sample covers; a sample matching none covers all it carries."""


def requirements_of(s: Sample) -> tuple[str, ...]:
    """The requirements that decoding or encoding the valid sample `s` exercises, in order."""
    covers = next((kind for prefix, kind in FOCUS if s.name.startswith(prefix)), "all")
    ids = list(HEADER) if covers in (None, "all") else []
    ids += [i for p in s.message.payloads if covers in ("all", type(p)) for i in _of_payload(p)]
    return tuple(dict.fromkeys(ids))


def truncation_rule(s: Sample) -> str:
    """The rule that cutting the last byte off `s` breaks: that of its last field's length."""
    last = s.message.payloads[-1] if s.message.payloads else None
    if isinstance(last, Kemac):
        return MAC_LEN if last.mac else ENCR_DATA_LEN if last.encr_data else MAC_ALG
    if isinstance(last, Verification) and not last.ver_data:
        return NEXT_PAYLOAD  # the V payload it announces lacks its Auth alg
    return SIGNATURE_LEN if isinstance(last, Sign) else _of_payload(last)[-1] if last else CS_COUNT
