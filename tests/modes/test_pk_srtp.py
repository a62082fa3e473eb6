"""PK mode keys pass the libsrtp hand-off: what a PK exchange establishes protects SRTP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.wire import KeyType
from tests.modes.pk_pairs import make_pk_pair
from tests.srtp.helpers import round_trip


@pytest.mark.parametrize("key_type", [KeyType.TGK, KeyType.TGK_SALT], ids=lambda k: k.name)
def test_initiator_and_responder_keys_interoperate_in_libsrtp(key_type: KeyType) -> None:
    pair = make_pk_pair(transport={"key_type": key_type})
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.message is not None and pair.initiator.receive(reply.message).accepted
    csb_i, csb_r = pair.initiator.csb, pair.responder.last_csb
    assert csb_i is not None and csb_r is not None
    sender, receiver = csb_i.srtp_keys(1), csb_r.srtp_keys(1)
    assert round_trip(sender, receiver).ok
    assert round_trip(receiver, sender).ok
    wrong = bytearray(receiver.master_key)
    wrong[0] ^= 0x80
    broken = round_trip(sender, replace(receiver, master_key=bytes(wrong)))
    assert not broken.ok and broken.error is not None
