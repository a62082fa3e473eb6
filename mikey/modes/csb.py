"""The Crypto Session Bundle state both parties keep (RFC 3830 1.3, 4.4, 4.5, 6.1.1).

A CSB holds what the exchange established: the CSB ID, the RAND of the initial
exchange (4.1.3 derives every TEK from it; updates carry none, 4.5), the
crypto sessions of the CS ID map, the security policies, and the Key data
(TGKs or TEKs, with salt and key validity).

Crypto session IDs are 1..#CS: "The stream using SSRC_i will also have Crypto
Session ID equal to no i" (6.1.1). Key data maps to crypto sessions as:
one Key data serves every crypto session; #CS Key data serve one crypto
session each, in order. RFC 3830 states no rule beyond that; any other count
cannot be mapped (`keys_fit`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mikey.srtp import SrtpKeys, srtp_keys
from mikey.wire.payloads import CommonHeader, KeyData, SecurityPolicy, SrtpIdEntry
from mikey.wire.registry import CsIdMapType


def keys_fit(n_keys: int, n_cs: int) -> bool:
    """Whether `n_keys` Key data can be mapped to `n_cs` crypto sessions (see module doc)."""
    return n_keys == 1 or n_keys == n_cs or n_cs == 0


@dataclass(frozen=True)
class Csb:
    """One established CSB, immutable: an update (4.5) makes a new value."""

    csb_id: int
    rand: bytes
    key_data: tuple[KeyData, ...]
    cs_map: tuple[SrtpIdEntry, ...] = ()
    cs_count: int = 0
    cs_id_map_type: CsIdMapType = CsIdMapType.SRTP_ID
    policies: tuple[SecurityPolicy, ...] = ()

    @classmethod
    def initial(
        cls,
        hdr: CommonHeader,
        rand: bytes,
        key_data: tuple[KeyData, ...],
        policies: tuple[SecurityPolicy, ...],
    ) -> Csb:
        """The CSB an initial exchange establishes (3.1)."""
        return cls(
            csb_id=hdr.csb_id,
            rand=rand,
            key_data=key_data,
            cs_map=hdr.cs_map,
            cs_count=hdr.n_cs,
            cs_id_map_type=hdr.cs_id_map_type,
            policies=policies,
        )

    def updated(
        self,
        hdr: CommonHeader,
        key_data: tuple[KeyData, ...],
        policies: tuple[SecurityPolicy, ...],
    ) -> Csb:
        """The CSB after an update message (4.5).

        The RAND stays (it "will only have effect in the Initial exchange").
        A non-empty CS ID map replaces the old one (new crypto sessions are
        added in the update); #CS 0 keeps it. New Key data replace the old;
        none keeps them ("the crypto session continues to use the previously
        established keying material"). A policy replaces the one of its number.
        """
        by_no = {p.policy_no: p for p in self.policies}
        by_no.update((p.policy_no, p) for p in policies)
        changes_map = hdr.n_cs > 0
        return replace(
            self,
            key_data=key_data or self.key_data,
            cs_map=hdr.cs_map if changes_map else self.cs_map,
            cs_count=hdr.n_cs if changes_map else self.cs_count,
            cs_id_map_type=hdr.cs_id_map_type if changes_map else self.cs_id_map_type,
            policies=tuple(by_no.values()),
        )

    def cs_ids(self) -> tuple[int, ...]:
        """The crypto session IDs of the bundle: 1..#CS (6.1.1)."""
        return tuple(range(1, self.cs_count + 1))

    def key_for(self, cs_id: int) -> KeyData:
        """The Key data (TGK or TEK) of crypto session `cs_id`."""
        if cs_id not in self.cs_ids():
            raise KeyError(f"CSB {self.csb_id:#010x} has no crypto session {cs_id}")
        if len(self.key_data) == 1:
            return self.key_data[0]
        if len(self.key_data) == self.cs_count:
            return self.key_data[cs_id - 1]
        raise KeyError(f"{len(self.key_data)} Key data cannot serve {self.cs_count} sessions")

    def policy_for(self, cs_id: int) -> SecurityPolicy | None:
        """The security policy of crypto session `cs_id` (its Policy_no, 6.1.1), if sent."""
        if not self.cs_map or cs_id not in self.cs_ids():
            return None
        number = self.cs_map[cs_id - 1].policy_no
        return next((p for p in self.policies if p.policy_no == number), None)

    def srtp_keys(self, cs_id: int) -> SrtpKeys:
        """The SRTP master key, salt and profile of crypto session `cs_id` (4.1.3, App. A)."""
        return srtp_keys(self.key_for(cs_id), self.csb_id, cs_id, self.rand, self.policy_for(cs_id))
