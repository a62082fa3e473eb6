"""Wireshark's MIKEY dissector as decode oracle for every message of DH-HMAC (RFC 4650)
and the DH method (RFC 3830 3.3), as tests/oracle/dh_corpus.py makes them.

All go through tshark in ONE run (a module fixture), as tests/oracle/test_tshark_oracle.py
does for the codec and PSK corpora.
"""

from __future__ import annotations

import pytest

from conformance.oracle.compare import CrossCheck, cross_check
from conformance.oracle.tshark import OracleUnavailable, tshark_path
from mikey.crypto.signature import RSA_SIGN_TYPES
from mikey.wire import DecodeError, DhGroup, decode_message
from tests.oracle.dh_corpus import dh_modes_corpus

CORPUS = dh_modes_corpus()


@pytest.fixture(scope="module")
def checked() -> dict[str, CrossCheck]:
    """Every message of this module, cross-checked in a single tshark run."""
    try:
        tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")
    return dict(zip(CORPUS, cross_check(list(CORPUS.values())), strict=True))


def test_the_corpus_has_both_modes_and_their_errors() -> None:
    kinds = {decode_message(data).hdr.data_type.name for data in CORPUS.values()}
    assert kinds == {"DHHMAC_INIT", "DHHMAC_RESP", "DH_INIT", "DH_RESP", "ERROR"}
    per_mode = len(DhGroup) * 2 * 6  # groups x ID choices x (3 messages + 3 answers)
    assert len(CORPUS) == per_mode + per_mode * len(RSA_SIGN_TYPES) + 4


@pytest.mark.parametrize("name", list(CORPUS))
def test_tshark_agrees_with_our_decoder(checked: dict[str, CrossCheck], name: str) -> None:
    result = checked[name]
    assert not isinstance(result.ours, DecodeError), result.ours
    assert result.frame.mikey == result.data, "tshark did not dissect the datagram as MIKEY"
    assert not result.frame.malformed, result.frame.expert
    assert result.frame.errors == []
    assert [str(d) for d in result.discrepancies] == []
