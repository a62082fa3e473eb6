"""Which Error no (RFC 3830 6.12, Table 6.12) answers a DecodeError.

A responder that cannot decode a message answers with an Error message
(RFC 3830 5.1.2); the DecodeError's `field` names the unsupported field.
"""

from __future__ import annotations

from mikey.wire.errors import DecodeError
from mikey.wire.registry import ErrorNo

ERROR_NO_FOR_FIELD: dict[str, ErrorNo] = {
    "data type": ErrorNo.INVALID_DT,
    "PRF func": ErrorNo.INVALID_PRF,
    "Encr alg": ErrorNo.INVALID_EA,
    "MAC alg": ErrorNo.INVALID_MAC,
    "Auth alg": ErrorNo.INVALID_MAC,
    "Hash func": ErrorNo.INVALID_HA,
    "DH-Group": ErrorNo.INVALID_DH,
    "ID type": ErrorNo.INVALID_ID,
    "ID Role": ErrorNo.INVALID_ID,
    "Cert type": ErrorNo.INVALID_CERT,
    "Prot type": ErrorNo.INVALID_SP,
    "TS type": ErrorNo.INVALID_TS,
}
"""DecodeError.field -> Error no; every other fault is Unspecified error."""


def error_no_for(err: DecodeError) -> ErrorNo:
    """The Error no that reports `err` (Unspecified error when no table entry fits)."""
    if err.field is None:
        return ErrorNo.UNSPECIFIED
    return ERROR_NO_FOR_FIELD.get(err.field, ErrorNo.UNSPECIFIED)
