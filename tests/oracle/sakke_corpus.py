"""MIKEY-SAKKE I_MESSAGEs (RFC 6509) for the Wireshark oracle: real, signed messages of the
reference initiator, with and without the IDR payloads (IDRi, IDRr, IDRkmsi, IDRkmsr).

The clock and the randomness are fixed, so the messages are the same on every run.
"""

from __future__ import annotations

import functools
import hashlib

from mikey.modes.base import Environment
from mikey.modes.sakke_common import SakkeSettings
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_kms import SakkeCommunity

CLOCK = 1_795_000_000.0  # 2026-11-18 UTC: key period 2026-11


def _random() -> Environment:
    counter = iter(range(1 << 30))
    return Environment(
        clock=lambda: CLOCK,
        random=lambda n: hashlib.shake_256(next(counter).to_bytes(4, "big")).digest(n),
    )


@functools.cache
def sakke_corpus() -> dict[str, bytes]:
    """Named MIKEY-SAKKE I_MESSAGEs: every IDR role of RFC 6509 2.2.1, or none."""
    community = SakkeCommunity()
    variants = {"sakke-i-message-all-idr": (True, True), "sakke-i-message-no-idr": (False, False)}
    return {
        name: SakkeInitiator(
            SakkeSettings(
                community.kms,
                community.uri_initiator,
                community.uri_responder,
                include_idr=idr,
                include_kms_idr=kms,
            ),
            _random(),
        ).start()
        for name, (idr, kms) in variants.items()
    }
