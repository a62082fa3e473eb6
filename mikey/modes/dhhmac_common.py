"""What both sides of HMAC-authenticated Diffie-Hellman share (RFC 4650).

    I_message = HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC             (RFC 4650 3)
    R_message = HDR, T, [IDr], IDi, DHr, DHi, KEMAC
    update:     HDR, T, [IDi], IDr, {SP}, [DHi], KEMAC  /  HDR, T, [IDr], IDi, [DHr, DHi], KEMAC

Readings where RFC 4650 leaves room or contradicts RFC 3830:

- Keys: auth_key is derived from the pre-shared secret s (RFC 4650 1.1) as in
  RFC 3830 4.1.4 (inkey = s, with the I_message's CSB ID and RAND; an update
  uses the CSB's RAND, 4.5). Both messages are MACed with it.
- KEMAC (RFC 4650 4.2): it carries only the MAC; "Encr alg SHALL be set to 2
  (NULL)" names NULL, which is 0 in RFC 3830 Table 6.2.a (2 is AES-KW, which
  the same paragraph forbids), and RFC 4650 7 defines no name space of its own:
  we send and require NULL = 0 with an empty Encr data. Table 4.2.a likewise
  swaps the MAC alg numbers; we use RFC 3830 Table 6.2.b (HMAC-SHA-1 = 1).
- The MAC covers the whole message but the MAC field (RFC 4650 3, 4.2; RFC 3830
  5.2); no identities or timestamp are appended (that is for V payloads only).
- ID payloads by position: the I_message's IDr is mandatory and IDi optional,
  so one ID is IDr and two are IDi, IDr; the R_message's IDi is mandatory and
  IDr optional, so one ID is IDi and two are IDr, IDi.
- T: the responder "does not create a new timestamp, but uses the timestamp
  used by the Initiator" (RFC 3830 5.2).
- The TGK is g^(xi*xr) (RFC 4650 3), as mikey.crypto.dh encodes it; TEKs come
  from it by RFC 3830 4.1.3 with the I_message's RAND.
- The V flag: RFC 4650 always answers (Figure 1); the responder ignores V, as
  RFC 3830 6.1 says for the DH method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mikey.modes.psk_common import PskSettings
from mikey.wire import DhGroup, EncrAlg, Id, KeyData, KeyType, Message

TGK_FROM_DH = KeyType.TGK
"""The DH secret is a TGK (RFC 4650 3, RFC 3830 3.3); no salt travels."""


@dataclass(frozen=True)
class DhHmacSettings(PskSettings):
    """One party's configuration for DH-HMAC: PskSettings (psk = s, identities, MAC
    alg, policies, CS map, RAND and T) plus the DH group the initiator chooses and the
    groups a party takes. `send_id_i` False leaves IDi out of the I_message ("IDi MAY
    optionally be omitted", RFC 4650 3); IDr always goes ("The initiator SHALL always
    include the recipient's identity"), so `id_r` is required. A responder also needs
    `id_i`: its R_message "SHALL always include the initiator's identity IDi".
    The Key data fields of PskSettings are unused: DH-HMAC carries no Key data.
    """

    encr_alg: EncrAlg = EncrAlg.NULL
    accepted_encr: frozenset[EncrAlg] = frozenset({EncrAlg.NULL})
    group: DhGroup = DhGroup.OAKLEY_5
    accepted_groups: frozenset[DhGroup] = frozenset(DhGroup)
    send_id_i: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.encr_alg != EncrAlg.NULL:
            raise ValueError("DH-HMAC's KEMAC conveys no encrypted data (RFC 4650 4.2)")
        if self.id_r is None:
            raise ValueError("DH-HMAC always carries the responder's identity IDr (RFC 4650 3)")
        if self.group not in self.accepted_groups:
            raise ValueError(f"group {self.group.name} is not among the accepted groups")

    def new_key_data(self, random: Any) -> tuple[KeyData, ...]:
        """None: the TGK is agreed, never sent (RFC 4650 5.2)."""
        return ()


def i_message_identities(msg: Message) -> tuple[Id | None, Id | None]:
    """(IDi, IDr) of an I_message: one ID is IDr, two are IDi, IDr (module docstring)."""
    ids = msg.all(Id)
    if len(ids) >= 2:
        return ids[0], ids[1]
    return None, ids[0] if ids else None


def r_message_identities(msg: Message) -> tuple[Id | None, Id | None]:
    """(IDi, IDr) of an R_message: one ID is IDi, two are IDr, IDi (module docstring)."""
    ids = msg.all(Id)
    if len(ids) >= 2:
        return ids[1], ids[0]
    return ids[0] if ids else None, None


def tgk_key_data(tgk: bytes) -> tuple[KeyData, ...]:
    """The CSB's Key data for a DH secret: one TGK for every crypto session (4.1.3)."""
    return (KeyData(TGK_FROM_DH, tgk),)
