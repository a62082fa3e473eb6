"""The codec corpus itself: valid samples are valid and cover section 6, malformations are not.

Each malformation must be rejected by our strict decoder, and for the reason it
states (the payload and field of the DecodeError): a malformation the reference
accepts, or rejects for another fault, is a bug in the malformation.
"""

from __future__ import annotations

import base64

import pytest

from conformance.corpus import Malformation, Sample, malformations, sample, valid_samples
from conformance.corpus.malformed import ANY
from conformance.corpus.rules import requirements_of
from conformance.requirements import load
from mikey import vectors
from mikey.wire import (
    Cert,
    CertType,
    Chash,
    CsIdMapType,
    DataType,
    DecodeError,
    Dh,
    DhGroup,
    EncrAlg,
    Error,
    ErrorNo,
    GeneralExtension,
    GeneralExtType,
    HashFunc,
    Id,
    IdType,
    Kemac,
    KvType,
    MacAlg,
    PayloadType,
    Pke,
    PkeCache,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    decode_message,
    encode_message,
)
from mikey.wire.kv import kv_type
from mikey.wire.payloads import PAYLOAD_TYPE

SAMPLES = valid_samples()
MALFORMATIONS = malformations()


def fields(kind: type[object], name: str) -> set[object]:
    """Every value of attribute `name` of the `kind` payloads in the corpus."""
    return {getattr(p, name) for s in SAMPLES for p in s.message.payloads if isinstance(p, kind)}


@pytest.mark.parametrize("s", SAMPLES, ids=lambda s: s.name)
def test_valid_sample_decodes_and_encodes_canonically(s: Sample) -> None:
    assert decode_message(s.data) == s.message
    assert encode_message(s.message) == s.data


def test_names_are_unique() -> None:
    assert len({s.name for s in SAMPLES}) == len(SAMPLES)
    assert len({m.test_id for m in MALFORMATIONS}) == len(MALFORMATIONS)


def test_every_payload_and_data_type_is_covered() -> None:
    kinds = {PAYLOAD_TYPE[type(p)] for s in SAMPLES for p in s.message.payloads}
    assert kinds == set(PayloadType) - {PayloadType.LAST, PayloadType.KEY_DATA}
    assert {s.message.hdr.data_type for s in SAMPLES} == set(DataType)


def test_every_code_of_every_table_is_covered() -> None:
    kemacs = {(p.encr_alg, p.mac_alg) for s in SAMPLES for p in s.message.all(Kemac)}
    assert kemacs == {(e, m) for e in EncrAlg for m in MacAlg}
    dhs = {(p.group, kv_type(p.kv)) for s in SAMPLES for p in s.message.all(Dh)}
    assert dhs == {(g, k) for g in DhGroup for k in KvType}
    assert fields(Pke, "cache") == set(PkeCache)
    assert fields(Sign, "s_type") == set(SignType)
    assert fields(Timestamp, "ts_type") == set(TsType)
    assert fields(Id, "id_type") == set(IdType)
    assert fields(Cert, "cert_type") == set(CertType)
    assert fields(Chash, "hash_func") == set(HashFunc)
    assert fields(Verification, "auth_alg") == set(MacAlg)
    assert fields(Error, "error_no") == set(ErrorNo)
    assert fields(GeneralExtension, "ext_type") == set(GeneralExtType)
    params = {q.type for s in SAMPLES for p in s.message.all(SecurityPolicy) for q in p.params}
    assert params == set(SrtpParam)


def test_common_header_variants_are_covered() -> None:
    hdrs = [s.message.hdr for s in SAMPLES]
    srtp = {len(h.cs_map) for h in hdrs if h.cs_id_map_type == CsIdMapType.SRTP_ID}
    assert {0, 1} <= srtp and max(srtp) >= 2
    empty = [s for s in SAMPLES if s.message.hdr.cs_id_map_type == CsIdMapType.EMPTY]
    assert empty and all(s.message.hdr.n_cs > 0 for s in empty)
    assert not any(s.message.all(SecurityPolicy) for s in empty)  # RFC 4563 5: no SP


def test_rfc4567_vectors_are_the_published_messages() -> None:
    doc = vectors.load("rfc4567-examples.json")
    assert doc["source"] == "RFC 4567 section 5.1"
    tests = [t for g in doc["testGroups"] for t in g["tests"]]
    assert doc["numberOfTests"] == len(tests) == 2
    for t in tests:
        assert base64.b64decode(t["base64"]) == bytes.fromhex(t["message"])
        assert sample(f"rfc4567-5.1-tc{t['tcId']}").data.hex() == t["message"]
        assert t["result"] == "valid"


@pytest.mark.parametrize("m", MALFORMATIONS, ids=lambda m: m.test_id)
def test_malformation_is_rejected_for_the_reason_it_states(m: Malformation) -> None:
    data = m.data()
    assert data != m.valid()
    with pytest.raises(DecodeError) as caught:
        decode_message(data)
    err = caught.value
    assert err.payload == m.payload, err
    if m.field != ANY:
        assert err.field == m.field, err
    assert "RFC " in m.rule


def test_trailing_byte_is_noticed_at_the_end_of_the_valid_message() -> None:
    for m in (m for m in MALFORMATIONS if m.name == "trailing-byte"):
        with pytest.raises(DecodeError) as caught:
            decode_message(m.data())
        assert caught.value.offset == len(m.valid()), m.test_id


def test_every_cited_requirement_is_in_the_catalog() -> None:
    catalog = load()
    cited = {m.requirement for m in MALFORMATIONS}
    cited |= {r for s in SAMPLES for r in requirements_of(s)}
    assert cited <= set(catalog), sorted(cited - set(catalog))
    assert all(requirements_of(s) for s in SAMPLES)
