"""Key transport payloads: KEMAC (RFC 3830 6.2), PKE (6.3) and DH (6.4).

Reserved bits (the DH payload's 4-bit Reserv): encoded as zero and ignored on
decode, since RFC 3830 sets no MUST for them. So two DH payloads that differ
only in Reserv decode to the same value; the re-encoding has them zero.
"""

from __future__ import annotations

from mikey.wire.kv import decode_kv_data, encode_kv_data, kv_type
from mikey.wire.payloads import Dh, Kemac, Pke
from mikey.wire.reader import Reader
from mikey.wire.registry import (
    DH_VALUE_LENGTH,
    MAC_LENGTH,
    DhGroup,
    EncrAlg,
    KvType,
    MacAlg,
    PayloadType,
    PkeCache,
)
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import code_and_length, exact, implicit_length, prefixed, uint


def encode_kemac(p: Kemac) -> bytes:
    mac_len = implicit_length(MAC_LENGTH, p.mac_alg, "MAC alg", "KEMAC")
    return b"".join(
        (
            uint(p.encr_alg, 1, "Encr alg", "KEMAC"),
            prefixed(p.encr_data, 2, "Encr data", "KEMAC"),
            uint(p.mac_alg, 1, "MAC alg", "KEMAC"),
            exact(p.mac, mac_len, "MAC", "KEMAC"),
        )
    )


def decode_kemac(r: Reader) -> Kemac:
    encr_alg = r.read_code(EncrAlg, "Encr alg")
    encr_data = r.prefixed(2, "Encr data len")
    mac_alg = r.read_code(MacAlg, "MAC alg")
    return Kemac(encr_alg, encr_data, mac_alg, r.take(MAC_LENGTH[mac_alg], "MAC"))


def encode_pke(p: Pke) -> bytes:
    return code_and_length(p.cache, 2, p.data, ("C", "Data len", "PKE"))


def decode_pke(r: Reader) -> Pke:
    return Pke(*r.code_and_length(PkeCache, 2, "C", "Data len"))


def encode_dh(p: Dh) -> bytes:
    length = implicit_length(DH_VALUE_LENGTH, p.group, "DH-Group", "DH")
    return b"".join(
        (
            uint(p.group, 1, "DH-Group", "DH"),
            exact(p.value, length, "DH-value", "DH"),
            bytes([kv_type(p.kv)]),  # Reserv (4 bits) = 0, KV (4 bits)
            encode_kv_data(p.kv, "DH"),
        )
    )


def decode_dh(r: Reader) -> Dh:
    group = r.read_code(DhGroup, "DH-Group")
    value = r.take(DH_VALUE_LENGTH[group], "DH-value")
    at = r.offset
    # The high 4 bits are Reserv: ignored (RFC 3830 6.4 states no rule for them).
    kind = r.code(KvType, r.u8("KV") & 0x0F, "KV", at)
    return Dh(group, value, decode_kv_data(r, kind))


KEMAC_SPEC = PayloadSpec(
    PayloadType.KEMAC, Kemac, "KEMAC", "RFC 3830 6.2", encode_kemac, decode_kemac
)
PKE_SPEC = PayloadSpec(PayloadType.PKE, Pke, "PKE", "RFC 3830 6.3", encode_pke, decode_pke)
DH_SPEC = PayloadSpec(PayloadType.DH, Dh, "DH", "RFC 3830 6.4", encode_dh, decode_dh)
