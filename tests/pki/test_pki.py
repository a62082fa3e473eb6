"""Certificate handling (RFC 3830 4.3, 6.7, 6.8) on the generated test PKI."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from conformance.testpki import MALLORY, pk_material, test_pki
from mikey.credentials import PkMaterial
from mikey.pki import (
    CertificateError,
    Usage,
    authenticate,
    cert_hash,
    certificates_of,
    der_of,
    identity_names,
    load_certificate,
    utc,
)
from mikey.wire import Cert, CertType, ErrorNo, HashFunc, Id, IdType
from suts.base import Profile

PROFILE = Profile()
PKI = test_pki(PROFILE.id_initiator, PROFILE.id_responder)
NOW = utc(time.time())
ANCHORS = (PKI.root,)
ROOT_PEM = PKI.root.public_bytes(Encoding.PEM).decode()


@pytest.mark.parametrize("who", ["initiator", "responder"])
@pytest.mark.parametrize("usage", list(Usage))
def test_good_chains_authenticate(who: str, usage: Usage) -> None:
    party = getattr(PKI, who)
    ident = getattr(PROFILE, f"id_{who}")
    key = authenticate(party.good.chain, ANCHORS, NOW, usage, ident)
    assert key.public_numbers() == party.good.key.public_key().public_numbers()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("bad", "error", "reason"),
    [
        ("expired", ErrorNo.INVALID_CERT, "5280 4.1.2.5"),
        ("not_yet_valid", ErrorNo.INVALID_CERT, "5280 4.1.2.5"),
        ("wrong_key_usage", ErrorNo.INVALID_CERT, "5280 4.2.1.3"),
        ("unknown_ca", ErrorNo.INVALID_CERT, "trust anchor"),
        ("identity_mismatch", ErrorNo.INVALID_ID, "subjectAltName URI"),
    ],
)
@pytest.mark.parametrize("usage", list(Usage))
def test_bad_certificates_get_their_error_number(
    bad: str, error: ErrorNo, reason: str, usage: Usage
) -> None:
    with pytest.raises(CertificateError, match=reason) as caught:
        authenticate(getattr(PKI.initiator, bad).chain, ANCHORS, NOW, usage, PROFILE.id_initiator)
    assert caught.value.error == error


def test_chain_needs_its_intermediate_and_an_anchor() -> None:
    leaf = PKI.initiator.good.certificate
    with pytest.raises(CertificateError, match="trust anchor"):
        authenticate((leaf,), ANCHORS, NOW, Usage.SIGN)
    with pytest.raises(CertificateError, match="no trust anchor configured"):
        authenticate(PKI.initiator.good.chain, (), NOW, Usage.SIGN)
    with pytest.raises(CertificateError, match="no certificate"):
        authenticate((), ANCHORS, NOW, Usage.SIGN)


def test_truncated_der_is_invalid_cert() -> None:
    with pytest.raises(CertificateError) as caught:
        load_certificate(PKI.initiator.truncated)
    assert caught.value.error == ErrorNo.INVALID_CERT
    with pytest.raises(CertificateError):
        load_certificate(b"")


def test_cert_payload_types_serve_their_use_only() -> None:
    der = der_of(PKI.initiator.good.certificate)
    for cert_type in (CertType.X509V3, CertType.X509V3_SIGN):
        assert certificates_of([Cert(cert_type, der)], Usage.SIGN)[0] == load_certificate(der)
    for cert_type, usage in (
        (CertType.X509V3_ENCR, Usage.SIGN),
        (CertType.X509V3_SIGN, Usage.ENCRYPT),
        (CertType.X509V3_URL, Usage.SIGN),
    ):
        with pytest.raises(CertificateError, match="cannot serve") as caught:
            certificates_of([Cert(cert_type, der)], usage)
        assert caught.value.error == ErrorNo.INVALID_CERT


def test_identity_matches_uri_and_nai_fields() -> None:
    cert = PKI.initiator.good.certificate
    assert identity_names(cert, IdType.URI) == [PROFILE.id_initiator.data.decode()]
    assert identity_names(cert, IdType.NAI) == []
    with pytest.raises(CertificateError) as caught:
        authenticate(
            PKI.initiator.good.chain, ANCHORS, NOW, Usage.SIGN, Id(IdType.NAI, b"alice@mikey.test")
        )
    assert caught.value.error == ErrorNo.INVALID_ID
    assert identity_names(PKI.initiator.identity_mismatch.certificate, IdType.URI) == [MALLORY]


def test_chash_is_the_hash_of_the_der() -> None:
    der = der_of(PKI.responder.good.certificate)
    assert cert_hash(HashFunc.SHA_1, der) == hashlib.sha1(der).digest()
    assert cert_hash(HashFunc.MD5, der) == hashlib.md5(der).digest()
    with pytest.raises(CertificateError) as caught:
        cert_hash(9, der)  # type: ignore[arg-type]
    assert caught.value.error == ErrorNo.INVALID_HA


def _pem_files(tmp_path: Path) -> dict[str, object]:
    def write(name: str, data: bytes) -> str:
        (tmp_path / name).write_bytes(data)
        return str(tmp_path / name)

    good = PKI.initiator.good
    key_pem = good.private_key().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    chain_pem = b"".join(c.public_bytes(Encoding.PEM) for c in good.chain)
    return {
        "initiator": {"key": write("i.key", key_pem), "certs": write("i.pem", chain_pem)},
        "responder": {"certs": PKI.responder.good.certificate.public_bytes(Encoding.PEM).decode()},
        "trust_anchors": write("root.pem", PKI.root.public_bytes(Encoding.PEM)),
        "envelope": "OAEP",
    }


def test_material_json_form_reads_files_and_inline_pem(tmp_path: Path) -> None:
    profile = Profile.from_json(json.loads(json.dumps({"pk": _pem_files(tmp_path)})))
    material = profile.pk
    assert isinstance(material, PkMaterial)
    assert material.initiator.chain == PKI.initiator.good.chain
    assert material.initiator.key is not None
    assert material.responder.key is None
    assert material.trust_anchors == (PKI.root,)
    assert material.envelope == "OAEP"
    assert pk_material(profile) is material


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pk": []}, "pk must be a JSON object"),
        (
            {"pk": {"initiator": {}, "responder": {}, "trust_anchors": ROOT_PEM}},
            "must be an object with 'certs'",
        ),
        ({"pk": {"trust_anchors": "x"}}, "pk lacks initiator, responder"),
        ({"pk": {"color": 1}}, "unknown pk key"),
    ],
)
def test_material_json_errors_name_the_problem(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Profile.from_json(change)


def test_material_json_missing_file(tmp_path: Path) -> None:
    data = _pem_files(tmp_path)
    data["trust_anchors"] = str(tmp_path / "absent.pem")
    with pytest.raises(ValueError, match="cannot read"):
        Profile.from_json({"pk": data})


def test_default_material_is_the_test_pki() -> None:
    material = pk_material(PROFILE)
    assert material.initiator == PKI.initiator.good
    assert material.trust_anchors == ANCHORS
