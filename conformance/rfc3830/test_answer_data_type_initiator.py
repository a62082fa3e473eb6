"""The verification message's data type, the SUT as initiator, in the modes whose answer
is a verification message (PSK, PK).

RFC 3830 6.1: the data type names the message (Table 6.1.a): a PSK verification message
is "Pre-shared key ver msg" (1), a PK one "Public-key ver msg" (3). An answer with the
right CSB ID and a valid MAC but another data type (the mode's own I_MESSAGE type, or
another mode's answer) is not the verification message: the SUT refuses it (found by
mutation testing, docs/mutation.md: an initiator that compared the type with `>`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from conformance.evidence import Evidence
from conformance.reference import ReferenceResponder, exchange_params, initiate
from conformance.reference_pk import PkReferenceResponder, pk_params
from mikey.wire import DataType, decode_message
from suts.base import ExchangeParams, Profile, Sut

pytestmark = [pytest.mark.role("initiator"), pytest.mark.requirement("RFC3830-6.1-data-type")]

MODES: dict[str, tuple[Any, ExchangeParams, tuple[DataType, ...]]] = {
    "PSK": (ReferenceResponder, exchange_params(), (DataType.PSK_INIT, DataType.PK_RESP)),
    "PK": (PkReferenceResponder, pk_params(), (DataType.PK_INIT, DataType.DH_RESP)),
}
"""Per mode: the reference responder, the exchange, and wrong data types on either side
of the right one."""


def cases() -> list[Any]:
    return [
        pytest.param(
            responder, params, wrong, id=f"{mode}-{wrong.name}", marks=pytest.mark.mode(mode)
        )
        for mode, (responder, params, wrongs) in MODES.items()
        for wrong in wrongs
    ]


@pytest.mark.parametrize(("responder", "params", "wrong"), cases())
def test_rejects_an_answer_of_another_data_type(
    sut: Sut, profile: Profile, evidence: Evidence, responder: Any, params: ExchangeParams,
    wrong: DataType,
) -> None:  # fmt: skip
    """The reference's verification message with another data type, MACed anew: refused."""
    ref = responder(profile)
    reply = ref.take(initiate(sut, params, evidence))
    assert reply.outcome.accepted, f"the reference responder rejects: {reply.outcome.reason}"
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    msg = decode_message(reply.message)
    forged = ref.peer.reseal_verification(replace(msg, hdr=replace(msg.hdr, data_type=wrong)))
    outcome = sut.complete(evidence.to_sut(f"verification message, data type {wrong.name}", forged))
    assert not outcome.accepted, f"the SUT took a verification message of type {wrong.name}"
