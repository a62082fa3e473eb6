"""Benchmarks of one whole exchange of the Diffie-Hellman modes, per OAKLEY group
(pytest-benchmark; never timed assertions).

Run: python -m pytest benchmarks/bench_dh_modes.py --benchmark-only -p no:mikeyconf
One round is one exchange: the initiator builds the I_message (a fresh xi and
g^xi), the responder checks it, draws xr and answers, the initiator checks the
R_message and computes g^(xi*xr): the median is the figure to quote.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.modes.base import Environment
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.wire import DhGroup, Id, IdType

SETTINGS = DhHmacSettings(
    psk=bytes(range(16)),
    id_i=Id(IdType.URI, b"sip:alice@mikey.test"),
    id_r=Id(IdType.URI, b"sip:bob@mikey.test"),
)


@pytest.mark.parametrize("group", list(DhGroup), ids=lambda g: g.name)
def test_whole_dhhmac_exchange(benchmark, group: DhGroup) -> None:  # type: ignore[no-untyped-def]
    """RFC 4650: DH in `group`, HMAC-SHA-1 with auth_key from the pre-shared key."""
    settings = replace(SETTINGS, group=group)
    responder = DhHmacResponder(settings, Environment())

    def exchange() -> bool:
        initiator = DhHmacInitiator(settings, Environment())
        reply = responder.receive(initiator.start())
        assert reply.message is not None
        return initiator.receive(reply.message).accepted

    assert benchmark(exchange)
