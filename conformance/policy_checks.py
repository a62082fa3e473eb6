"""A security policy the Responder does not support, in every mode whose I_MESSAGE
proposes one.

RFC 3830 5.3: a message the Responder cannot take is not processed further, and 5.1.2
and Table 6.12: its Error message, if sent, says Invalid SPpar (10) for an unsupported
SRTP parameter (6.10.1) or Invalid SP (9) for an unknown Prot type (6.10). RFC 4650
(DH-HMAC, 3), RFC 4738 (RSA-R, 3.4: the Responder chooses among the proposed policies,
Invalid SPpar if it supports none) and RFC 6509 (MIKEY-SAKKE, 2.1) carry RFC 3830's SP.
The reference initiator proposes one SP with the fault (conformance.forge.POLICY_FAULTS)
and MACs or signs the message anew, so the policy is its only fault.

conformance/rfc3830/test_policies_responder.py holds the test, one body parametrized
over POLICY_MODES and the faults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conformance.checks import expect_rejection
from conformance.dh_exchange import DH_HMAC, DH_METHOD
from conformance.evidence import Evidence
from conformance.forge import POLICY_FAULTS, replace_policies
from conformance.reference import ReferenceInitiator, exchange_params, send_to_responder
from conformance.reference_pk import PkReferenceInitiator
from conformance.reference_rsar import RsaRReferenceInitiator
from conformance.rfc6509.reference import SakkeReferenceInitiator
from conformance.rfc6509.reference import params as sakke_params
from mikey.wire import ErrorNo
from suts.base import Profile, Role, Sut

POLICY_MODES: dict[str, Callable[[Profile, Sut], Any]] = {
    "PSK": lambda p, s: ReferenceInitiator(p, exchange_params()),
    "PK": lambda p, s: PkReferenceInitiator(p, responder=s),
    "DH": lambda p, s: DH_METHOD.reference(p),
    "DH-HMAC": lambda p, s: DH_HMAC.reference(p),
    "RSA-R": lambda p, s: RsaRReferenceInitiator(p),
    "SAKKE": lambda p, s: SakkeReferenceInitiator(p, sakke_params()),
}
"""Every mode, and its reference initiator facing the SUT (it has `forge` and `csb_id`)."""
FAULTS = ("srtp-encr-alg-9", "srtp-param-type-13", "prot-type-7")
PARAM_TYPES = "RFC3830-6.10.1-param-types"
N_CS_OFFSET = 8
"""Where HDR holds #CS: after version, data type, next payload, V|PRF func and the
4-byte CSB ID (RFC 3830 6.1)."""
RSAR_NONE_SUPPORTED = frozenset({ErrorNo.INVALID_SP, ErrorNo.INVALID_SPPAR})
"""RSA-R: the Responder found none of the proposed policies it supports (RFC 4738 3.4:
Invalid SPpar); an unknown Prot type is Invalid SP as well (RFC 3830 Table 6.12)."""


def cases() -> list[Any]:
    """Test parameters (mode, fault), marked with the mode and the requirement IDs: the
    abort (5.3), and Table 6.10.1.a's types for the SRTP parameter faults or Table 6.12's
    Invalid SP for the unknown Prot type (which no SP check but the decoder's sees)."""
    params = []
    for mode in POLICY_MODES:
        for fault in FAULTS:
            rule = PARAM_TYPES if "srtp" in fault else "RFC3830-6.12-error-numbers"
            ids = ("RFC3830-5.3-abort-on-error", rule)
            marks = [pytest.mark.mode(mode), pytest.mark.requirement(*ids)]
            params.append(pytest.param(mode, fault, id=f"{mode}-{fault}", marks=marks))
    return params


def send_unsupported_sp(
    ref: Any, sut: Sut, evidence: Evidence, fault: str, allowed: frozenset[ErrorNo] | None = None
) -> tuple[bytes, bytes | None]:
    """`ref`'s authenticated I_MESSAGE whose SP carries `fault`, which the SUT must reject
    (with the fault's Table 6.12 number, or one of `allowed`); returns it and the SUT's
    answer (None: it stayed silent)."""
    forgery = POLICY_FAULTS[fault]
    evidence.note(f"the I_MESSAGE's SP proposes {forgery.what}; its MAC or signature is valid")
    message = ref.forge(replace_policies(forgery.change))
    reply = send_to_responder(sut, ref, message, evidence)
    assert reply.accepted is not True, (
        f"the SUT took an I_MESSAGE whose SP proposes {forgery.what}; RFC 3830 5.3: the "
        f"responder sends an Error message or nothing and aborts the processing. SUT: "
        f"{reply.detail}"
    )
    expect_rejection(reply, evidence, ref.csb_id, allowed or frozenset({forgery.error}))
    return message, reply.message


def rejects_an_unsupported_policy(
    mode: str, fault: str, sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An I_MESSAGE proposing an SP the responder does not support is not taken: no
    answer but an Error message, no CSB (no SRTP keys exported for its crypto sessions),
    and the Error message, if sent, names Invalid SPpar, or Invalid SP for an unknown
    Prot type (5.3, 6.10.1, Table 6.12)."""
    ref = POLICY_MODES[mode](profile, sut)
    allowed = RSAR_NONE_SUPPORTED if mode == "RSA-R" else None
    message, _ = send_unsupported_sp(ref, sut, evidence, fault, allowed)
    if sut.capabilities().exports_keys:
        n_cs = message[N_CS_OFFSET]  # read raw: an unknown Prot type does not decode
        exported = [sut.srtp_keys(Role.RESPONDER, cs_id) for cs_id in range(1, n_cs + 1)]
        assert all(k is None for k in exported), (
            "the SUT rejected the message but exports SRTP keys for its crypto sessions: "
            "processing must be aborted, no CSB established (RFC 3830 5.3)"
        )
