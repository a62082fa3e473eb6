"""Authentication payloads: SIGN (RFC 3830 6.5) and Ver msg V (6.9).

SIGN has no Next payload field and is always the last payload (6.5); the
message chain (message.py) enforces that. Its first 16 bits are S type (4 bits)
and Signature len (12 bits). V's Ver data length is implicit from Auth alg,
whose values are the MAC algorithms of Table 6.2.b.
"""

from __future__ import annotations

from mikey.wire.payloads import Sign, Verification
from mikey.wire.reader import Reader
from mikey.wire.registry import MAC_LENGTH, MacAlg, PayloadType, SignType
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import code_and_length, exact, implicit_length, uint


def encode_sign(p: Sign) -> bytes:
    return code_and_length(p.s_type, 4, p.signature, ("S type", "Signature len", "SIGN"))


def decode_sign(r: Reader) -> Sign:
    return Sign(*r.code_and_length(SignType, 4, "S type", "Signature len"))


def encode_v(p: Verification) -> bytes:
    length = implicit_length(MAC_LENGTH, p.auth_alg, "Auth alg", "V")
    return uint(p.auth_alg, 1, "Auth alg", "V") + exact(p.ver_data, length, "Ver data", "V")


def decode_v(r: Reader) -> Verification:
    auth_alg = r.read_code(MacAlg, "Auth alg")
    return Verification(auth_alg, r.take(MAC_LENGTH[auth_alg], "Ver data"))


SIGN_SPEC = PayloadSpec(PayloadType.SIGN, Sign, "SIGN", "RFC 3830 6.5", encode_sign, decode_sign)
V_SPEC = PayloadSpec(PayloadType.V, Verification, "V", "RFC 3830 6.9", encode_v, decode_v)
