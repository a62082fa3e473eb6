"""The Diffie-Hellman modes' keys really key libsrtp: TGK = g^(xi*xr) (RFC 4650 3,
RFC 3830 3.3), TEKs by RFC 3830 4.1.3, for DH-HMAC and the DH method in every group."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.dh import DhInitiator, DhResponder
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.srtp import SrtpKeys
from mikey.wire import DhGroup
from suts.base import ExchangeParams, Profile, Role
from suts.builtin import dh_settings_for
from tests.modes.pairs import ALICE, BOB, PSK, Clock, environment
from tests.srtp.helpers import round_trip


def exchange(mode: str, group: DhGroup) -> tuple[SrtpKeys, SrtpKeys]:
    """One whole exchange; the SRTP keys of crypto session 1 on each side."""
    env_i, env_r = environment(Clock(), 11), environment(Clock(), 12)
    if mode == "DH-HMAC":
        settings = DhHmacSettings(psk=PSK, id_i=ALICE, id_r=BOB, group=group)
        initiator: DhHmacInitiator = DhHmacInitiator(settings, env_i)
        responder: DhHmacResponder = DhHmacResponder(settings, env_r)
    else:
        params = ExchangeParams(mode="DH", dh_group=group)
        initiator = DhInitiator(dh_settings_for(Profile(), params, Role.INITIATOR))
        responder = DhResponder(dh_settings_for(Profile(), params, Role.RESPONDER))
    reply = responder.receive(initiator.start())
    assert reply.message is not None, reply.outcome.reason
    assert initiator.receive(reply.message).accepted
    assert initiator.csb is not None and responder.last_csb is not None
    return initiator.csb.srtp_keys(1), responder.last_csb.srtp_keys(1)


@pytest.mark.parametrize("mode", ["DH-HMAC", "DH"])
@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_srtp_flows_both_ways_under_the_agreed_keys(mode: str, group: DhGroup) -> None:
    ours, theirs = exchange(mode, group)
    assert round_trip(ours, theirs).ok
    assert round_trip(theirs, ours).ok


@pytest.mark.parametrize("mode", ["DH-HMAC", "DH"])
def test_one_wrong_master_key_bit_fails_unprotect(mode: str) -> None:
    ours, theirs = exchange(mode, DhGroup.OAKLEY_5)
    key = bytearray(theirs.master_key)
    key[0] ^= 0x80
    trip = round_trip(ours, replace(theirs, master_key=bytes(key)))
    assert not trip.ok and trip.error is not None
