"""Where the fields of a valid MIKEY message lie: the map the mutation engine works from.

A valid message is cut into its HDR and one segment per payload, following the
Next payload chain (RFC 3830 6.1) with the codec's own knowledge of lengths
(`payload_offsets`). Each segment lists its fields that a mutation can lie
in: length fields (a lie shifts everything after it), registry codes (a value
outside the table), reserved bits (RFC 3830 sets no rule: a receiver must not
care). Every field names the catalog requirement a bad value breaks, so a
finding made by changing it is tied to a rule (conformance.corpus.rules).
Offsets inside a segment count from its first byte, the Next payload field
(SIGN has none, 6.5).
"""

from __future__ import annotations

from dataclasses import dataclass

from conformance.corpus import rules as R
from mikey.wire import (
    DH_VALUE_LENGTH,
    PAYLOAD_TYPE,
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
    Message,
    Payload,
    PayloadType,
    Pke,
    Rand,
    Sakke,
    SecurityPolicy,
    Sign,
    Timestamp,
    Verification,
    payload_offsets,
)

LENGTH = "length"
CODE = "code"
RESERVED = "reserved"


@dataclass(frozen=True)
class Field:
    """A `bits`-wide field at bit `shift` of the `width`-byte big-endian word at `at`."""

    name: str
    kind: str  # LENGTH, CODE or RESERVED
    requirement: str
    at: int
    width: int
    bits: int
    shift: int = 0

    def moved(self, by: int) -> Field:
        return Field(self.name, self.kind, self.requirement, self.at + by, self.width,
                     self.bits, self.shift)  # fmt: skip

    def read(self, data: bytes) -> int:
        word = int.from_bytes(data[self.at : self.at + self.width], "big")
        return word >> self.shift & ((1 << self.bits) - 1)


def _f(name: str, kind: str, req: str, at: int, width: int = 1, bits: int = 0,
       shift: int = 0) -> Field:  # fmt: skip
    return Field(name, kind, req, at, width, bits or 8 * width, shift)


HDR_FIELDS = (
    _f("version", CODE, R.VERSION, 0),
    _f("data type", CODE, R.DATA_TYPE, 1),
    _f("PRF func", CODE, R.PRF_FUNC, 3, bits=7),
    _f("#CS", LENGTH, R.CS_COUNT, 8),
    _f("CS ID map type", CODE, R.CS_ID_MAP_TYPE, 9),
)


def _kv_fields(kv: object, at: int) -> tuple[Field, ...]:
    """The length fields of KV data (RFC 3830 6.14) starting at `at`."""
    if isinstance(kv, KvSpi):
        return (_f("SPI Length", LENGTH, R.SPI_LEN, at),)
    if isinstance(kv, KvInterval):
        return (
            _f("VF Length", LENGTH, R.VF_LEN, at),
            _f("VT Length", LENGTH, R.VT_LEN, at + 1 + len(kv.valid_from)),
        )
    return ()


def payload_fields(p: Payload) -> tuple[Field, ...]:
    """The mutable fields of one payload, offsets relative to its first byte."""
    if isinstance(p, Kemac):
        mac_at = 4 + len(p.encr_data)
        return (
            _f("Encr alg", CODE, R.ENCR_ALG, 1),
            _f("Encr data len", LENGTH, R.ENCR_DATA_LEN, 2, 2),
            _f("MAC alg", CODE, R.MAC_ALG, mac_at),
        )
    if isinstance(p, Pke):
        return (
            _f("C", CODE, R.PKE_C, 1, 2, 2, 14),
            _f("Data len", LENGTH, R.PKE_DATA_LEN, 1, 2, 14),
        )
    if isinstance(p, Dh):
        kv_at = 2 + DH_VALUE_LENGTH[p.group]
        return (
            _f("DH-Group", CODE, R.DH_GROUP, 1),
            _f("KV", CODE, R.KV_TYPE, kv_at, bits=4),
            _f("Reserv", RESERVED, R.KV_TYPE, kv_at, bits=4, shift=4),
            *_kv_fields(p.kv, kv_at + 1),
        )
    if isinstance(p, Sign):
        return (
            _f("S type", CODE, R.S_TYPE, 0, 2, 4, 12),
            _f("Signature len", LENGTH, R.SIGNATURE_LEN, 0, 2, 12),
        )
    if isinstance(p, Error):
        return (_f("Error no", CODE, R.ERROR_NO, 1), _f("Reserved", RESERVED, R.ERROR_NO, 2, 2))
    if isinstance(p, SecurityPolicy):
        return (
            _f("Prot type", CODE, R.PROT_TYPE, 2),
            _f("Policy param length", LENGTH, R.POLICY_PARAM_LEN, 3, 2),
        )
    if isinstance(p, Rand):
        return (_f("RAND len", LENGTH, R.RAND_LEN, 1),)
    if isinstance(p, GeneralExtension):
        return (_f("Type", CODE, R.EXT_TYPE, 1), _f("Length", LENGTH, R.EXT_DATA_LEN, 2, 2))
    if isinstance(p, Idr):  # RFC 6043 6.6, roles RFC 6509 4.4
        return (
            _f("ID Role", CODE, R.ID_ROLE, 1),
            _f("ID type", CODE, R.ID_TYPE, 2),
            _f("ID len", LENGTH, R.ID_CERT_LEN, 3, 2),
        )
    if isinstance(p, Sakke):  # RFC 6509 4.2
        return (
            _f("SAKKE params", CODE, R.SAKKE_PARAMS, 1),
            _f("ID scheme", CODE, R.ID_SCHEME, 2),
            _f("SAKKE data len", LENGTH, R.SAKKE_DATA_LEN, 3, 2),
        )
    if isinstance(p, Id | Cert):
        name, req = ("ID", R.ID_TYPE) if isinstance(p, Id) else ("Cert", R.CERT_TYPE)
        return (_f(f"{name} type", CODE, req, 1), _f(f"{name} len", LENGTH, R.ID_CERT_LEN, 2, 2))
    code = {
        Timestamp: ("TS type", R.TS_TYPE),
        Chash: ("Hash func", R.HASH_FUNC),
        Verification: ("Auth alg", R.AUTH_ALG),
    }[type(p)]
    return (_f(code[0], CODE, code[1], 1),)


@dataclass(frozen=True)
class Segment:
    """One payload of a message: its type, its bytes, the value they encode."""

    kind: PayloadType
    data: bytes
    payload: Payload

    @property
    def has_next(self) -> bool:
        """SIGN carries no Next payload field (RFC 3830 6.5)."""
        return self.kind != PayloadType.SIGN


@dataclass(frozen=True)
class Layout:
    """A message as HDR bytes plus payload segments; `render` rebuilds the chain."""

    hdr: bytes
    segments: tuple[Segment, ...]

    def render(self) -> bytes:
        """The bytes, with every Next payload set to the type of the segment that follows."""
        kinds = [s.kind for s in self.segments] + [PayloadType.LAST]
        hdr = bytearray(self.hdr)
        hdr[2] = kinds[0]
        parts = [bytes(hdr)]
        for seg, following in zip(self.segments, kinds[1:], strict=True):
            parts.append(bytes([following]) + seg.data[1:] if seg.has_next else seg.data)
        return b"".join(parts)

    def starts(self) -> list[int]:
        """The offset of each segment in `render()`."""
        at, out = len(self.hdr), []
        for seg in self.segments:
            out.append(at)
            at += len(seg.data)
        return out

    def fields(self) -> list[Field]:
        """Every mutable field, at its absolute offset in `render()`."""
        out = list(HDR_FIELDS)
        for at, seg in zip(self.starts(), self.segments, strict=True):
            out.extend(f.moved(at) for f in payload_fields(seg.payload))
        return out

    def next_payload_offsets(self) -> list[int]:
        """Where each Next payload field lies (HDR's first), SIGN having none."""
        starts = self.starts()
        return [2] + [at for at, s in zip(starts, self.segments, strict=True) if s.has_next]


def layout_of(msg: Message, data: bytes) -> Layout:
    """Cut the valid encoding `data` of `msg` along its payload chain."""
    starts = payload_offsets(msg)
    ends = [*starts[1:], len(data)] if starts else []
    hdr_end = starts[0] if starts else len(data)
    segments = tuple(
        Segment(PAYLOAD_TYPE[type(p)], data[a:b], p)
        for p, a, b in zip(msg.payloads, starts, ends, strict=True)
    )
    return Layout(data[:hdr_end], segments)
