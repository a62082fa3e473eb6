"""The SUT's MIKEY decoder: it reads every valid message right and refuses every malformed one.

RFC 3830 section 6 (payload encoding, network byte order) and RFC 4563 (Key ID,
Empty map). The valid messages and the malformations come from
conformance/corpus: each malformation breaks one encoding rule of one valid
message, and says which (RFC section, field); our strict decoder rejects it.
A decoder that accepts such bytes would read fields that are not there.

A valid message with something the SUT's decoder does not implement (its
capabilities) is not applicable when the SUT refuses it; no capability waives
the rejection of a malformed message, nor a hang or crash on any input.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks import differences, waive_unimplemented_refusal
from conformance.corpus import Malformation, Sample, malformations, valid_samples
from conformance.corpus.mutate import first_difference
from conformance.corpus.rules import requirements_of
from conformance.evidence import Evidence
from mikey.wire import DecodeError, decode_message, message_to_dict
from suts.base import Sut

pytestmark = [pytest.mark.mode("codec"), pytest.mark.role("decoder")]


def valid_params() -> list[Any]:
    return [
        pytest.param(s, marks=pytest.mark.requirement(*requirements_of(s)), id=s.name)
        for s in valid_samples()
    ]


def malformed_params() -> list[Any]:
    return [
        pytest.param(m, marks=pytest.mark.requirement(m.requirement), id=m.test_id)
        for m in malformations()
    ]


@pytest.mark.parametrize("s", valid_params())
def test_valid_message_is_decoded(sut: Sut, evidence: Evidence, s: Sample) -> None:
    """A valid message is accepted and read field by field as RFC 3830 section 6 says."""
    result = sut.decode(evidence.to_sut(s.name, s.data))
    waive_unimplemented_refusal(sut, s.message, result)
    assert result.accepted, (
        f"the SUT rejects the valid message {s.name} ({s.source}): {result.detail}"
    )
    assert result.structure is not None, f"the SUT accepts {s.name} but reports no structure"
    found = differences(message_to_dict(s.message), result.structure)
    assert not found, f"the SUT misreads the valid message {s.name}:\n" + "\n".join(found[:10])


def accepted_invalid(m: Malformation, data: bytes) -> str:
    """The verdict's reason when the SUT accepts `data`: the rule, where, and our reading."""
    at = first_difference(m.valid(), data)
    try:
        decode_message(data)
        ours = "our decoder accepts it too: a bug in the suite's corpus"
    except DecodeError as exc:
        ours = f"our decoder: {exc}"
    return (
        f"the SUT accepts an invalid message: {m.rule} (first byte changed from the valid "
        f"sample {m.base}: offset {at}; {len(data)} bytes); {ours}"
    )


@pytest.mark.parametrize("m", malformed_params())
def test_malformed_message_is_rejected(sut: Sut, evidence: Evidence, m: Malformation) -> None:
    """A message that breaks one encoding rule of RFC 3830 section 6 is rejected."""
    data = m.data()
    evidence.note(f"rule broken: {m.rule}; made from the valid sample {m.base}")
    result = sut.decode(evidence.to_sut(m.test_id, data))
    assert not result.accepted, accepted_invalid(m, data)
