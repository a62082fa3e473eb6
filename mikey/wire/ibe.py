"""The payloads MIKEY-SAKKE adds: IDR (RFC 6043 6.6, with RFC 6509 4.4's roles) and SAKKE
(RFC 6509 4.2).

IDR: ID Role (8 bits), ID Type (8 bits), ID len (16 bits), ID Data: the ID payload of
RFC 3830 6.7 with a role in front. SAKKE: SAKKE params (8 bits), ID scheme (8 bits),
SAKKE data length (16 bits), SAKKE data (the Encapsulated Data of RFC 6508 4; its inner
form is for the mode to check, the codec carries it as bytes).
"""

from __future__ import annotations

from mikey.wire.payloads import Idr, Sakke
from mikey.wire.reader import Reader
from mikey.wire.registry import IdRole, IdType, PayloadType, SakkeIdScheme, SakkeParamSet
from mikey.wire.spec import PayloadSpec
from mikey.wire.writer import prefixed, uint

IDR_SECTION = "RFC 6043 6.6"
SAKKE_SECTION = "RFC 6509 4.2"


def encode_idr(p: Idr) -> bytes:
    return (
        uint(p.id_role, 1, "ID Role", "IDR")
        + uint(p.id_type, 1, "ID type", "IDR")
        + prefixed(p.data, 2, "ID Data", "IDR")
    )


def decode_idr(r: Reader) -> Idr:
    id_role = r.read_code(IdRole, "ID Role")
    id_type = r.read_code(IdType, "ID type")
    return Idr(id_role, id_type, r.prefixed(2, "ID len"))


def encode_sakke(p: Sakke) -> bytes:
    return (
        uint(p.sakke_params, 1, "SAKKE params", "SAKKE")
        + uint(p.id_scheme, 1, "ID scheme", "SAKKE")
        + prefixed(p.data, 2, "SAKKE data", "SAKKE")
    )


def decode_sakke(r: Reader) -> Sakke:
    sakke_params = r.read_code(SakkeParamSet, "SAKKE params")
    id_scheme = r.read_code(SakkeIdScheme, "ID scheme")
    return Sakke(sakke_params, id_scheme, r.prefixed(2, "SAKKE data length"))


IDR_SPEC = PayloadSpec(PayloadType.IDR, Idr, "IDR", IDR_SECTION, encode_idr, decode_idr)
SAKKE_SPEC = PayloadSpec(
    PayloadType.SAKKE, Sakke, "SAKKE", SAKKE_SECTION, encode_sakke, decode_sakke
)
