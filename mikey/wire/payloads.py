"""The payloads of RFC 3830 section 6 as immutable values.

The Next payload field of each payload is not stored: it is derived from the
order of payloads in a `Message` when encoding and checked when decoding.
Length fields are not stored either; they follow from the values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from mikey.wire.registry import (
    CertType,
    CsIdMapType,
    DataType,
    DhGroup,
    EncrAlg,
    ErrorNo,
    GeneralExtType,
    HashFunc,
    IdRole,
    IdType,
    KeyType,
    MacAlg,
    PayloadType,
    PkeCache,
    PrfFunc,
    ProtType,
    SakkeIdScheme,
    SakkeParamSet,
    SignType,
    TsType,
)


@dataclass(frozen=True)
class SrtpIdEntry:
    """One entry of the SRTP-ID CS ID map, RFC 3830 section 6.1.1."""

    policy_no: int  # 8 bits
    ssrc: int  # 32 bits
    roc: int  # 32 bits


@dataclass(frozen=True)
class CommonHeader:
    """HDR, RFC 3830 section 6.1. #CS is len(cs_map) for the SRTP-ID map type.

    With CsIdMapType.EMPTY (RFC 4563 section 5) cs_map is empty and #CS is
    carried in `cs_count`; for SRTP-ID `cs_count` must equal len(cs_map).
    """

    data_type: DataType
    csb_id: int  # 32 bits
    cs_map: tuple[SrtpIdEntry, ...] = ()
    v: bool = False
    prf_func: PrfFunc = PrfFunc.MIKEY_1
    cs_id_map_type: CsIdMapType = CsIdMapType.SRTP_ID
    version: int = 1
    cs_count: int | None = None  # None: len(cs_map)

    def __post_init__(self) -> None:
        # Canonical form (codec addition): a list cs_map becomes a tuple, and a
        # cs_count equal to len(cs_map) becomes None, so that equal headers
        # compare equal whichever way they were written.
        object.__setattr__(self, "cs_map", tuple(self.cs_map))
        if self.cs_count is not None and self.cs_count == len(self.cs_map):
            object.__setattr__(self, "cs_count", None)

    @property
    def n_cs(self) -> int:
        return len(self.cs_map) if self.cs_count is None else self.cs_count


@dataclass(frozen=True)
class KvNull:
    """Key validity NULL, RFC 3830 section 6.13 Table 6.13.b."""


@dataclass(frozen=True)
class KvSpi:
    """Key validity SPI/MKI, RFC 3830 section 6.14."""

    spi: bytes  # length fits 8 bits


@dataclass(frozen=True)
class KvInterval:
    """Key validity interval, RFC 3830 section 6.14."""

    valid_from: bytes  # length fits 8 bits
    valid_to: bytes  # length fits 8 bits


KeyValidity = KvNull | KvSpi | KvInterval


@dataclass(frozen=True)
class KeyData:
    """Key data sub-payload, RFC 3830 section 6.13 (only inside KEMAC Encr data).

    `salt` is present exactly when key_type is TGK_SALT or TEK_SALT.
    """

    key_type: KeyType
    key: bytes
    salt: bytes | None = None
    kv: KeyValidity = field(default_factory=KvNull)


@dataclass(frozen=True)
class Kemac:
    """Key data transport payload, RFC 3830 section 6.2.

    `encr_data` is the (possibly encrypted) concatenation of Key data
    sub-payloads; `mac` has the length Table 6.2.b gives for `mac_alg`.
    """

    encr_alg: EncrAlg
    encr_data: bytes
    mac_alg: MacAlg
    mac: bytes


@dataclass(frozen=True)
class Pke:
    """Envelope data payload, RFC 3830 section 6.3."""

    cache: PkeCache
    data: bytes  # length fits 14 bits


@dataclass(frozen=True)
class Dh:
    """DH data payload, RFC 3830 section 6.4; len(value) is fixed by the group."""

    group: DhGroup
    value: bytes
    kv: KeyValidity = field(default_factory=KvNull)


@dataclass(frozen=True)
class Sign:
    """Signature payload, RFC 3830 section 6.5 (always last, no Next payload)."""

    s_type: SignType
    signature: bytes  # length fits 12 bits


@dataclass(frozen=True)
class Timestamp:
    """Timestamp payload T, RFC 3830 section 6.6.

    `value` is the raw TS value: 64-bit NTP format for NTP-UTC and NTP,
    32-bit for COUNTER.
    """

    ts_type: TsType
    value: int


@dataclass(frozen=True)
class Id:
    """ID payload, RFC 3830 section 6.7."""

    id_type: IdType
    data: bytes


@dataclass(frozen=True)
class Cert:
    """Certificate payload, RFC 3830 section 6.7."""

    cert_type: CertType
    data: bytes


@dataclass(frozen=True)
class Chash:
    """Cert hash payload, RFC 3830 section 6.8; len(hash) is fixed by the function."""

    hash_func: HashFunc
    hash: bytes


@dataclass(frozen=True)
class Verification:
    """Ver msg payload V, RFC 3830 section 6.9; len(ver_data) fixed by auth_alg."""

    auth_alg: MacAlg
    ver_data: bytes


@dataclass(frozen=True)
class PolicyParam:
    """One Type/Length/Value policy parameter, RFC 3830 section 6.10."""

    type: int  # 8 bits; for SRTP see registry.SrtpParam
    value: bytes  # length fits 8 bits


@dataclass(frozen=True)
class SecurityPolicy:
    """Security Policy payload SP, RFC 3830 section 6.10."""

    policy_no: int
    prot_type: ProtType
    params: tuple[PolicyParam, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", tuple(self.params))  # codec addition: canonical


@dataclass(frozen=True)
class Rand:
    """RAND payload, RFC 3830 section 6.11."""

    rand: bytes  # length fits 8 bits


@dataclass(frozen=True)
class Error:
    """Error payload ERR, RFC 3830 section 6.12."""

    error_no: ErrorNo


@dataclass(frozen=True)
class KeyIdEntry:
    """Key ID Type sub-payload, RFC 4563 section 4."""

    key_id_type: int  # 8 bits; see registry.KeyIdType
    key_id: bytes  # length fits 8 bits


@dataclass(frozen=True)
class GeneralExtension:
    """General Extension payload, RFC 3830 section 6.15.

    For type KEY_ID (RFC 4563) `data` is the encoded Key ID Type sub-payloads;
    use codec helpers to build or read them as KeyIdEntry values.
    """

    ext_type: GeneralExtType
    data: bytes


@dataclass(frozen=True)
class Idr:
    """ID payload with Role Indicator IDR, RFC 6043 section 6.6 (roles: RFC 6509 4.4)."""

    id_role: IdRole
    id_type: IdType
    data: bytes


@dataclass(frozen=True)
class Sakke:
    """SAKKE payload, RFC 6509 section 4.2: the SAKKE Encapsulated Data (RFC 6508 4)."""

    sakke_params: SakkeParamSet
    id_scheme: SakkeIdScheme
    data: bytes  # length fits 16 bits


Payload = (
    Kemac
    | Pke
    | Dh
    | Sign
    | Timestamp
    | Id
    | Cert
    | Chash
    | Verification
    | SecurityPolicy
    | Rand
    | Error
    | GeneralExtension
    | Idr
    | Sakke
)

PAYLOAD_TYPE: dict[type, PayloadType] = {
    Kemac: PayloadType.KEMAC,
    Pke: PayloadType.PKE,
    Dh: PayloadType.DH,
    Sign: PayloadType.SIGN,
    Timestamp: PayloadType.T,
    Id: PayloadType.ID,
    Cert: PayloadType.CERT,
    Chash: PayloadType.CHASH,
    Verification: PayloadType.V,
    SecurityPolicy: PayloadType.SP,
    Rand: PayloadType.RAND,
    Error: PayloadType.ERR,
    GeneralExtension: PayloadType.GENERAL_EXT,
    Idr: PayloadType.IDR,
    Sakke: PayloadType.SAKKE,
}
"""The payload type value that announces each payload class."""


P = TypeVar("P")


@dataclass(frozen=True)
class Message:
    """A MIKEY message: HDR followed by payloads in wire order (RFC 3830 section 5.2)."""

    hdr: CommonHeader
    payloads: tuple[Payload, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "payloads", tuple(self.payloads))  # codec addition: canonical

    def all(self, kind: type[P]) -> list[P]:
        """Every payload of class `kind`, in order."""
        return [p for p in self.payloads if isinstance(p, kind)]

    def first(self, kind: type[P]) -> P | None:
        """The first payload of class `kind`, or None."""
        for p in self.payloads:
            if isinstance(p, kind):
                return p
        return None
