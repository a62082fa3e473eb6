"""Which catalog requirement a finding breaks.

A mutation knows the rule it breaks (mutators.Op.requirement): a mutated
case cites its mutation's rule. For an unmutated (generated) case, the
reference decoder's DecodeError names the payload and field where the bytes
stop being valid (mikey/wire/errors.py), and that field's format rule is the
one (conformance.corpus.rules, conformance/requirements/rfc3830.json). A
responder's rejection names a Table 6.12 Error number, which points at the
check of RFC 3830 5.3 / 5.4 behind it.
"""

from __future__ import annotations

from collections.abc import Sequence

from conformance.corpus import rules as R
from conformance.fuzz.mutators import Bytewise, Op
from mikey.wire import DecodeError, ErrorNo

FIELD_RULES: dict[str, str] = {
    "version": R.VERSION,
    "data type": R.DATA_TYPE,
    "next payload": R.NEXT_PAYLOAD,
    "PRF func": R.PRF_FUNC,
    "#CS": R.CS_COUNT,
    "CS ID map type": R.CS_ID_MAP_TYPE,
    "CSB ID": R.HDR_FIRST,
    "Policy no": R.CS_COUNT,  # SRTP-ID entries of the CS ID map info (6.1.1)
    "SSRC": R.CS_COUNT,
    "ROC": R.CS_COUNT,
    "Encr alg": R.ENCR_ALG,
    "Encr data len": R.ENCR_DATA_LEN,
    "MAC alg": R.MAC_ALG,
    "MAC": R.MAC_LEN,
    "C": R.PKE_C,
    "Data len": R.PKE_DATA_LEN,
    "DH-Group": R.DH_GROUP,
    "DH-value": R.DH_VALUE_LEN,
    "KV": R.KV_TYPE,
    "SPI Length": R.SPI_LEN,
    "VF Length": R.VF_LEN,
    "VT Length": R.VT_LEN,
    "S type": R.S_TYPE,
    "Signature len": R.SIGNATURE_LEN,
    "TS type": R.TS_TYPE,
    "TS value": R.TS_VALUE_LEN,
    "ID type": R.ID_TYPE,
    "ID len": R.ID_CERT_LEN,
    "Cert type": R.CERT_TYPE,
    "Cert len": R.ID_CERT_LEN,
    "Hash func": R.HASH_FUNC,
    "Hash": R.HASH_LEN,
    "Auth alg": R.AUTH_ALG,
    "Ver data": R.VER_DATA_LEN,
    "Prot type": R.PROT_TYPE,
    "Policy param length": R.POLICY_PARAM_LEN,
    "RAND len": R.RAND_LEN,
    "Error no": R.ERROR_NO,
    "Reserved": R.ERROR_NO,
    "Key ID Type": R.KEY_ID_LENGTH,
    "Key ID Length": R.KEY_ID_LENGTH,
}
"""DecodeError.field -> the format rule it belongs to (payload-specific ones below)."""

PAYLOAD_FIELD_RULES: dict[tuple[str, str], str] = {
    ("SP", "Type"): R.PARAM_LENGTH,
    ("SP", "Length"): R.PARAM_LENGTH,
    ("General Ext", "Type"): R.EXT_TYPE,
    ("General Ext", "Length"): R.EXT_DATA_LEN,
}

ERROR_RULES: dict[ErrorNo, str] = {
    ErrorNo.AUTH_FAILURE: "RFC3830-5.3-verify-mac",
    ErrorNo.INVALID_TS: "RFC3830-5.4-timestamp-window",
    ErrorNo.INVALID_PRF: R.PRF_FUNC,
    ErrorNo.INVALID_MAC: R.MAC_ALG,
    ErrorNo.INVALID_EA: R.ENCR_ALG,
    ErrorNo.INVALID_ID: "RFC3830-3.1-id-fields",
    ErrorNo.INVALID_SPPAR: "RFC3830-6.10.1-param-types",
    ErrorNo.INVALID_DT: R.DATA_TYPE,
}
"""A reference responder's Error number -> the check it failed (others: the parse, 5.3)."""

PARSE = "RFC3830-5.3-parse-procedure"
FORMAT = R.BYTE_ORDER  # section 6 as a whole: for a valid message a decoder misreads
ERROR_NUMBER = "RFC3830-6.12-error-numbers"
KEYS = "RFC3830-4.1.4-kemac-key-derivation"


def decode_rule(err: DecodeError) -> str:
    """The format rule the bytes that raised `err` break."""
    if err.field is None:
        if err.payload == "HDR":
            return R.HDR_FIRST
        return R.SIGN_LAST if err.payload == "SIGN" else R.LAST_PAYLOAD
    rule = PAYLOAD_FIELD_RULES.get((err.payload, err.field)) or FIELD_RULES.get(err.field)
    return rule or R.BYTE_ORDER


def ops_rule(ops: Sequence[Op], default: str) -> str:
    """The rule of the first byte mutation (structural ones mostly keep a message valid),
    else of the first mutation, or `default` for an unmutated case."""
    first = next((op for op in ops if isinstance(op, Bytewise)), ops[0] if ops else None)
    return first.requirement if first else default


def case_rule(ops: Sequence[Op], err: DecodeError | None, default: str) -> str:
    """A mutated case breaks its mutation's rule: the decoder notices a lying length
    where the misread bytes stop making sense, often in a later payload. An
    unmutated one breaks what the reference decoder names."""
    return ops_rule(ops, decode_rule(err) if err else default)


def error_rule(error: ErrorNo | None, ops: Sequence[Op]) -> str:
    """The check a reference responder's rejection with `error` stands for."""
    if error is not None and error in ERROR_RULES:
        return ERROR_RULES[error]
    return ops_rule(ops, PARSE)
