"""The SUT's MIKEY encoder: given a message's fields, it writes the bytes RFC 3830 section 6 gives.

The formats of section 6 leave no choice (network byte order, every length and
Next payload field determined by the values, implicit lengths by the codes), but
for reserved bits, which are written as zero. So for every valid message of the
corpus the SUT's encoding of its JSON form (mikey.wire.jsonform) must equal our
encoding byte for byte. The SUT plays its codec part, the "decoder" role. A
message with something its encoder does not write (its capabilities: payload
types, CS ID map types, encrypted KEMAC data) is not applicable to it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.checks import require_encoder_for
from conformance.corpus import Sample, valid_samples
from conformance.corpus.mutate import first_difference
from conformance.corpus.rules import requirements_of
from conformance.evidence import Evidence
from mikey.wire import message_to_dict, payload_offsets
from mikey.wire.message import SPEC_BY_CLASS
from suts.base import Sut

pytestmark = [pytest.mark.mode("codec"), pytest.mark.role("decoder")]


def params() -> list[Any]:
    return [
        pytest.param(s, marks=pytest.mark.requirement(*requirements_of(s)), id=s.name)
        for s in valid_samples()
    ]


def where(s: Sample, at: int) -> str:
    """Which part of the sample's encoding byte offset `at` falls in."""
    starts = payload_offsets(s.message)
    inside = [i for i, start in enumerate(starts) if start <= at]
    if not inside:
        return f"byte {at}, in the HDR (RFC 3830 6.1)"
    i = inside[-1]
    spec = SPEC_BY_CLASS[type(s.message.payloads[i])]
    return f"byte {at}, payload {i + 1} ({spec.name}, {spec.section}) at byte {starts[i]}"


@pytest.mark.parametrize("s", params())
def test_message_is_encoded_as_rfc3830_section_6_says(
    sut: Sut, evidence: Evidence, s: Sample
) -> None:
    """The SUT encodes a valid message's fields to exactly the RFC's bytes."""
    require_encoder_for(sut, s.message)
    structure = message_to_dict(s.message)
    evidence.note(f"fields given to the SUT: {json.dumps(structure)}")
    evidence.note(f"expected encoding ({s.source}): {s.data.hex()}")
    got = evidence.from_sut("encoding", sut.encode(structure))
    assert got is not None
    at = first_difference(s.data, got)
    assert got == s.data, (
        f"the SUT's encoding of {s.name} differs from RFC 3830 section 6 first at "
        f"{where(s, at)}: expected {s.data[at : at + 4].hex() or 'the end'}, "
        f"got {got[at : at + 4].hex() or 'the end'} ({len(got)} bytes, expected {len(s.data)})"
    )
