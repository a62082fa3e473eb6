"""The two modes of the Diffie-Hellman family as the tests see them: the DH method
(RFC 3830 3.3, signed) and DH-HMAC (RFC 4650, MACed under a pre-shared key).

Both run the same exchange: I_MESSAGE = HDR, T, RAND, IDs, {SP}, DHi, then SIGNi or
KEMAC; R_MESSAGE = HDR, T, IDs, DHr, DHi, then SIGNr or KEMAC. A `DhFamily` holds what
differs for the tests (the mode's name, data types, spelling and reference parties) and
the steps every test of either mode takes: the SUT's I_MESSAGE and the reference's
answer (the SUT as initiator), the reference's I_MESSAGE and the SUT's R_MESSAGE (the
SUT as responder). conformance/dh_exchange_checks.py holds the checks both modes share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

import pytest

from conformance.checks import strict_decode
from conformance.evidence import Evidence
from conformance.reference import exchange_params, initiate, send_to_responder
from conformance.reference_dh import (
    ReferenceDhHmacInitiator,
    ReferenceDhHmacResponder,
    ReferenceDhInitiator,
    ReferenceDhResponder,
)
from conformance.vehicle import reference_took, t_not_refused, vehicle
from mikey.wire import DataType, DhGroup, Message
from suts.base import ExchangeParams, Profile, Sut

I = TypeVar("I", bound=ReferenceDhHmacInitiator)  # noqa: E741
R = TypeVar("R", bound=ReferenceDhHmacResponder)

PARAMS = frozenset(f.name for f in fields(ExchangeParams))
"""The names of the exchange parameters; any other change is to a reference's settings."""


@dataclass(frozen=True)
class DhFamily(Generic[I, R]):
    """One mode of the DH family, and the exchange steps its tests take."""

    mode: str
    i_name: str
    """How the mode's RFC writes its I_MESSAGE (RFC 3830) or I_message (RFC 4650)."""
    r_name: str
    i_type: DataType
    r_type: DataType
    data_types: str
    """Where the data types are defined: RFC 3830 6.1, RFC 4650 4.1."""
    answer_rule: str
    """Where the responder's answer is required."""
    initiator: Callable[..., I]
    """The reference initiator: (profile, params, clock_offset, **settings)."""
    responder: Callable[..., R]
    """The reference responder: (profile, **settings)."""

    # -- the SUT as initiator ------------------------------------------------------------

    def i_message(self, sut: Sut, evidence: Evidence, **changes: object) -> tuple[bytes, Message]:
        """The SUT's I_MESSAGE for the exchange `changes` asks for, strictly decoded."""
        data = initiate(sut, exchange_params(mode=self.mode, **changes), evidence)
        msg = strict_decode(data, f"the {self.i_name}")
        assert msg.hdr.data_type == self.i_type, (
            f"{self.i_name} of data type {msg.hdr.data_type.name}, not {self.i_type.name} "
            f"({self.data_types})"
        )
        return data, msg

    def answered(
        self, sut: Sut, profile: Profile, evidence: Evidence, **settings: object
    ) -> tuple[R, bytes]:
        """The reference responder (with `settings`) and its R_MESSAGE to the SUT's
        I_MESSAGE."""
        ref = self.responder(profile, **settings)
        with vehicle():
            data, _ = self.i_message(sut, evidence)
            reply = ref.take(data)
            reference_took(reply.outcome, f"the SUT's {self.i_name}")
        assert reply.message is not None
        return ref, reply.message

    def completed(self, sut: Sut, profile: Profile, evidence: Evidence) -> R:
        """The reference responder, whose valid R_MESSAGE the SUT took."""
        ref, answer = self.answered(sut, profile, evidence)
        with vehicle():
            outcome = sut.complete(evidence.to_sut(self.r_name, answer))
            assert outcome.accepted, f"the SUT rejects a valid {self.r_name}: {outcome.detail}"
        return ref

    # -- the SUT as responder ------------------------------------------------------------

    def reference(self, profile: Profile, clock_offset: float = 0.0, **changes: object) -> I:
        """The reference initiator: `changes` to the exchange parameters or its settings."""
        params = {k: v for k, v in changes.items() if k in PARAMS}
        settings = {k: v for k, v in changes.items() if k not in PARAMS}
        params_for = exchange_params(mode=self.mode, **params)
        return self.initiator(profile, params_for, clock_offset, **settings)

    def r_message(self, sut: Sut, ref: I, data: bytes, ev: Evidence) -> tuple[bytes, Message]:
        """The SUT's answer to a valid I_MESSAGE: the R_MESSAGE, which it always sends."""
        reply = send_to_responder(sut, ref, data, ev)
        with vehicle():  # refused for its current T: the window rule's, not this test's
            t_not_refused(reply)
        assert reply.message is not None, f"no {self.r_name} ({self.answer_rule}): {reply.detail}"
        msg = strict_decode(reply.message, f"the {self.r_name}")
        assert msg.hdr.data_type == self.r_type, (
            f"answer of data type {msg.hdr.data_type.name}, not {self.r_type.name} "
            f"({self.data_types}): {reply.detail}"
        )
        return reply.message, msg

    def exchanged(self, sut: Sut, profile: Profile, evidence: Evidence) -> tuple[I, Message]:
        """A whole exchange with the reference initiator: it and the SUT's R_MESSAGE,
        which it took."""
        ref = self.reference(profile)
        with vehicle():
            answer, msg = self.r_message(sut, ref, ref.i_message(), evidence)
            reference_took(ref.take_response(answer), f"the {self.r_name}")
        return ref, msg

    def established(self, sut: Sut, profile: Profile, evidence: Evidence) -> tuple[I, Message]:
        """A CSB the SUT set up with the reference initiator, to be updated; not
        applicable if the SUT does not implement updates."""
        if not sut.capabilities().updates:
            pytest.skip("not-applicable: the SUT does not implement CSB updates")
        return self.exchanged(sut, profile, evidence)


def groups(*oakley_5: pytest.MarkDecorator) -> list[Any]:
    """The DH groups of RFC 3830 Table 6.4 as test parameters, with the marks `oakley_5`
    on OAKLEY 5, the mandatory one (RFC 3830 4.2.7)."""
    return [
        pytest.param(DhGroup.OAKLEY_5, id="OAKLEY_5", marks=oakley_5),
        pytest.param(DhGroup.OAKLEY_1, id="OAKLEY_1"),
        pytest.param(DhGroup.OAKLEY_2, id="OAKLEY_2"),
    ]


DH_METHOD = DhFamily(
    mode="DH",
    i_name="I_MESSAGE",
    r_name="R_MESSAGE",
    i_type=DataType.DH_INIT,
    r_type=DataType.DH_RESP,
    data_types="RFC 3830 6.1",
    answer_rule="the response is MANDATORY, RFC 3830 6.1",
    initiator=ReferenceDhInitiator,
    responder=ReferenceDhResponder,
)
"""The DH method (RFC 3830 3.3)."""

DH_HMAC = DhFamily(
    mode="DH-HMAC",
    i_name="I_message",
    r_name="R_message",
    i_type=DataType.DHHMAC_INIT,
    r_type=DataType.DHHMAC_RESP,
    data_types="RFC 4650 4.1",
    answer_rule="RFC 4650 Figure 1",
    initiator=ReferenceDhHmacInitiator,
    responder=ReferenceDhHmacResponder,
)
"""DH-HMAC (RFC 4650)."""
