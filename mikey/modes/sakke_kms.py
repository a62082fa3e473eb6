"""MIKEY-SAKKE key material: Identifiers (RFC 6509 3.2) and the KMS that keys them (2.1.2).

An Identifier is "YYYY-MM" NUL tel-URI NUL (3.2): the key period (a month, 3.3) and a
constrained "tel" URI (global notation, no visual separators, no parameters). The month
comes from the I_MESSAGE's T payload: "The value of the month used to form the
Identifiers MUST be equal to the month as specified by the data in the timestamp
payload" (3.2), read in UTC.

`Kms` is a KMS as the suite plays it: from its two secrets, the KSAK (RFC 6507 4.2) and
the Master Secret z (RFC 6508 6.1), it gives the community keys (KPAK, Z) and each user's
keys for an Identifier: the (SSK,PVT) pair (RFC 6507 5.1.1) and the RSK (RFC 6508
6.1.1). Its ephemeral v is derived from the KSAK and the Identifier (HMAC-SHA-512), so
the suite and a SUT provisioned from the same profile hold the same keys. The user's
checks run on issue: the SSK is validated (RFC 6507 5.1.2) and the RSK verified
(RFC 6508 6.1.2) before they are handed out.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import re
from dataclasses import dataclass

from mikey.crypto import eccsi, sakke
from mikey.crypto.ec import Point
from mikey.ntp import unix_from_ntp

TEL_URI_RE = re.compile(rb"^tel:\+[0-9]+$")
"""A "tel" URI as RFC 6509 3.2 constrains it: global notation, digits only, no parameters."""


def check_tel_uri(uri: bytes) -> bytes:
    """`uri` if it is a constrained "tel" URI (RFC 6509 3.2), else ValueError."""
    if not TEL_URI_RE.match(uri):
        raise ValueError(
            f"{uri!r} is not a tel URI in global notation without separators or parameters "
            "(RFC 6509 3.2)"
        )
    return uri


def key_period(unix_seconds: float) -> str:
    """The key period "YYYY-MM" (ISO 8601) of a time, in UTC (RFC 6509 3.2, 3.3)."""
    return datetime.datetime.fromtimestamp(unix_seconds, datetime.UTC).strftime("%Y-%m")


def key_period_of_ntp(value: int, now: float) -> str:
    """The key period of an NTP timestamp value, read in the era nearest `now`."""
    return key_period(unix_from_ntp(value, now))


def identifier(uri: bytes, period: str) -> bytes:
    """The MIKEY-SAKKE Identifier "YYYY-MM\\0" || tel URI || "\\0" (RFC 6509 3.2)."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", period):
        raise ValueError(f"key period {period!r} is not YYYY-MM (RFC 6509 3.2)")
    return period.encode("ascii") + b"\x00" + check_tel_uri(uri) + b"\x00"


@dataclass(frozen=True)
class UserKeys:
    """What a KMS provisions to one Identifier: its ECCSI signing key and its SAKKE RSK."""

    identifier: bytes
    signing: eccsi.SigningKey
    rsk: Point


@dataclass(frozen=True)
class Kms:
    """A KMS from its secrets KSAK and z (RFC 6507 4.2, RFC 6508 6.1); `name` is its URI
    as IDRkmsi/IDRkmsr carry it (RFC 6509 2.2.1, 4.4)."""

    ksak: int
    z: int
    name: bytes = b"kms.mikey.test"

    @functools.cached_property
    def kpak(self) -> Point:
        """The KMS Public Authentication Key (RFC 6507 4.2)."""
        return eccsi.kms_public_key(self.ksak)

    @functools.cached_property
    def z_point(self) -> Point:
        """The KMS Public Key Z (RFC 6508 6.1)."""
        return sakke.kms_public_key(self.z)

    def user_keys(self, identifier: bytes) -> UserKeys:
        """The keys of `identifier`, validated as a user must (RFC 6507 5.1.2, 6508 6.1.2)."""
        return _issue(self.ksak, self.z, identifier)


@functools.lru_cache(maxsize=64)
def _issue(ksak: int, z: int, identifier: bytes) -> UserKeys:
    seed = hmac.new(ksak.to_bytes(32, "big"), identifier, hashlib.sha512).digest()
    made = eccsi.make_signing_key(ksak, identifier, eccsi.random_scalar(seed))
    kpak = eccsi.kms_public_key(ksak)
    signing = eccsi.validate_signing_key(identifier, kpak, made.ssk, made.pvt)
    rsk = sakke.receiver_secret_key(identifier, z)
    if not sakke.validate_rsk(identifier, sakke.kms_public_key(z), rsk):
        raise ValueError("the RSK does not verify (RFC 6508 6.1.2)")
    return UserKeys(identifier, signing, rsk)


@dataclass(frozen=True)
class SakkeCommunity:
    """The MIKEY-SAKKE provisioning both sides share: the KMS and the two users' tel URIs.

    The defaults are RFC 6507/6508 Appendix A's KSAK and z ("for illustration only") and
    RFC 6509 3.2's example number; a profile can name others (`from_json`).
    """

    kms: Kms = Kms(ksak=0x12345, z=0xAFF429D35F84B110D094803B3595A6E2998BC99F)
    uri_initiator: bytes = b"tel:+447700900123"
    uri_responder: bytes = b"tel:+447700900456"

    def __post_init__(self) -> None:
        check_tel_uri(self.uri_initiator)
        check_tel_uri(self.uri_responder)
        if (
            not 0 < self.kms.ksak < eccsi.P256.q
            or not 2 <= self.kms.z < sakke.PARAMETER_SET_1.curve.q
        ):
            raise ValueError(
                "KSAK must lie in 1 to q-1 (RFC 6507 4.2), z in 2 to q-1 (RFC 6508 6.1)"
            )

    @classmethod
    def from_json(cls, data: dict[str, object]) -> SakkeCommunity:
        """From {"ksak": hex, "z": hex, "kms": name, "uri_initiator": .., "uri_responder": ..}."""
        known = {"ksak", "z", "kms", "uri_initiator", "uri_responder"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown sakke key(s): {', '.join(unknown)}")
        base = cls()
        kms = Kms(
            ksak=int(str(data.get("ksak", f"{base.kms.ksak:x}")), 16),
            z=int(str(data.get("z", f"{base.kms.z:x}")), 16),
            name=str(data.get("kms", base.kms.name.decode())).encode(),
        )
        return cls(
            kms,
            str(data.get("uri_initiator", base.uri_initiator.decode())).encode(),
            str(data.get("uri_responder", base.uri_responder.decode())).encode(),
        )
