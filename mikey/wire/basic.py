"""Fixed-shape payloads: Timestamp T (RFC 3830 6.6), RAND (6.11) and Error ERR (6.12).

Reserved bits (ERR's 16-bit Reserved): encoded as zero and ignored on decode,
since RFC 3830 sets no MUST for them; the re-encoding of such a payload has
them zero.
"""

from __future__ import annotations

from mikey.wire.payloads import Error, Rand, Timestamp
from mikey.wire.reader import Reader
from mikey.wire.registry import TS_VALUE_LENGTH, ErrorNo, PayloadType, TsType
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import implicit_length, prefixed, uint


def encode_t(p: Timestamp) -> bytes:
    length = implicit_length(TS_VALUE_LENGTH, p.ts_type, "TS type", "T")
    return uint(p.ts_type, 1, "TS type", "T") + uint(p.value, length, "TS value", "T")


def decode_t(r: Reader) -> Timestamp:
    ts_type = r.read_code(TsType, "TS type")
    return Timestamp(ts_type, r.uint(TS_VALUE_LENGTH[ts_type], "TS value"))


def encode_rand(p: Rand) -> bytes:
    return prefixed(p.rand, 1, "RAND", "RAND")


def decode_rand(r: Reader) -> Rand:
    return Rand(r.prefixed(1, "RAND len"))


def encode_err(p: Error) -> bytes:
    return uint(p.error_no, 1, "Error no", "ERR") + bytes(2)  # Reserved = 0


def decode_err(r: Reader) -> Error:
    error_no = r.read_code(ErrorNo, "Error no")
    r.take(2, "Reserved")  # ignored: RFC 3830 6.12 states no rule for it
    return Error(error_no)


T_SPEC = PayloadSpec(PayloadType.T, Timestamp, "T", "RFC 3830 6.6", encode_t, decode_t)
RAND_SPEC = PayloadSpec(PayloadType.RAND, Rand, "RAND", "RFC 3830 6.11", encode_rand, decode_rand)
ERR_SPEC = PayloadSpec(PayloadType.ERR, Error, "ERR", "RFC 3830 6.12", encode_err, decode_err)
