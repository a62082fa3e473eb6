"""What every I_MESSAGE of an Initiator makes anew, in every mode.

RFC 3830 5.2: "all messages from the Initiator MUST use a unique timestamp"; 6.1: the CSB
ID "MUST be unique between each Initiator-Responder pair" and the Initiator "MUST check
for collisions"; 6.11: the RAND "MUST be independently generated per CSB" and its length
SHOULD be at least 16 bytes. RFC 4650 (DH-HMAC), RFC 4738 (RSA-R, where the I_MESSAGE's
RAND is a SHOULD, 3.4) and RFC 6509 (MIKEY-SAKKE, 2.2.1) keep RFC 3830's HDR, T and RAND.

Each check asks the SUT initiator for FRESH new CSBs and reads its I_MESSAGEs; FRESH_MODES
gives the exchange asked of it per mode. conformance/rfc3830/test_freshness_initiator.py
holds the tests, one body per check, parametrized over the modes.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks import not_applicable, strict_decode
from conformance.evidence import Evidence
from conformance.reference import exchange_params, initiate
from conformance.reference_pk import pk_params
from conformance.reference_rsar import RSA_R
from conformance.rfc6509.reference import params as sakke_params
from mikey.wire import Message, Rand, Timestamp
from suts.base import ExchangeParams, Sut

FRESH = 3
"""How many I_MESSAGEs show that a value is drawn anew."""
FRESH_MODES: dict[str, ExchangeParams] = {
    "PSK": exchange_params(),
    "PK": pk_params(),
    "DH": exchange_params(mode="DH"),
    "DH-HMAC": exchange_params(mode="DH-HMAC"),
    "RSA-R": RSA_R,
    "SAKKE": sakke_params(),
}
"""Every mode, and the exchange its I_MESSAGEs are asked for."""
RULES = {
    "timestamp": ("RFC3830-5.2-unique-timestamp",),
    "csb-id": ("RFC3830-6.1-csb-id-unique", "RFC3830-6.1-csb-id-collision-check"),
    "rand": ("RFC3830-6.11-rand-per-csb",),
    "rand-length": ("RFC3830-6.11-rand-length-16",),
}
"""Requirement IDs of each check; RFC 3830's in every mode, whose RFCs keep them."""


def cases(check: str) -> list[Any]:
    """Test parameters, one per mode, marked with the mode and the IDs of `check`."""
    return [
        pytest.param(
            mode, id=mode, marks=[pytest.mark.mode(mode), pytest.mark.requirement(*RULES[check])]
        )
        for mode in FRESH_MODES
    ]


def i_messages(mode: str, sut: Sut, evidence: Evidence) -> list[Message]:
    """FRESH I_MESSAGEs of the SUT, each for a new CSB, strictly decoded."""
    return [
        strict_decode(initiate(sut, FRESH_MODES[mode], evidence), "the I_MESSAGE")
        for _ in range(FRESH)
    ]


def rands(mode: str, sut: Sut, evidence: Evidence) -> list[bytes]:
    """The RAND of each of FRESH I_MESSAGEs; not applicable where the SUT sends none and
    the mode lets it (RSA-R, RFC 4738 3.4: SHOULD)."""
    found = [msg.first(Rand) for msg in i_messages(mode, sut, evidence)]
    if mode == "RSA-R" and all(r is None for r in found):
        not_applicable("the SUT sends no RAND in its RSA-R I_MESSAGE (RFC 4738 3.4: SHOULD)")
    assert all(r is not None for r in found), "an I_MESSAGE without RAND (RFC 3830 3)"
    return [r.rand for r in found if r is not None]


def every_i_message_has_a_unique_timestamp(mode: str, sut: Sut, evidence: Evidence) -> None:
    """FRESH I_MESSAGEs carry FRESH different T (5.2)."""
    stamps = []
    for msg in i_messages(mode, sut, evidence):
        t = msg.first(Timestamp)
        assert t is not None, "I_MESSAGE without T"
        stamps.append(t.value)
    assert len(set(stamps)) == len(stamps), f"timestamps repeat: {[hex(s) for s in stamps]}"


def every_csb_has_a_distinct_csb_id(mode: str, sut: Sut, evidence: Evidence) -> None:
    """FRESH new CSBs have FRESH different CSB IDs (6.1)."""
    ids = [msg.hdr.csb_id for msg in i_messages(mode, sut, evidence)]
    assert len(set(ids)) == len(ids), f"CSB IDs repeat: {[hex(i) for i in ids]}"


def every_csb_has_a_fresh_rand(mode: str, sut: Sut, evidence: Evidence) -> None:
    """FRESH new CSBs have FRESH different RANDs (6.11)."""
    found = rands(mode, sut, evidence)
    assert len(set(found)) == len(found), "RAND repeats across CSBs"


def rand_is_at_least_128_bits(mode: str, sut: Sut, evidence: Evidence) -> None:
    """Every RAND is at least 16 bytes long (6.11; 4.1.1 assumes 128 bits)."""
    short = [len(r) for r in rands(mode, sut, evidence) if len(r) < 16]
    assert not short, f"RAND of {short[0]} bytes"
