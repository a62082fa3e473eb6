"""SAKKE, Sakai-Kasahara Key Encryption (RFC 6508), with Parameter Set 1 of RFC 6509.

- `hash_to_integer_range` (5.1);
- the KMS: `kms_public_key` (Z = [z]P, 6.1) and `receiver_secret_key` (the RSK
  K_(a,T) = [(a + z)^-1]P, 6.1.1);
- the user: `validate_rsk` (<[a]P + Z, K_(a,T)> = g, 6.1.2);
- the Sender: `encapsulate` (6.2.1); the Receiver: `decapsulate` (6.2.2).

Identifiers are octet strings, interpreted as integers (big-endian) where the RFC says so.
The SSV is an argument of `encapsulate` (the caller draws it) so that RFC 6508 Appendix A
can be replayed. Encapsulated Data = R_(b,S) as 0x04 || x || y, then H in n/8 octets (4).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from mikey.crypto.bignum import inverse
from mikey.crypto.ec import Curve, Point, require_point
from mikey.crypto.errors import CryptoError
from mikey.crypto.pairing import pairing, pf_power

HashFunction = Callable[[bytes], bytes]


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


@dataclass(frozen=True)
class SakkeParams:
    """A SAKKE public parameter set (RFC 6508 2.3): n, p, q, P (in `curve`), g = <P,P>, Hash."""

    number: int
    n: int
    curve: Curve
    g: int
    hash: HashFunction

    @property
    def ssv_octets(self) -> int:
        return self.n // 8


PARAMETER_SET_1 = SakkeParams(
    number=1,
    n=128,
    curve=Curve(
        name="E (RFC 6509 parameter set 1)",
        p=int(
            "997ABB1F0A563FDA65C61198DAD0657A416C0CE19CB48261BE9AE358B3E01A2E"
            "F40AAB27E2FC0F1B228730D531A59CB0E791B39FF7C88A19356D27F4A666A6D0"
            "E26C6487326B4CD4512AC5CD65681CE1B6AFF4A831852A82A7CF3C521C3C09AA"
            "9F94D6AF56971F1FFCE3E82389857DB080C5DF10AC7ACE87666D807AFEA85FEB",
            16,
        ),
        b=0,
        q=int(
            "265EAEC7C2958FF69971846636B4195E905B0338672D20986FA6B8D62CF8068B"
            "BD02AAC9F8BF03C6C8A1CC354C69672C39E46CE7FDF222864D5B49FD2999A9B4"
            "389B1921CC9AD335144AB173595A07386DABFD2A0C614AA0A9F3CF14870F026A"
            "A7E535ABD5A5C7C7FF38FA08E2615F6C203177C42B1EB3A1D99B601EBFAA17FB",
            16,
        ),
        generator=(
            int(
                "53FC09EE332C29AD0A7990053ED9B52A2B1A2FD60AEC69C698B2F204B6FF7CBF"
                "B5EDB6C0F6CE2308AB10DB9030B09E1043D5F22CDB9DFA55718BD9E7406CE890"
                "9760AF765DD5BCCB337C86548B72F2E1A702C3397A60DE74A7C1514DBA66910D"
                "D5CFB4CC80728D87EE9163A5B63F73EC80EC46C4967E0979880DC8ABEAE63895",
                16,
            ),
            int(
                "0A8249063F6009F1F9F1F0533634A135D3E82016029906963D778D821E141178"
                "F5EA69F4654EC2B9E7F7F5E5F0DE55F66B598CCF9A140B2E416CFF0CA9E032B9"
                "70DAE117AD547C6CCAD696B5B7652FE0AC6F1E80164AA989492D979FC5A4D5F2"
                "13515AD7E9CB99A980BDAD5AD5BB4636ADB9B5706A67DCDE75573FD71BEF16D7",
                16,
            ),
        ),
    ),
    g=int(
        "66FC2A432B6EA392148F15867D623068C6A87BD1FB94C41E27FABE658E015A87"
        "371E94744C96FEDA449AE9563F8BC446CBFDA85D5D00EF577072DA8F541721BE"
        "EE0FAED1828EAB90B99DFB0138C7843355DF0460B4A9FD74B4F1A32BCAFA1FFA"
        "D682C033A7942BCCE3720F20B9B7B0403C8CAE87B7A0042ACDE0FAB36461EA46",
        16,
    ),
    hash=sha256,
)
"""Parameter Set 1 (RFC 6509 Appendix A), the one MIKEY-SAKKE defines."""


def hash_to_integer_range(s: bytes, n: int, hashfn: HashFunction = sha256) -> int:
    """HashToIntegerRange(s, n, hashfn): an integer in 0 to n-1 (RFC 6508 5.1)."""
    a = hashfn(s)  # 1)
    h = bytes(len(a))  # 2) h_0: hashlen null bits
    hashlen = 8 * len(a)
    count = -(-(n - 1).bit_length() // hashlen)  # 3) l = Ceiling(lg(n)/hashlen)
    blocks = []
    for _ in range(count):  # 4)
        h = hashfn(h)
        blocks.append(hashfn(h + a))
    return int.from_bytes(b"".join(blocks), "big") % n  # 5), 6)


def kms_public_key(z: int, params: SakkeParams = PARAMETER_SET_1) -> Point:
    """Z_T = [z_T]P, the KMS Master Secret z_T in 2 to q-1 (RFC 6508 6.1)."""
    if not 2 <= z < params.curve.q:
        raise CryptoError("the KMS Master Secret must lie in 2 to q-1 (RFC 6508 6.1)")
    return require_point(params.curve.multiply(z, params.curve.generator))


def receiver_secret_key(identifier: bytes, z: int, params: SakkeParams = PARAMETER_SET_1) -> Point:
    """K_(a,T) = [(a + z_T)^-1]P, inverted modulo q (RFC 6508 6.1.1)."""
    q = params.curve.q
    try:
        exponent = inverse((_integer(identifier) + z) % q, q)
    except ValueError as exc:
        raise CryptoError("a + z_T is zero modulo q: no RSK (RFC 6508 6.1.1)") from exc
    return require_point(params.curve.multiply(int(exponent), params.curve.generator))


def validate_rsk(
    identifier: bytes, z_point: Point, rsk: Point, params: SakkeParams = PARAMETER_SET_1
) -> bool:
    """Whether < [a]P + Z, K_(a,T) > = g (RFC 6508 6.1.2)."""
    curve = params.curve
    if not (curve.contains(rsk) and curve.contains(z_point)):
        return False
    base = _identity_point(identifier, z_point, params)
    return base is not None and pairing(curve, base, rsk) == params.g


def encapsulate(
    ssv: bytes, identifier: bytes, z_point: Point, params: SakkeParams = PARAMETER_SET_1
) -> bytes:
    """The Sender's Encapsulated Data (R_(b,S), H) for Receiver `identifier` (6.2.1)."""
    curve = params.curve
    if len(ssv) != params.ssv_octets:
        raise CryptoError(f"the SSV is an n-bit integer, {params.ssv_octets} octets (6.2.1)")
    r = hash_to_integer_range(ssv + identifier, curve.q, params.hash)  # 2)
    r_point = require_point(
        curve.multiply(r, require_point(_identity_point(identifier, z_point, params)))
    )
    g_r = pf_power(params.g, r, curve.p)  # 4a)
    h = int.from_bytes(ssv, "big") ^ _mask(g_r, params)  # 4b)
    return curve.encode_point(r_point) + h.to_bytes(params.ssv_octets, "big")  # 5)


def decapsulate(
    data: bytes,
    identifier: bytes,
    z_point: Point,
    rsk: Point,
    params: SakkeParams = PARAMETER_SET_1,
) -> bytes:
    """The SSV of Encapsulated Data for us (6.2.2); CryptoError if it does not verify."""
    curve = params.curve
    point_length = 2 * curve.octets + 1
    if len(data) != point_length + params.ssv_octets:
        raise CryptoError(f"Encapsulated Data is {point_length + params.ssv_octets} octets (4)")
    r_point = curve.decode_point(data[:point_length])  # 1)
    h = int.from_bytes(data[point_length:], "big")
    w = pairing(curve, r_point, rsk)  # 2)
    ssv = (h ^ _mask(w, params)).to_bytes(params.ssv_octets, "big")  # 3)
    r = hash_to_integer_range(ssv + identifier, curve.q, params.hash)  # 4)
    test = curve.multiply(r, _identity_point(identifier, z_point, params))  # 5)
    if test is None or not hmac.compare_digest(curve.encode_point(test), data[:point_length]):
        raise CryptoError("TEST != R_(b,S): the SSV must not be used (RFC 6508 6.2.2 step 5)")
    return ssv


def _mask(g_r: int, params: SakkeParams) -> int:
    """HashToIntegerRange( g^r, 2^n, Hash ), g^r as an F_p element (RFC 6508 4, 6.2.1)."""
    return hash_to_integer_range(params.curve.encode_integer(g_r), 1 << params.n, params.hash)


def _identity_point(identifier: bytes, z_point: Point, params: SakkeParams) -> Point | None:
    """[a]P + Z, the point every key of identifier 'a' under the KMS key Z pairs with."""
    curve = params.curve
    return curve.add(curve.multiply(_integer(identifier), curve.generator), z_point)


def _integer(identifier: bytes) -> int:
    """An Identifier interpreted as an integer (RFC 6508 6.1.1, 6.2)."""
    return int.from_bytes(identifier, "big")
