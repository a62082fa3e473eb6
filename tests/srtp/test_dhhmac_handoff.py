"""DH-HMAC's keys (TGK = g^(xi*xr), RFC 4650 3; TEKs by RFC 3830 4.1.3) really key libsrtp."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.srtp import SrtpKeys
from mikey.wire import DhGroup
from tests.modes.pairs import ALICE, BOB, PSK, Clock, environment
from tests.srtp.helpers import round_trip


def exchange(group: DhGroup) -> tuple[SrtpKeys, SrtpKeys]:
    """One whole DH-HMAC exchange; the SRTP keys of crypto session 1 on each side."""
    clock = Clock()
    settings = DhHmacSettings(psk=PSK, id_i=ALICE, id_r=BOB, group=group)
    initiator = DhHmacInitiator(settings, environment(clock, 11))
    responder = DhHmacResponder(settings, environment(clock, 12))
    reply = responder.receive(initiator.start())
    assert reply.message is not None, reply.outcome.reason
    assert initiator.receive(reply.message).accepted
    assert initiator.csb is not None and responder.last_csb is not None
    return initiator.csb.srtp_keys(1), responder.last_csb.srtp_keys(1)


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_srtp_flows_both_ways_under_the_agreed_keys(group: DhGroup) -> None:
    ours, theirs = exchange(group)
    assert round_trip(ours, theirs).ok
    assert round_trip(theirs, ours).ok


def test_one_wrong_master_key_bit_fails_unprotect() -> None:
    ours, theirs = exchange(DhGroup.OAKLEY_5)
    key = bytearray(theirs.master_key)
    key[0] ^= 0x80
    trip = round_trip(ours, replace(theirs, master_key=bytes(key)))
    assert not trip.ok and trip.error is not None
