"""PSK ID fields left out, found by mutation testing (docs/mutation.md): killed by
conformance/rfc3830/test_psk_id_fields.py (RFC 3830 3.1: "The ID fields SHOULD be
included").

- An initiator that sends no ID payload (cosmic-ray's AddNot on `if s.id_i`).
- A responder whose verification message has no IDr (`is not None` -> `is None`).
"""

from __future__ import annotations

from dataclasses import replace

from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.wire import Id, Message
from suts.base import Profile, Sut
from tests.mutants.bank import mutant
from tests.mutants.psk_mutants import with_initiator, with_responder


def without_ids(msg: Message) -> Message:
    return replace(msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Id)))


class _NoIds(PskInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        return without_ids(super().compose(csb_id))


class _NoIdr(PskResponder):
    def compose_response(self, i_message: Message) -> Message:
        return without_ids(super().compose_response(i_message))


@mutant("RFC3830-3.1-id-fields", "sends its I_MESSAGE without ID payloads")
def psk_initiator_sends_no_ids(profile: Profile) -> Sut:
    return with_initiator(profile, _NoIds)


@mutant("RFC3830-3.1-id-fields", "sends its verification message without IDr")
def psk_responder_sends_no_idr(profile: Profile) -> Sut:
    return with_responder(profile, _NoIdr)
