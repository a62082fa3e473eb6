"""ID and CERT payloads (RFC 3830 6.7) and the Cert hash payload CHASH (6.8)."""

from __future__ import annotations

from enum import IntEnum

from mikey.wire.payloads import Cert, Chash, Id
from mikey.wire.reader import Reader
from mikey.wire.registry import HASH_LENGTH, CertType, HashFunc, IdType, PayloadType
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import exact, implicit_length, prefixed, uint

ID_CERT_SECTION = "RFC 3830 6.7"
CHASH_SECTION = "RFC 3830 6.8"


def _encode_typed(code: IntEnum | int, data: bytes, type_field: str, payload: str) -> bytes:
    """ID/Cert Type (8 bits), ID/Cert len (16 bits), ID/Certificate data."""
    return uint(code, 1, type_field, payload) + prefixed(data, 2, f"{payload} data", payload)


def encode_id(p: Id) -> bytes:
    return _encode_typed(p.id_type, p.data, "ID type", "ID")


def decode_id(r: Reader) -> Id:
    id_type = r.read_code(IdType, "ID type")
    return Id(id_type, r.prefixed(2, "ID len"))


def encode_cert(p: Cert) -> bytes:
    return _encode_typed(p.cert_type, p.data, "Cert type", "CERT")


def decode_cert(r: Reader) -> Cert:
    cert_type = r.read_code(CertType, "Cert type")
    return Cert(cert_type, r.prefixed(2, "Cert len"))


def encode_chash(p: Chash) -> bytes:
    length = implicit_length(HASH_LENGTH, p.hash_func, "Hash func", "CHASH")
    return uint(p.hash_func, 1, "Hash func", "CHASH") + exact(p.hash, length, "Hash", "CHASH")


def decode_chash(r: Reader) -> Chash:
    hash_func = r.read_code(HashFunc, "Hash func")
    return Chash(hash_func, r.take(HASH_LENGTH[hash_func], "Hash"))


ID_SPEC = PayloadSpec(PayloadType.ID, Id, "ID", ID_CERT_SECTION, encode_id, decode_id)
CERT_SPEC = PayloadSpec(PayloadType.CERT, Cert, "CERT", ID_CERT_SECTION, encode_cert, decode_cert)
CHASH_SPEC = PayloadSpec(
    PayloadType.CHASH, Chash, "CHASH", CHASH_SECTION, encode_chash, decode_chash
)
