"""The verification message's MAC algorithm, found by mutation testing (docs/mutation.md):
killed by conformance/rfc3830/test_verification_alg_initiator.py.

- A PSK initiator that verifies V with whatever algorithm V names, without comparing it
  with its KEMAC's (cosmic-ray's `or` -> `and` in PskInitiator.verify_v): a NULL V
  "verifies", so anyone can answer its I_MESSAGE (RFC 3830 5.2).
- One that compares the first V's algorithm, and verifies the last V (cosmic-ray's
  `v[-1]` -> `v[0]`): a NULL V after a V of the right algorithm passes.
"""

from __future__ import annotations

from mikey.crypto import KemacKeys
from mikey.modes.base import Rejection
from mikey.modes.psk_common import identities, verification_trailer
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.sealing import verify
from mikey.wire import ErrorNo, Kemac, Message, Timestamp, Verification
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.psk_mutants import with_initiator


class _TakesVsOwnAlg(PskInitiator):
    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        t = msg.first(Timestamp)
        trailer = (
            verification_trailer(*identities(sent, msg), self.timestamp_input(t)) if t else b""
        )
        if not verify(data, msg, keys.auth_key, trailer):
            raise Rejection(ErrorNo.AUTH_FAILURE, "V does not verify")


class _ComparesTheFirstV(_TakesVsOwnAlg):
    def verify_v(self, data: bytes, msg: Message, sent: Message, keys: KemacKeys) -> None:
        kemac = sent.first(Kemac)
        first = msg.first(Verification)
        if first is None or kemac is None or first.auth_alg != kemac.mac_alg:
            raise Rejection(ErrorNo.AUTH_FAILURE, "no V with the KEMAC's MAC alg")
        super().verify_v(data, msg, sent, keys)


@mutant("RFC3830-5.2-verification-mac", "verifies V with the algorithm V names, even NULL")
def psk_initiator_takes_a_null_v(profile: Profile) -> Sut:
    return with_initiator(profile, _TakesVsOwnAlg)


@mutant("RFC3830-5.2-verification-mac", "compares the first V's algorithm, verifies the last V")
def psk_initiator_compares_the_first_v(profile: Profile) -> Sut:
    return with_initiator(profile, _ComparesTheFirstV)
