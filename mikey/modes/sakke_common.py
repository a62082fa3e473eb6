"""What both sides of MIKEY-SAKKE share (RFC 6509): settings, and the ECCSI signature over
the I_MESSAGE.

    I_MESSAGE = HDR, T, RAND, [IDRi], [IDRr], [IDRkmsi], [IDRkmsr], [CERT], {SP}, SAKKE, SIGN

The signature covers "the entire MIKEY message, except the MAC/Signature field" (RFC 3830
5.2): every byte of the I_MESSAGE up to and including SIGN's S type and Signature len,
which ECCSI fixes at 4N+1 = 129 octets (RFC 6507 3.3). The SSV the SAKKE payload carries
is the TGK (RFC 6509 3.1): TEKs and SRTP keys follow from it as RFC 3830 4.1.3 says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mikey.crypto import eccsi
from mikey.modes.sakke_kms import Kms, check_tel_uri
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    Message,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpIdEntry,
    TsType,
    encode_message,
)

SIGNATURE_LENGTH = eccsi.SIGNATURE_LENGTH


@dataclass(frozen=True)
class SakkeSettings:
    """One party's MIKEY-SAKKE configuration: the KMS (one for the community, RFC 6509 2.1)
    and the two users' tel URIs; `include_idr` sends IDRi and IDRr, `include_kms_idr`
    IDRkmsi and IDRkmsr (all OPTIONAL, 2.2.1)."""

    kms: Kms
    uri_i: bytes
    uri_r: bytes
    include_idr: bool = True
    include_kms_idr: bool = False
    policies: tuple[SecurityPolicy, ...] = (DEFAULT_SRTP_POLICY,)
    cs_map: tuple[SrtpIdEntry, ...] = (SrtpIdEntry(policy_no=0, ssrc=0, roc=0),)
    rand_len: int = 16
    ts_type: TsType = TsType.NTP_UTC

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", tuple(self.policies))
        object.__setattr__(self, "cs_map", tuple(self.cs_map))
        check_tel_uri(self.uri_i)
        check_tel_uri(self.uri_r)
        if not 16 <= self.rand_len <= 255:
            raise ValueError("RAND is at least 128 bits (RFC 3830 6.11) and at most 255 bytes")


def with_signature(msg: Message, signature: bytes) -> Message:
    """`msg` with its SIGN payload (appended, or the last one replaced) holding `signature`."""
    body = (
        msg.payloads[:-1] if msg.payloads and isinstance(msg.payloads[-1], Sign) else msg.payloads
    )
    return replace(msg, payloads=(*body, Sign(SignType.ECCSI, signature)))


def signed_part(data: bytes) -> bytes:
    """The bytes an ECCSI SIGN covers: the message but its trailing Signature field (5.2)."""
    return data[: len(data) - SIGNATURE_LENGTH]


def sign_message(msg: Message, key: eccsi.SigningKey, j: int) -> bytes:
    """`msg` (its SIGN added or replaced) with the ECCSI signature under `key` (RFC 6507
    5.2.1 with the ephemeral j) over all of it but the Signature field."""
    placeholder = encode_message(with_signature(msg, bytes(SIGNATURE_LENGTH)))
    covered = signed_part(placeholder)
    return covered + eccsi.sign(covered, key, j)
