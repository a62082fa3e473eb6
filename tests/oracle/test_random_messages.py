"""Random valid messages: tshark and our decoder agree on every field.

Hypothesis draws a few hundred messages and one tshark run dissects them all.
The messages come from the codec's strategies with two contents made real, because tshark
reads them: a certificate is a DER X.509 certificate (RFC 3830 6.7, except
for the URL type), and NULL-encrypted KEMAC data is a chain of Key data
sub-payloads (RFC 3830 6.2, 6.13).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.fuzz.strategies import key_data_chains, messages
from conformance.oracle.compare import cross_check
from conformance.oracle.tshark import OracleUnavailable, tshark_path
from mikey.wire import Cert, CertType, EncrAlg, Kemac, Message, encode_key_data, encode_message
from tests.oracle.corpus import der_certificate

DER = der_certificate()


@st.composite
def dissectable_messages(draw: st.DrawFn) -> Message:
    msg = draw(messages())
    payloads = []
    for p in msg.payloads:
        if isinstance(p, Cert) and p.cert_type != CertType.X509V3_URL:
            p = Cert(p.cert_type, DER)
        elif isinstance(p, Kemac) and p.encr_alg == EncrAlg.NULL:
            p = dataclasses.replace(p, encr_data=encode_key_data(draw(key_data_chains)))
        payloads.append(p)
    return Message(msg.hdr, tuple(payloads))


@pytest.fixture(scope="module", autouse=True)
def _needs_tshark() -> None:
    try:
        tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")


def test_tshark_agrees_on_random_messages() -> None:
    # Hypothesis draws the messages; tshark then sees them all in one run
    # (one run per example would cost 0.3 s each). A failure lists the hex of
    # every message in disagreement, each one a reproducer on its own.
    batch: list[bytes] = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(dissectable_messages())
    def draw(msg: Message) -> None:
        batch.append(encode_message(msg))

    draw()
    results = cross_check(batch)
    disagreements = [
        (r.data.hex(), [str(d) for d in r.discrepancies]) for r in results if r.discrepancies
    ]
    assert disagreements == []
