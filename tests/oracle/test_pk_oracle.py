"""Wireshark's MIKEY dissector as the decode oracle for the PK mode's messages (RFC 3830 3.2).

All of them go through tshark in one run; each must be dissected as MIKEY
without a Malformed flag or expert error, and agree field by field with our
decoder, but for the documented tshark 4.0 deviations (known_deviations).
"""

from __future__ import annotations

import pytest

from conformance.oracle.compare import CrossCheck, cross_check
from conformance.oracle.tshark import OracleUnavailable, tshark_path
from mikey.wire import DecodeError, decode_message
from tests.oracle.pk_corpus import ERROR_CASES, VARIANTS, pk_corpus

PK = pk_corpus()


@pytest.fixture(scope="module")
def checked() -> dict[str, CrossCheck]:
    try:
        tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")
    return dict(zip(PK, cross_check(list(PK.values())), strict=True))


def test_corpus_has_every_message_the_mode_emits() -> None:
    kinds = {decode_message(data).hdr.data_type.name for data in PK.values()}
    assert kinds == {"PK_INIT", "PK_RESP", "ERROR", "RSA_R_INIT", "RSA_R_RESP"}
    # v-clear has no R_MESSAGE; two Error messages beyond ERROR_CASES; four RSA-R messages
    assert len(PK) == 3 * len(VARIANTS) - 1 + len(ERROR_CASES) + 2 + 4


@pytest.mark.parametrize("name", list(PK))
def test_tshark_agrees_with_our_decoder(checked: dict[str, CrossCheck], name: str) -> None:
    result = checked[name]
    assert not isinstance(result.ours, DecodeError), result.ours
    assert result.frame.mikey == result.data, "tshark did not dissect the datagram as MIKEY"
    assert not result.frame.malformed, result.frame.expert
    assert result.frame.errors == []
    assert [str(d) for d in result.discrepancies] == []
