"""An unsupported parameter gets its own Table 6.12 number, in every mode with a Responder
that answers with Error messages.

RFC 3830 5.1.2 and 6.12: a message the Responder cannot take because of an unsupported
data type (6.1, Table 6.1.a), PRF (Table 6.1.c) or KEMAC Encr alg (6.2, Table 6.2.a) is
rejected, and the Error message, if one is sent, names Invalid DT, Invalid PRF or
Invalid EA; RFC 4650 4.1 (DH-HMAC) and RFC 4738 3.1 (RSA-R) keep RFC 3830's HDR and
KEMAC. The reference initiator changes one byte of its I_MESSAGE and MACs or signs the
result anew (conformance.reference.FIELD_CORRUPTIONS), so the value is the only fault.

A `ParameterMode` is one mode: its reference initiator facing a SUT responder and the
faults that apply (Encr alg only where the I_MESSAGE has a KEMAC: not DH, RFC 3830 3.3,
nor RSA-R, RFC 4738 3.1). MIKEY-SAKKE is not here yet (its reference cannot sign a
byte-level forgery); conformance/requirements/parity.json lists it as a gap.
conformance/rfc3830/test_parameters_responder.py holds the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from conformance.checks import expect_rejection
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.reference import (
    FIELD_CORRUPTIONS,
    ReferenceInitiator,
    exchange_params,
    send_to_responder,
)
from conformance.reference_pk import PkReferenceInitiator
from conformance.reference_rsar import RsaRReferenceInitiator
from mikey.wire import ErrorNo
from suts.base import Profile, Sut

FAULTS = {
    "data-type": ErrorNo.INVALID_DT,
    "prf-func": ErrorNo.INVALID_PRF,
    "encr-alg": ErrorNo.INVALID_EA,
}
"""The corrupted field and the number its Error message names (RFC 3830 Table 6.12)."""
RULES = ("RFC3830-6.12-error-numbers", "RFC3830-5.1.2-error-message-form")


@dataclass(frozen=True)
class ParameterMode:
    """One mode, as the unsupported parameter check drives it."""

    mode: str
    reference: Callable[[Profile, Sut], Any]
    """The reference initiator facing the SUT: it has `forge_bytes` and `csb_id`."""
    faults: tuple[str, ...]
    """The FAULTS that apply: Encr alg only where the I_MESSAGE has a KEMAC."""


PARAMETER_MODES = (
    ParameterMode(
        "PSK",
        lambda p, s: ReferenceInitiator(p, exchange_params()),
        ("data-type", "prf-func", "encr-alg"),
    ),
    ParameterMode(
        "PK",
        lambda p, s: PkReferenceInitiator(p, responder=s),
        ("data-type", "prf-func", "encr-alg"),
    ),
    ParameterMode("DH", lambda p, s: DH_METHOD.reference(p), ("data-type", "prf-func")),
    ParameterMode(
        "DH-HMAC", lambda p, s: DH_HMAC.reference(p), ("data-type", "prf-func", "encr-alg")
    ),
    ParameterMode("RSA-R", lambda p, s: RsaRReferenceInitiator(p), ("data-type", "prf-func")),
)
"""PSK, PK, DH (RFC 3830), DH-HMAC (RFC 4650), RSA-R (RFC 4738)."""


def cases() -> list[Any]:
    """Test parameters (mode, fault), marked with the mode and RULES."""
    return [
        pytest.param(
            mode,
            fault,
            id=f"{mode.mode}-{fault}",
            marks=[pytest.mark.mode(mode.mode), pytest.mark.requirement(*RULES)],
        )
        for mode in PARAMETER_MODES
        for fault in mode.faults
    ]


def unsupported_parameter_gets_its_error(
    mode: ParameterMode, fault: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A correctly MACed or signed I_MESSAGE with an unassigned `fault` value is rejected;
    an Error message, if sent, names that value's number (5.1.2, 6.12)."""
    ref = mode.reference(profile, sut)
    message = ref.forge_bytes(FIELD_CORRUPTIONS[fault](ref))
    reply = send_to_responder(sut, ref, message, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({FAULTS[fault]}))
