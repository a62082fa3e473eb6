"""Benchmarks of one whole exchange of the Diffie-Hellman modes, per OAKLEY group
(pytest-benchmark; never timed assertions).

Run: python -m pytest benchmarks/bench_dh_modes.py --benchmark-only -p no:mikeyconf
One round is one exchange: the initiator builds the I_message (a fresh xi and
g^xi), the responder checks it, draws xr and answers, the initiator checks the
answer and computes g^(xi*xr). DH-HMAC (RFC 4650) MACs both messages with
HMAC-SHA-1; the DH method (RFC 3830 3.3) signs both with RSA PKCS#1 v1.5
(2048-bit keys of the test PKI) and checks the peer's certificate chain. The
median is the figure to quote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from mikey.modes.base import Environment
from mikey.modes.dh import DhInitiator, DhResponder
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.wire import DhGroup, Id, IdType
from suts.base import ExchangeParams, Profile, Role
from suts.builtin import dh_settings_for

SETTINGS = DhHmacSettings(
    psk=bytes(range(16)),
    id_i=Id(IdType.URI, b"sip:alice@mikey.test"),
    id_r=Id(IdType.URI, b"sip:bob@mikey.test"),
)
GROUPS = pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)


def whole_exchange(
    initiator: Callable[[], DhHmacInitiator], responder: DhHmacResponder
) -> Callable[[], bool]:
    def exchange() -> bool:
        party = initiator()
        reply = responder.receive(party.start())
        assert reply.message is not None, reply.outcome.reason
        return party.receive(reply.message).accepted

    return exchange


@GROUPS
def test_whole_dhhmac_exchange(benchmark, group: DhGroup) -> None:  # type: ignore[no-untyped-def]
    """RFC 4650: DH in `group`, HMAC-SHA-1 with auth_key from the pre-shared key."""
    settings = replace(SETTINGS, group=group)
    responder = DhHmacResponder(settings, Environment())
    assert benchmark(whole_exchange(lambda: DhHmacInitiator(settings, Environment()), responder))


@GROUPS
def test_whole_dh_exchange(benchmark, group: DhGroup) -> None:  # type: ignore[no-untyped-def]
    """RFC 3830 3.3: DH in `group`, SIGN with RSA PKCS#1 v1.5, CERT chains checked."""
    params = ExchangeParams(mode="DH", dh_group=group)
    mine = dh_settings_for(Profile(), params, Role.INITIATOR)
    responder = DhResponder(dh_settings_for(Profile(), params, Role.RESPONDER), Environment())
    assert benchmark(whole_exchange(lambda: DhInitiator(mine, Environment()), responder))
