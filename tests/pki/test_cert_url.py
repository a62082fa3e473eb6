"""Certificates by URL (RFC 4738 3.8): mikey.pki resolves them through a Fetch, the SUTs'
fetcher (suts.cert_fetch) takes http:// on allowed hosts only, bounded, and the suite's
certificate server (conformance.cert_server) serves what a test published."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from conformance.cert_server import CertServer, cert_server
from conformance.testpki import test_pki
from mikey.pki import CertificateError, FetchError, Usage, certificates_of, der_of
from mikey.wire import Cert, CertType, ErrorNo
from suts.base import Profile
from suts.cert_fetch import HOSTS_VARIABLE, HttpCertFetcher

PROFILE = Profile()
CHAIN = test_pki(PROFILE.id_initiator, PROFILE.id_responder).initiator.good.chain


@pytest.fixture(scope="module")
def server() -> Iterator[CertServer]:
    with cert_server() as running:
        yield running


def url_certs(urls: tuple[str, ...]) -> list[Cert]:
    return [Cert(CertType.X509V3_URL, u.encode("ascii")) for u in urls]


def test_url_certs_are_fetched_and_loaded(server: CertServer) -> None:
    urls = server.publish_chain("alice", CHAIN)
    assert certificates_of(url_certs(urls), Usage.SIGN, HttpCertFetcher()) == CHAIN
    assert all(server.fetched(u) for u in urls)


def test_without_a_fetcher_a_url_cert_is_invalid_cert() -> None:
    with pytest.raises(CertificateError, match="cannot serve") as caught:
        certificates_of(url_certs(("http://127.0.0.1/a.cer",)), Usage.SIGN)
    assert caught.value.error == ErrorNo.INVALID_CERT


@pytest.mark.parametrize(("body", "message"), [(None, "HTTP 404"), (b"<html/>", "not DER X.509")])
def test_a_url_that_serves_no_certificate_is_invalid_cert(
    server: CertServer, body: bytes | None, message: str
) -> None:
    urls = (server.publish("x.cer", body),)
    with pytest.raises(CertificateError, match=message) as caught:
        certificates_of(url_certs(urls), Usage.SIGN, HttpCertFetcher())
    assert caught.value.error == ErrorNo.INVALID_CERT


def test_a_url_that_is_not_ascii_is_invalid_cert() -> None:
    with pytest.raises(CertificateError, match="not ASCII"):
        certificates_of([Cert(CertType.X509V3_URL, b"http://\xff/")], Usage.SIGN, HttpCertFetcher())


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1/a.cer", "only http://"),
        ("ftp://127.0.0.1/a.cer", "only http://"),
        ("http://192.0.2.1/a.cer", "host 192.0.2.1 is not allowed"),
        ("http://example.org/a.cer", "not allowed"),
        ("http://127.0.0.1:99999/a.cer", "not a URL"),
        ("http:///a.cer", "only http://"),
    ],
)
def test_the_fetcher_refuses_what_it_may_not_fetch(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        HttpCertFetcher()(url)


def test_the_allow_list_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOSTS_VARIABLE, " Certs.Example , 192.0.2.1,")
    assert HttpCertFetcher.from_environment().hosts == {"certs.example", "192.0.2.1"}
    monkeypatch.delenv(HOSTS_VARIABLE)
    assert HttpCertFetcher.from_environment().hosts == {"127.0.0.1", "::1", "localhost"}


def test_the_fetcher_caps_the_size(server: CertServer) -> None:
    url = server.publish("big.cer", bytes(100_000))
    with pytest.raises(FetchError, match="more than 1000 bytes"):
        HttpCertFetcher(max_size=1000)(url)
    assert HttpCertFetcher()(server.publish("c.cer", der_of(CHAIN[0]))) == der_of(CHAIN[0])


def test_the_fetcher_gives_up_on_a_silent_server() -> None:
    """A server that takes the connection (the kernel's backlog does) and never answers
    costs the timeout, not the run."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(FetchError, match="timed out"):
            HttpCertFetcher(timeout=0.3)(f"http://127.0.0.1:{port}/a.cer")
