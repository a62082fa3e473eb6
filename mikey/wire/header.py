"""Common Header payload HDR, RFC 3830 section 6.1, with the CS ID map info.

CS ID map types: SRTP-ID (RFC 3830 6.1.1, #CS entries of 9 bytes) and Empty map
(RFC 4563 section 5: #CS is present but no map info follows).
"""

from __future__ import annotations

from mikey.wire.errors import EncodeError
from mikey.wire.payloads import CommonHeader, SrtpIdEntry
from mikey.wire.reader import Reader
from mikey.wire.registry import CsIdMapType, DataType, PayloadType, PrfFunc
from mikey.wire.writer import check_uint, uint

NAME = "HDR"
SECTION = "RFC 3830 6.1"
SRTP_ID_SECTION = "RFC 3830 6.1.1"
EMPTY_MAP_SECTION = "RFC 4563 5"
SRTP_ID_ENTRY_LEN = 9  # Policy_no (8) + SSRC (32) + ROC (32) bits
VERSION = 1  # "version = 0x01 refers to MIKEY as defined in this document"
TOP_LEVEL_NEXT = frozenset(PayloadType) - {PayloadType.KEY_DATA}
"""Key data sub-payloads (20) only occur inside KEMAC Encr data (RFC 3830 6.13)."""


def encode_header(hdr: CommonHeader, next_payload: int) -> bytes:
    """HDR bytes; `next_payload` is the type of the first payload (0 if none)."""
    v = 1 if hdr.v else 0
    prf = check_uint(hdr.prf_func, 7, "PRF func", NAME)
    map_type = check_uint(hdr.cs_id_map_type, 8, "CS ID map type", NAME)
    if map_type == CsIdMapType.EMPTY:
        if hdr.cs_map:
            raise EncodeError("HDR: the Empty map type carries no CS ID map info (RFC 4563 5)")
        info = b""
    else:
        if hdr.cs_count is not None and hdr.cs_count != len(hdr.cs_map):
            raise EncodeError(f"HDR: #CS {hdr.cs_count} differs from {len(hdr.cs_map)} entries")
        info = b"".join(_encode_srtp_id(e) for e in hdr.cs_map)
    return b"".join(
        (
            uint(hdr.version, 1, "version", NAME),
            uint(hdr.data_type, 1, "data type", NAME),
            uint(next_payload, 1, "next payload", NAME),
            bytes([v << 7 | prf]),
            uint(hdr.csb_id, 4, "CSB ID", NAME),
            uint(hdr.n_cs, 1, "#CS", NAME),
            bytes([map_type]),
            info,
        )
    )


def _encode_srtp_id(entry: SrtpIdEntry) -> bytes:
    return (
        uint(entry.policy_no, 1, "Policy_no", NAME)
        + uint(entry.ssrc, 4, "SSRC", NAME)
        + uint(entry.roc, 4, "ROC", NAME)
    )


def decode_header(r: Reader) -> tuple[CommonHeader, PayloadType]:
    """The HDR at the start of `r` and the type of the payload that follows it."""
    with r.scope(NAME, SECTION):
        at = r.offset
        if r.remaining < 10:
            r.fail(f"a Common Header needs at least 10 bytes, got {r.remaining}")
        version = r.u8("version")
        if version != VERSION:
            r.fail(f"version {version} is not 1", at=at, field="version", value=version)
        data_type = r.read_code(DataType, "data type")
        next_payload = r.next_payload(TOP_LEVEL_NEXT)
        at = r.offset
        v_prf = r.u8("PRF func")
        prf = r.code(PrfFunc, v_prf & 0x7F, "PRF func", at)
        csb_id = r.u32("CSB ID")
        n_at = r.offset
        n_cs = r.u8("#CS")
        map_type = r.read_code(CsIdMapType, "CS ID map type")
        if map_type == CsIdMapType.EMPTY:
            cs_map: tuple[SrtpIdEntry, ...] = ()
        else:
            cs_map = _decode_srtp_id(r, n_cs, n_at)
        hdr = CommonHeader(
            data_type=data_type,
            csb_id=csb_id,
            cs_map=cs_map,
            v=bool(v_prf >> 7),
            prf_func=prf,
            cs_id_map_type=map_type,
            version=version,
            cs_count=n_cs,
        )
        return hdr, next_payload


def _decode_srtp_id(r: Reader, n_cs: int, n_at: int) -> tuple[SrtpIdEntry, ...]:
    with r.scope(NAME, SRTP_ID_SECTION):
        need = n_cs * SRTP_ID_ENTRY_LEN
        if need > r.remaining:
            r.fail(
                f"#CS {n_cs} needs {need} bytes of SRTP-ID map info, {r.remaining} remain",
                at=n_at,
                field="#CS",
                value=n_cs,
            )
        return tuple(
            SrtpIdEntry(r.u8("Policy_no"), r.u32("SSRC"), r.u32("ROC")) for _ in range(n_cs)
        )
