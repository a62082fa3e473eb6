"""RSA-R with certificates by URL, both roles: the SUT fetches the peer's certificate (RFC 4738).

RFC 4738 3.8: the X.509v3 URL CERT type (RFC 3830 Table 6.7.b) "is the default
method in RSA-R mode and MUST be implemented", over HTTP (RFC 2585), the DER as
application/pkix-cert. The reference party sends its chain as one URL CERT per
certificate, served by the suite's certificate server (conformance.cert_server):
the SUT must fetch it and use it, and refuse a URL that serves no certificate,
garbage, or a certificate for another identity (the chain it may know
beforehand does not stand in for the one the message names).
"""

from __future__ import annotations

import pytest

from conformance.cert_server import CertServer
from conformance.checks import expect_rejection
from conformance.evidence import Evidence
from conformance.reference import initiate
from conformance.reference_pk import bad_certificates
from conformance.reference_rsar import RSA_R, RsaRReferenceInitiator, RsaRReferenceResponder
from conformance.testpki import pk_material
from conformance.vehicle import reference_took, t_not_refused, vehicle
from mikey.credentials import Credential
from mikey.wire import ErrorNo
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("RSA-R"), pytest.mark.requirement("RFC4738-3.8-url-cert")]

FAULTS = ["not-found", "garbage", "other-identity"]
GARBAGE = b"<html><body><h1>It works!</h1></body></html>\n"
"""What a web server that has no such certificate may well serve instead."""
REFUSALS = frozenset({ErrorNo.INVALID_CERT, ErrorNo.INVALID_ID, ErrorNo.AUTH_FAILURE})


def published(
    certificates: CertServer, profile: Profile, who: Role, fault: str | None = None
) -> tuple[Credential, tuple[str, ...]]:
    """The credential `who` signs with and the URLs of its chain (end entity first), the
    end entity's URL with `fault`: it 404s, serves garbage, or names another identity."""
    material = pk_material(profile)
    credential = material.initiator if who is Role.INITIATOR else material.responder
    if fault == "other-identity":  # the same key, certified for another name
        credential = bad_certificates(profile, who).identity_mismatch
    name = str(who)
    urls = certificates.publish_chain(name, credential.chain)
    if fault in ("not-found", "garbage"):
        bad = certificates.publish(f"{name}-0.cer", None if fault == "not-found" else GARBAGE)
        urls = (bad, *urls[1:])
    return credential, urls


@pytest.mark.role("responder")
def test_responder_fetches_the_initiator_certificate_by_url(
    sut: Sut, profile: Profile, evidence: Evidence, certificates: CertServer
) -> None:
    """CERTi by URL: the SUT fetches it, checks SIGNi with it and returns the TGK under
    its key, which the reference initiator opens (3.8, 3.6)."""
    credential, urls = published(certificates, profile, Role.INITIATOR)
    ref = RsaRReferenceInitiator(profile, credential=credential, cert_urls=urls)
    reply = sut.respond(evidence.to_sut("I_MESSAGE (CERTi by URL)", ref.i_message()), ref.params)
    evidence.from_sut("answer", reply.message)
    with vehicle():  # T is current: refused for it before any fetch, the window rule's
        t_not_refused(reply)
    assert certificates.fetched(urls[0]), f"the SUT did not fetch CERTi from {urls[0]}"
    assert reply.message is not None, "no R_MESSAGE to an I_MESSAGE with CERTi by URL (3.8)"
    outcome = ref.take_response(reply.message)
    assert outcome.accepted, f"the reference initiator rejects the R_MESSAGE: {outcome.reason}"


@pytest.mark.role("responder")
@pytest.mark.parametrize("fault", FAULTS)
def test_responder_refuses_a_certificate_url_that_does_not_certify_the_initiator(
    sut: Sut, profile: Profile, evidence: Evidence, certificates: CertServer, fault: str
) -> None:
    """CERTi's URL 404s, serves garbage, or serves a certificate for the initiator's key
    but another identity: no TGK goes out, whatever chain the SUT knew beforehand."""
    credential, urls = published(certificates, profile, Role.INITIATOR, fault)
    ref = RsaRReferenceInitiator(profile, credential=credential, cert_urls=urls)
    data = ref.i_message()
    reply = sut.respond(evidence.to_sut(f"I_MESSAGE (CERTi URL: {fault})", data), ref.params)
    evidence.from_sut("answer", reply.message)
    expect_rejection(reply, evidence, ref.csb_id, REFUSALS)


@pytest.mark.role("initiator")
def test_initiator_fetches_the_responder_certificate_by_url(
    sut: Sut, profile: Profile, evidence: Evidence, certificates: CertServer
) -> None:
    """CERTr by URL: the SUT fetches it, verifies SIGNr with it and takes the TGK (3.8)."""
    credential, urls = published(certificates, profile, Role.RESPONDER)
    ref = RsaRReferenceResponder(profile, credential=credential, cert_urls=urls)
    reply = ref.take(initiate(sut, RSA_R, evidence))
    with vehicle():  # the reference took the SUT's I_MESSAGE (refused for its T: the clock's)
        reference_took(reply.outcome, "the I_MESSAGE")
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    outcome = sut.complete(evidence.to_sut("R_MESSAGE (CERTr by URL)", reply.message))
    assert certificates.fetched(urls[0]), f"the SUT did not fetch CERTr from {urls[0]}"
    assert outcome.accepted, f"the SUT rejects an R_MESSAGE with CERTr by URL: {outcome.detail}"


@pytest.mark.role("initiator")
@pytest.mark.parametrize("fault", FAULTS)
def test_initiator_refuses_a_certificate_url_that_does_not_certify_the_responder(
    sut: Sut, profile: Profile, evidence: Evidence, certificates: CertServer, fault: str
) -> None:
    """CERTr's URL 404s, serves garbage, or certifies the responder's key for another
    identity: the SUT does not take the TGK (3.8, 3.6)."""
    credential, urls = published(certificates, profile, Role.RESPONDER, fault)
    ref = RsaRReferenceResponder(profile, credential=credential, cert_urls=urls)
    reply = ref.take(initiate(sut, RSA_R, evidence))
    with vehicle():  # the reference took the SUT's I_MESSAGE (refused for its T: the clock's)
        reference_took(reply.outcome, "the I_MESSAGE")
    assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    outcome = sut.complete(evidence.to_sut(f"R_MESSAGE (CERTr URL: {fault})", reply.message))
    assert not outcome.accepted, f"the SUT took the TGK though CERTr's URL is {fault}"
