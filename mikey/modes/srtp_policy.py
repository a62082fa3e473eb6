"""SRTP security policies: the reference's defaults and what it supports (RFC 3830 6.10.1).

"If a Type/Value is not set, the default is used (according to SRTP's own
criteria)" (6.10.1): the defaults below are RFC 3711's (8.2: AES-CM with a
128-bit key, HMAC-SHA1 with an 80-bit tag, 112-bit salt). "If 'Session Encr.
key length' is set, this should also be seen as the Master key length" (6.10.1).

What the reference supports is what libsrtp's profiles take (`mikey.srtp.
srtp_profile`): a responder answers any other policy with "Invalid SPpar"
(Table 6.12) and its own policies (5.1.1, 5.1.2).
"""

from __future__ import annotations

from mikey.wire.payloads import PolicyParam, SecurityPolicy
from mikey.wire.registry import ProtType, SrtpAuthAlg, SrtpEncrAlg, SrtpParam, SrtpPrf

MASTER_KEY_LEN = 16  # RFC 3711 8.2: 128-bit master key
MASTER_SALT_LEN = 14  # RFC 3711 8.2: 112-bit master salt


def _param(kind: SrtpParam, value: int) -> PolicyParam:
    return PolicyParam(kind, bytes([value]))


DEFAULT_SRTP_POLICY = SecurityPolicy(
    policy_no=0,
    prot_type=ProtType.SRTP,
    params=(
        _param(SrtpParam.ENCR_ALG, SrtpEncrAlg.AES_CM),
        _param(SrtpParam.SESSION_ENCR_KEY_LEN, 16),
        _param(SrtpParam.AUTH_ALG, SrtpAuthAlg.HMAC_SHA_1),
        _param(SrtpParam.SESSION_AUTH_KEY_LEN, 20),
        _param(SrtpParam.SESSION_SALT_KEY_LEN, 14),
        _param(SrtpParam.SRTP_PRF, SrtpPrf.AES_CM),
        _param(SrtpParam.SRTP_ENCRYPTION, 1),
        _param(SrtpParam.SRTCP_ENCRYPTION, 1),
        _param(SrtpParam.SRTP_AUTHENTICATION, 1),
        _param(SrtpParam.AUTH_TAG_LEN, 10),
    ),
)
"""One SRTP policy with RFC 3711's default transforms, spelled out."""


def master_lengths(policy: SecurityPolicy | None) -> tuple[int, int]:
    """SRTP master key and master salt lengths in bytes under `policy` (6.10.1 note)."""
    key_len, salt_len = MASTER_KEY_LEN, MASTER_SALT_LEN
    for p in policy.params if policy is not None else ():
        if p.type == SrtpParam.SESSION_ENCR_KEY_LEN and len(p.value) == 1:
            key_len = p.value[0]
        elif p.type == SrtpParam.SESSION_SALT_KEY_LEN and len(p.value) == 1:
            salt_len = p.value[0]
    return key_len, salt_len
