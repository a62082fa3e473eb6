"""The hand-off from MIKEY to SRTP: a crypto session's master key, master salt and
profile (RFC 3830 4.1.3, 6.10.1 and Appendix A; RFC 3711).

Appendix A: a crypto session is an SRTP stream, and "TEK | SRTP master key".
Appendix A.1 step 3: a TEK sent in the Key data "is used directly by SRTP as a
master key"; from a TGK, MIKEY computes the TEK "as described in Section 4.1":
TEK = PRF(TGK, 0x2AD01C64 || cs_id || csb_id || RAND) (4.1.3), as long as the
master key (6.10.1: "Session Encr. key length" if set, else SRTP's default).

The master salt is "the salt key carried in the Key data sub-payload ..., when
present" (4.1.3, SHALL); else, from a TGK, PRF(TGK, 0x39A2C14B || ...) at the
master salt length. A TEK sent without salt has no salt RFC 3830 defines:
RFC 3711 3.2.1 treats a "NULL" salt as 00...0, so it is all zeros.

The profile names the SRTP transforms of the security policy (RFC 4568 crypto
suite names, which libsrtp's profiles implement). `srtp_profile` maps only what
libsrtp's profiles can take and raises `UnsupportedSrtpPolicy` for the rest.

This module does not need pylibsrtp; `libsrtp_session` imports it when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mikey.crypto import TgkConstant, tgk_derive
from mikey.modes.srtp_policy import MASTER_KEY_LEN, MASTER_SALT_LEN, master_lengths
from mikey.wire.payloads import KeyData, SecurityPolicy
from mikey.wire.registry import (
    FecOrder,
    KeyType,
    ProtType,
    SrtpAuthAlg,
    SrtpEncrAlg,
    SrtpParam,
    SrtpPrf,
)

if TYPE_CHECKING:
    import pylibsrtp

AES_CM_128_HMAC_SHA1_80 = "AES_CM_128_HMAC_SHA1_80"
AES_CM_128_HMAC_SHA1_32 = "AES_CM_128_HMAC_SHA1_32"
DEFAULT_PROFILE = AES_CM_128_HMAC_SHA1_80
"""RFC 3711's default transforms (5, 8.2): AES-CM 128, HMAC-SHA1 with an 80-bit tag."""

TAG_PROFILES = {10: AES_CM_128_HMAC_SHA1_80, 4: AES_CM_128_HMAC_SHA1_32}
"""Authentication tag length (bytes) -> profile, for the AES-CM/HMAC-SHA1 policies."""

LIBSRTP_VALUES: dict[SrtpParam, int] = {
    SrtpParam.ENCR_ALG: SrtpEncrAlg.AES_CM,
    SrtpParam.SESSION_ENCR_KEY_LEN: MASTER_KEY_LEN,
    SrtpParam.AUTH_ALG: SrtpAuthAlg.HMAC_SHA_1,
    SrtpParam.SESSION_AUTH_KEY_LEN: 20,  # libsrtp's HMAC-SHA1 profiles: 160-bit key
    SrtpParam.SESSION_SALT_KEY_LEN: MASTER_SALT_LEN,
    SrtpParam.SRTP_PRF: SrtpPrf.AES_CM,
    SrtpParam.KEY_DERIVATION_RATE: 0,  # libsrtp derives once (no key_derivation_rate)
    SrtpParam.SRTP_ENCRYPTION: 1,  # profiles always encrypt and authenticate
    SrtpParam.SRTCP_ENCRYPTION: 1,
    SrtpParam.FEC_ORDER: FecOrder.FEC_SRTP,
    SrtpParam.SRTP_AUTHENTICATION: 1,
    SrtpParam.SRTP_PREFIX_LEN: 0,
}
"""The one value libsrtp's AES-CM profiles take for each SRTP policy parameter
(Table 6.10.1.a) other than the tag length (see TAG_PROFILES)."""


class UnsupportedSrtpPolicy(ValueError):
    """A security policy asks for SRTP parameters no libsrtp profile takes."""


@dataclass(frozen=True)
class SrtpKeys:
    """What MIKEY hands to SRTP for one crypto session (RFC 3830 Appendix A)."""

    master_key: bytes
    master_salt: bytes
    profile: str = DEFAULT_PROFILE


def srtp_profile(policy: SecurityPolicy | None) -> str:
    """The libsrtp profile name of an SRTP security policy (RFC 3830 6.10.1).

    No policy, or an unset parameter, means SRTP's default (6.10.1). Raises
    UnsupportedSrtpPolicy, naming every parameter no libsrtp profile can take.
    """
    if policy is None:
        return DEFAULT_PROFILE
    if policy.prot_type != ProtType.SRTP:
        raise UnsupportedSrtpPolicy(f"policy {policy.policy_no}: Prot type is not SRTP")
    tag_len, faults = 10, []
    for p in policy.params:
        value = int.from_bytes(p.value, "big") if p.value else None
        try:
            kind = SrtpParam(p.type)
        except ValueError:
            faults.append(f"unknown parameter type {p.type}")
            continue
        if kind == SrtpParam.AUTH_TAG_LEN and value in TAG_PROFILES:
            tag_len = value
        elif kind == SrtpParam.AUTH_TAG_LEN or value != LIBSRTP_VALUES[kind]:
            faults.append(f"{kind.name} = {p.value.hex() or 'empty'}")
    if faults:
        raise UnsupportedSrtpPolicy(
            f"policy {policy.policy_no}: no libsrtp profile takes " + ", ".join(faults)
        )
    return TAG_PROFILES[tag_len]


def srtp_keys_for(
    key_data: KeyData,
    csb_id: int,
    cs_id: int,
    rand: bytes,
    *,
    key_len: int = MASTER_KEY_LEN,
    salt_len: int = MASTER_SALT_LEN,
    profile: str = DEFAULT_PROFILE,
) -> SrtpKeys:
    """The SRTP master key and salt of crypto session `cs_id` (see the module doc).

    `key_data` is the crypto session's Key data (TGK or TEK, with or without
    salt); `key_len` and `salt_len` are the master key and salt lengths in
    bytes, used when they are derived from a TGK.
    """
    is_tgk = key_data.key_type in (KeyType.TGK, KeyType.TGK_SALT)
    if is_tgk:
        master_key = tgk_derive(key_data.key, TgkConstant.TEK, cs_id, csb_id, rand, key_len)
    else:
        master_key = key_data.key
    if key_data.salt is not None:
        master_salt = key_data.salt
    elif is_tgk:
        master_salt = tgk_derive(key_data.key, TgkConstant.SALT, cs_id, csb_id, rand, salt_len)
    else:
        master_salt = bytes(salt_len)
    return SrtpKeys(master_key, master_salt, profile)


def srtp_keys(
    key_data: KeyData, csb_id: int, cs_id: int, rand: bytes, policy: SecurityPolicy | None
) -> SrtpKeys:
    """`srtp_keys_for` with the lengths and profile of the crypto session's `policy`.

    Raises UnsupportedSrtpPolicy when no libsrtp profile takes the policy.
    """
    key_len, salt_len = master_lengths(policy)
    return srtp_keys_for(
        key_data,
        csb_id,
        cs_id,
        rand,
        key_len=key_len,
        salt_len=salt_len,
        profile=srtp_profile(policy),
    )


def libsrtp_session(keys: SrtpKeys, ssrc_type: int, ssrc_value: int = 0) -> pylibsrtp.Session:
    """A pylibsrtp session protecting (or unprotecting) with `keys`.

    `ssrc_type` is one of pylibsrtp's `Policy.SSRC_*` values, e.g.
    `SSRC_ANY_OUTBOUND` to protect and `SSRC_ANY_INBOUND` to unprotect.
    """
    try:
        import pylibsrtp
    except ImportError as exc:  # imported here: the codec and modes do without it
        raise ImportError(
            "libsrtp_session needs pylibsrtp, a dependency of mikey-conformance:"
            " pip install pylibsrtp"
        ) from exc
    profiles = {
        AES_CM_128_HMAC_SHA1_80: pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
        AES_CM_128_HMAC_SHA1_32: pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    }
    if keys.profile not in profiles:
        raise UnsupportedSrtpPolicy(f"libsrtp has no profile {keys.profile!r}")
    if len(keys.master_key) != MASTER_KEY_LEN or len(keys.master_salt) != MASTER_SALT_LEN:
        raise UnsupportedSrtpPolicy(
            f"{keys.profile} takes a {MASTER_KEY_LEN}-byte master key and a"
            f" {MASTER_SALT_LEN}-byte master salt, not {len(keys.master_key)}"
            f" and {len(keys.master_salt)}"
        )
    policy = pylibsrtp.Policy(
        key=keys.master_key + keys.master_salt,
        ssrc_type=ssrc_type,
        ssrc_value=ssrc_value,
        srtp_profile=profiles[keys.profile],
    )
    return pylibsrtp.Session(policy)
