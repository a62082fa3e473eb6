"""What both sides of the pre-shared key method share (RFC 3830 3.1, 4.1.4, 5.2).

The verification MAC (5.2): "the Identity_i || Identity_r || Timestamp MUST
directly follow the MIKEY message in the Verification MAC calculation. Note
that the added identities and timestamp are identical to those transported in
the ID and T payloads." Our reading:

- Identity_x is the ID data field of the IDx payload (6.7), not the whole
  payload: RFC 6043 5.5 states the same rule with "the identities (not whole
  payloads)", and RFC 4738 3.6 writes it as "... || IDi || IDr || T".
- Timestamp is T as a 64-bit value (8 bytes): the NTP value, or a 32-bit
  COUNTER padded with leading zeros (mikey.ntp.ts_value_64). 4.2.8 defines
  the timestamp as "a 64-bit number", 4.2.3 computes with "T ... the 64-bit
  timestamp sent by the Initiator", and the 6.6 note pads a COUNTER to 64 bits
  where it is "used as input"; "identical to those transported" (5.2) is then
  the same value, not its 4-byte wire form. (Minisip's libmikey, an early
  implementation, likewise always appends T as 8 bytes.) The caller passes T
  through `TimestampInput.timestamp_input` (mikey.modes.base).
- IDi comes from the I_MESSAGE (the R_MESSAGE carries no IDi). IDr comes
  from the R_MESSAGE when it carries one, else from the I_MESSAGE. An identity
  that no payload of the exchange carries adds nothing (zero bytes): both
  sides can only agree on bytes that were sent.
- Which ID payload is which: I_MESSAGE = HDR, T, RAND, [IDi], [IDr], ... (3.1),
  so of the I_MESSAGE's ID payloads the first is IDi and the second IDr; the
  R_MESSAGE's (HDR, T, [IDr], V) is IDr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mikey.crypto import KemacKeys
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    EncrAlg,
    Id,
    KeyData,
    KeyType,
    KeyValidity,
    KvNull,
    MacAlg,
    Message,
    SecurityPolicy,
    SrtpIdEntry,
    TsType,
    encode_key_data,
)

SALTED = frozenset({KeyType.TGK_SALT, KeyType.TEK_SALT})
TGK_TYPES = frozenset({KeyType.TGK, KeyType.TGK_SALT})


@dataclass(frozen=True)
class PskSettings:
    """One party's configuration for the pre-shared key method.

    `id_i` / `id_r` are the initiator's and responder's identities: sent in
    the ID payloads when set (3.1: they "SHOULD be included"), and checked
    against what a peer sends. `key_type` TGK (16 bytes, the base case of 3.1)
    derives the SRTP salt from the TGK (4.1.3); TGK_SALT also carries a
    `salt_len`-byte salt that SRTP then uses (4.1.3: "SHALL use the salt key
    carried in the Key data sub-payload ... when present"). `key_per_cs` sends
    one Key data per crypto session instead of one for the whole CSB.
    `accepted_encr` / `accepted_mac` are what a responder takes.

    AES-KW-128 wraps whole 64-bit blocks (RFC 3394 2) and RFC 3830 defines no
    padding, so the Key data chain must be a multiple of 8 bytes. `tgk_len`
    None means 16 bytes, except that under AES-KW-128 a TGK is lengthened to
    the first length that fills whole blocks (20 for a lone TGK; the TGK is
    any-length PRF input, 4.1.3). A TEK is the SRTP master key and keeps its
    length: lengths that do not fill whole blocks are refused.
    """

    psk: bytes
    id_i: Id | None = None
    id_r: Id | None = None
    encr_alg: EncrAlg = EncrAlg.AES_CM_128
    mac_alg: MacAlg = MacAlg.HMAC_SHA_1_160
    v: bool = True
    policies: tuple[SecurityPolicy, ...] = (DEFAULT_SRTP_POLICY,)
    cs_map: tuple[SrtpIdEntry, ...] = (SrtpIdEntry(policy_no=0, ssrc=0, roc=0),)
    key_type: KeyType = KeyType.TGK
    tgk_len: int | None = None
    salt_len: int = 14
    kv: KeyValidity = field(default_factory=KvNull)
    rand_len: int = 16
    ts_type: TsType = TsType.NTP_UTC
    key_per_cs: bool = False
    accepted_encr: frozenset[EncrAlg] = frozenset(EncrAlg)
    accepted_mac: frozenset[MacAlg] = frozenset(MacAlg)

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", tuple(self.policies))
        object.__setattr__(self, "cs_map", tuple(self.cs_map))
        if not self.psk:
            raise ValueError("the pre-shared key is empty")
        if self.mac_alg == MacAlg.NULL and self.encr_alg != EncrAlg.NULL:
            raise ValueError("the NULL MAC goes only with NULL encryption (RFC 3830 4.2.4)")
        if not 16 <= self.rand_len <= 255:
            raise ValueError("RAND is at least 128 bits (4.1.1, 6.11) and at most 255 bytes")
        if self.key_per_cs and not self.cs_map:
            raise ValueError("key_per_cs needs crypto sessions in cs_map")
        if self.encr_alg == EncrAlg.AES_KW_128 and self._chain_len(self.key_len) % 8:
            raise ValueError(
                f"AES-KW-128 wraps whole 64-bit blocks (RFC 3394): a Key data chain of "
                f"{self._chain_len(self.key_len)} bytes cannot be wrapped; change tgk_len"
            )

    @property
    def key_len(self) -> int:
        """The TGK/TEK length in bytes (see the class docstring)."""
        if self.tgk_len is not None:
            return self.tgk_len
        if self.encr_alg != EncrAlg.AES_KW_128 or self.key_type not in TGK_TYPES:
            return 16
        return next(n for n in range(16, 24) if self._chain_len(n) % 8 == 0)

    def _chain_len(self, key_len: int) -> int:
        return len(encode_key_data(self._key_data(key_len, bytes)))

    def new_key_data(self, random: Callable[[int], bytes]) -> tuple[KeyData, ...]:
        """Fresh TGKs/TEKs "randomly and independently chosen by the Initiator" (3.1)."""
        return self._key_data(self.key_len, random)

    def _key_data(self, key_len: int, random: Callable[[int], bytes]) -> tuple[KeyData, ...]:
        count = len(self.cs_map) if self.key_per_cs else 1
        salted = self.key_type in SALTED
        return tuple(
            KeyData(
                self.key_type, random(key_len), random(self.salt_len) if salted else None, self.kv
            )
            for _ in range(count)
        )


def message_keys(
    psk: bytes, csb_id: int, rand: bytes, encr_alg: EncrAlg, mac_alg: MacAlg
) -> KemacKeys:
    """encr_key, auth_key and salt_key of a PSK message (4.1.4: inkey = the PSK)."""
    return KemacKeys.derive(psk, csb_id, rand, encr_alg, mac_alg)


def identities(i_message: Message, r_message: Message | None = None) -> tuple[Id | None, Id | None]:
    """(IDi, IDr) of an exchange, read as the module docstring says."""
    sent = i_message.all(Id)
    id_i = sent[0] if sent else None
    id_r = sent[1] if len(sent) > 1 else None
    answered = r_message.first(Id) if r_message is not None else None
    return id_i, answered if answered is not None else id_r


def verification_trailer(id_i: Id | None, id_r: Id | None, t_64: int) -> bytes:
    """Identity_i || Identity_r || Timestamp, appended to the verification MAC input (5.2);
    `t_64` is T as its 64-bit number (module docstring)."""
    return b"".join(
        (
            id_i.data if id_i is not None else b"",
            id_r.data if id_r is not None else b"",
            t_64.to_bytes(8, "big"),
        )
    )
