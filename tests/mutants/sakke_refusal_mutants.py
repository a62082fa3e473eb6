"""MIKEY-SAKKE responders that take IDR payloads they must refuse
(conformance/rfc6509/test_sakke_refusals.py)."""

from __future__ import annotations

from dataclasses import replace

from mikey.modes.sakke_responder import SakkeResponder
from mikey.wire import Idr, Message
from tests.mutants.timing_mutants import register


class _TakesRepeatedIdr(SakkeResponder):
    """Reads each ID Role once: a repeated IDR payload is dropped, not refused."""

    def identifiers(self, msg: Message) -> tuple[bytes, bytes]:
        seen: set[int] = set()
        kept = []
        for p in msg.payloads:
            if isinstance(p, Idr):
                if p.id_role in seen:
                    continue
                seen.add(p.id_role)
            kept.append(p)
        return super().identifiers(replace(msg, payloads=tuple(kept)))


register("SAKKE", "responder_takes_two_idr_of_one_role", _TakesRepeatedIdr,
         "RFC6509-2.2.1-idr-roles", "takes an I_MESSAGE with two IDRr payloads")  # fmt: skip
