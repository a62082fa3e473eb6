"""Code registries of RFC 3830 section 6 (and the extensions named per table).

Each enum is one IANA table; the member names follow the RFC's spelling.
"""

from __future__ import annotations

from enum import IntEnum


class DataType(IntEnum):
    """HDR data type, RFC 3830 section 6.1, Table 6.1.a; RFC 4650 4.1 Table 4.1.a; RFC 4738
    3.9.1; RFC 6509 4.1 Table 1."""

    PSK_INIT = 0
    PSK_RESP = 1
    PK_INIT = 2
    PK_RESP = 3
    DH_INIT = 4
    DH_RESP = 5
    ERROR = 6
    DHHMAC_INIT = 7  # RFC 4650 4.1
    DHHMAC_RESP = 8
    RSA_R_INIT = 9  # RFC 4738 3.9.1: "RSA-R I_MSG"
    RSA_R_RESP = 10  # RFC 4738 3.9.1: "RSA-R R_MSG"
    SAKKE_MSG = 26  # RFC 6509 4.1 Table 1


class PayloadType(IntEnum):
    """Next payload values, RFC 3830 section 6.1, Table 6.1.b."""

    LAST = 0
    KEMAC = 1
    PKE = 2
    DH = 3
    SIGN = 4
    T = 5
    ID = 6
    CERT = 7
    CHASH = 8
    V = 9
    SP = 10
    RAND = 11
    ERR = 12
    IDR = 14  # RFC 6043 6.6
    KEY_DATA = 20
    GENERAL_EXT = 21
    SAKKE = 26  # RFC 6509 4.1 Table 2


class PrfFunc(IntEnum):
    """HDR PRF func, RFC 3830 section 6.1, Table 6.1.c."""

    MIKEY_1 = 0


class CsIdMapType(IntEnum):
    """HDR CS ID map type, RFC 3830 section 6.1 Table 6.1.d; RFC 4563 section 5 Table 3."""

    SRTP_ID = 0
    EMPTY = 1


class EncrAlg(IntEnum):
    """KEMAC encryption algorithm, RFC 3830 section 6.2, Table 6.2.a."""

    NULL = 0
    AES_CM_128 = 1
    AES_KW_128 = 2


class MacAlg(IntEnum):
    """KEMAC / V MAC algorithm, RFC 3830 section 6.2, Table 6.2.b."""

    NULL = 0
    HMAC_SHA_1_160 = 1


MAC_LENGTH: dict[MacAlg, int] = {MacAlg.NULL: 0, MacAlg.HMAC_SHA_1_160: 20}
"""MAC field length in bytes per algorithm (Table 6.2.b, length column)."""


class PkeCache(IntEnum):
    """PKE envelope key cache indicator C, RFC 3830 section 6.3, Table 6.3."""

    NO_CACHE = 0
    CACHE = 1
    CACHE_FOR_CSB = 2


class DhGroup(IntEnum):
    """DH-Group, RFC 3830 section 6.4, Table 6.4."""

    OAKLEY_5 = 0
    OAKLEY_1 = 1
    OAKLEY_2 = 2


DH_VALUE_LENGTH: dict[DhGroup, int] = {
    DhGroup.OAKLEY_5: 192,
    DhGroup.OAKLEY_1: 96,
    DhGroup.OAKLEY_2: 128,
}
"""DH-value length in bytes per group (Table 6.4)."""


class SignType(IntEnum):
    """SIGN S type, RFC 3830 section 6.5, Table 6.5."""

    RSA_PKCS1_1_5 = 0
    RSA_PSS = 1
    ECCSI = 2  # RFC 6509 4.3 Table 6 (RFC 6507)


class TsType(IntEnum):
    """T TS type, RFC 3830 section 6.6, Table 6.6."""

    NTP_UTC = 0
    NTP = 1
    COUNTER = 2


TS_VALUE_LENGTH: dict[TsType, int] = {TsType.NTP_UTC: 8, TsType.NTP: 8, TsType.COUNTER: 4}
"""TS value length in bytes per type (Table 6.6)."""


class IdType(IntEnum):
    """ID type, RFC 3830 section 6.7, Table 6.7.a."""

    NAI = 0
    URI = 1


class CertType(IntEnum):
    """CERT type, RFC 3830 section 6.7, Table 6.7.b."""

    X509V3 = 0
    X509V3_URL = 1
    X509V3_SIGN = 2
    X509V3_ENCR = 3


class HashFunc(IntEnum):
    """CHASH hash function, RFC 3830 section 6.8, Table 6.8."""

    SHA_1 = 0
    MD5 = 1


HASH_LENGTH: dict[HashFunc, int] = {HashFunc.SHA_1: 20, HashFunc.MD5: 16}
"""Hash length in bytes per function (Table 6.8)."""


class ProtType(IntEnum):
    """SP Prot type, RFC 3830 section 6.10, Table 6.10."""

    SRTP = 0


class SrtpParam(IntEnum):
    """SRTP policy parameter types, RFC 3830 section 6.10.1, Table 6.10.1.a."""

    ENCR_ALG = 0
    SESSION_ENCR_KEY_LEN = 1
    AUTH_ALG = 2
    SESSION_AUTH_KEY_LEN = 3
    SESSION_SALT_KEY_LEN = 4
    SRTP_PRF = 5
    KEY_DERIVATION_RATE = 6
    SRTP_ENCRYPTION = 7
    SRTCP_ENCRYPTION = 8
    FEC_ORDER = 9
    SRTP_AUTHENTICATION = 10
    AUTH_TAG_LEN = 11
    SRTP_PREFIX_LEN = 12


class SrtpEncrAlg(IntEnum):
    """SRTP encryption algorithm values, RFC 3830 Table 6.10.1.b."""

    NULL = 0
    AES_CM = 1
    AES_F8 = 2


class SrtpAuthAlg(IntEnum):
    """SRTP authentication algorithm values, RFC 3830 Table 6.10.1.c."""

    NULL = 0
    HMAC_SHA_1 = 1


class SrtpPrf(IntEnum):
    """SRTP PRF values, RFC 3830 Table 6.10.1.d."""

    AES_CM = 0


class FecOrder(IntEnum):
    """FEC order values, RFC 3830 Table 6.10.1.e."""

    FEC_SRTP = 0


class ErrorNo(IntEnum):
    """ERR error number, RFC 3830 section 6.12, Table 6.12."""

    AUTH_FAILURE = 0
    INVALID_TS = 1
    INVALID_PRF = 2
    INVALID_MAC = 3
    INVALID_EA = 4
    INVALID_HA = 5
    INVALID_DH = 6
    INVALID_ID = 7
    INVALID_CERT = 8
    INVALID_SP = 9
    INVALID_SPPAR = 10
    INVALID_DT = 11
    UNSPECIFIED = 12


class KeyType(IntEnum):
    """Key data sub-payload type, RFC 3830 section 6.13, Table 6.13.a."""

    TGK = 0
    TGK_SALT = 1
    TEK = 2
    TEK_SALT = 3


class KvType(IntEnum):
    """Key validity type, RFC 3830 section 6.13, Table 6.13.b."""

    NULL = 0
    SPI = 1
    INTERVAL = 2


class GeneralExtType(IntEnum):
    """General Extension type, RFC 3830 section 6.15 Table 6.15; RFC 4563 section 4;
    RFC 4738 3.9.3 (CSB_ID: the responder's new CSB ID in RSA-R group mode)."""

    VENDOR_ID = 0
    SDP_IDS = 1
    KEY_ID = 3
    CSB_ID = 4


class KeyIdType(IntEnum):
    """Key ID Type sub-payload types, RFC 4563 section 4, Table 2."""

    MBMS_KEY_DOMAIN_ID = 0
    MBMS_SERVICE_KEY_ID = 1
    MBMS_TRAFFIC_KEY_ID = 2


class IdRole(IntEnum):
    """IDR ID Role, RFC 6043 section 6.6 Table 6.11; RFC 6509 section 4.4 Table 7."""

    IDRI = 1
    IDRR = 2
    IDRKMS = 3
    IDRPSK = 4
    IDRAPP = 5
    IDRKMSI = 6
    IDRKMSR = 7


class SakkeParamSet(IntEnum):
    """SAKKE payload SAKKE params, RFC 6509 section 4.2 Table 4."""

    PARAMETER_SET_1 = 1


class SakkeIdScheme(IntEnum):
    """SAKKE payload ID scheme, RFC 6509 section 4.2 Table 5."""

    TEL_URI_MONTHLY = 1
