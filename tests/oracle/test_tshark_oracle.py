"""Wireshark's MIKEY dissector as a decode oracle for every message the reference emits.

All messages of this module go through tshark in ONE run (a module fixture):
the codec corpus (every payload of RFC 3830 section 6, every mode's message
shapes), the PSK mode's own messages, one message per known tshark deviation,
and the negative controls. Each must decode with tshark without a Malformed
flag or an expert error and with no field on which tshark and our decoder
disagree. The negative controls prove the oracle can fail.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from conformance.oracle.compare import CrossCheck, compare, cross_check
from conformance.oracle.known_deviations import KNOWN_DEVIATIONS, deviations_for
from conformance.oracle.tshark import (
    TSHARK_ENV,
    OracleUnavailable,
    TsharkFailed,
    dissect,
    tshark_path,
)
from mikey.wire import (
    CertType,
    DataType,
    DecodeError,
    DhGroup,
    EncrAlg,
    ErrorNo,
    GeneralExtType,
    HashFunc,
    IdType,
    MacAlg,
    PayloadType,
    PkeCache,
    SignType,
    SrtpParam,
    TsType,
    decode_message,
    message_to_dict,
)
from tests.oracle.corpus import RFC4567_I_MESSAGE, codec_corpus, deviation_corpus
from tests.oracle.psk_corpus import ERROR_CASES, VARIANTS, psk_corpus

CODEC = codec_corpus()
PSK = psk_corpus()
DEVIATIONS = deviation_corpus()

# Negative controls, all built from the RFC 4567 I_MESSAGE (RAND len at byte 30,
# ID len at bytes 49-50, see RFC 3830 6.11 and 6.7).
_I = RFC4567_I_MESSAGE
CONTROLS = {
    "rand-len-too-long": _I[:30] + bytes([200]) + _I[31:],
    "id-len-too-short": _I[:50] + bytes([_I[50] - 1]) + _I[51:],
    "trailing-byte": _I + b"\x00",
}


@pytest.fixture(scope="module")
def checked() -> dict[str, CrossCheck]:
    """Every message of this module, cross-checked in a single tshark run."""
    try:
        tshark_path()
    except OracleUnavailable as exc:
        pytest.skip(f"tshark is not installed: {exc}")
    named = {**CODEC, **PSK, **DEVIATIONS, **CONTROLS}
    return dict(zip(named, cross_check(list(named.values())), strict=True))


def _decoded(data: bytes) -> dict[str, Any]:
    return message_to_dict(decode_message(data))


# --- the corpus covers what it claims ---------------------------------------------


def test_corpus_covers_every_payload_and_code() -> None:
    messages = [_decoded(data) for data in [*CODEC.values(), *DEVIATIONS.values()]]
    payloads = [p for m in messages for p in m["payloads"]]
    seen = {(p["type"], key, str(value)) for p in payloads for key, value in p.items()}
    top_level = set(PayloadType) - {PayloadType.LAST, PayloadType.KEY_DATA}
    assert {p["type"] for p in payloads} == {t.name for t in top_level}
    expected = [
        ("KEMAC", "encr_alg", EncrAlg),
        ("KEMAC", "mac_alg", MacAlg),
        ("V", "auth_alg", MacAlg),
        ("T", "ts_type", TsType),
        ("ERR", "error_no", ErrorNo),
        ("ID", "id_type", IdType),
        ("CERT", "cert_type", CertType),
        ("CHASH", "hash_func", HashFunc),
        ("DH", "group", DhGroup),
        ("SIGN", "s_type", SignType),
        ("PKE", "cache", PkeCache),
        ("GENERAL_EXT", "ext_type", GeneralExtType),
    ]
    missing = [
        f"{kind} {key}={member.name}"
        for kind, key, enum in expected
        for member in enum
        if (kind, key, member.name) not in seen
    ]
    assert missing == []
    params = {q["type"] for p in payloads if p["type"] == "SP" for q in p["params"]}
    assert params >= {int(t) for t in SrtpParam}
    assert {m["hdr"]["data_type"] for m in messages} == {t.name for t in DataType}


def test_psk_corpus_has_every_message_the_mode_emits() -> None:
    expected = {f"psk-error-{e.name.lower()}" for e in [*ERROR_CASES, ErrorNo.INVALID_SPPAR]}
    for name, settings in VARIANTS.items():
        expected |= {f"psk-{name}-i-message", f"psk-{name}-update"}
        if settings.v:
            expected.add(f"psk-{name}-r-message")
    assert sorted(expected - set(PSK)) == []
    kinds = {_decoded(data)["hdr"]["data_type"] for data in PSK.values()}
    assert kinds == {"PSK_INIT", "PSK_RESP", "ERROR"}


# --- agreement --------------------------------------------------------------------


@pytest.mark.parametrize("name", [*CODEC, *PSK])
def test_tshark_agrees_with_our_decoder(checked: dict[str, CrossCheck], name: str) -> None:
    result = checked[name]
    assert not isinstance(result.ours, DecodeError), result.ours
    assert result.frame.mikey == result.data, "tshark did not dissect the datagram as MIKEY"
    assert not result.frame.malformed, result.frame.expert
    assert result.frame.errors == []
    assert [str(d) for d in result.discrepancies] == []


@pytest.mark.parametrize("dev", KNOWN_DEVIATIONS, ids=lambda d: d.key)
def test_known_deviation_is_real_and_excused(checked: dict[str, CrossCheck], dev: Any) -> None:
    result = checked[dev.key]
    assert isinstance(result.ours, dict), result.ours
    assert dev in [d for _, d in deviations_for(result.ours)]
    assert [str(d) for d in result.discrepancies] == []
    others = [d for d in KNOWN_DEVIATIONS if d is not dev]
    unexcused = compare(result.frame, result.ours, others)
    assert unexcused, f"tshark no longer shows deviation {dev.key}: drop it from the list"


def test_every_known_deviation_has_a_message() -> None:
    assert set(DEVIATIONS) == {d.key for d in KNOWN_DEVIATIONS}


# --- negative controls: the oracle can fail ----------------------------------------


def test_lying_length_is_malformed_for_tshark(checked: dict[str, CrossCheck]) -> None:
    result = checked["rand-len-too-long"]
    assert isinstance(result.ours, DecodeError)
    assert result.frame.malformed
    assert any(e.group == "malformed" for e in result.frame.errors)


def test_short_length_shows_as_discrepancies(checked: dict[str, CrossCheck]) -> None:
    result = checked["id-len-too-short"]
    assert isinstance(result.ours, DecodeError)
    found = compare(result.frame, _decoded(RFC4567_I_MESSAGE))
    assert "payloads[2].data" in {d.field for d in found}


def test_trailing_byte_is_silent_in_tshark_but_not_in_the_comparison(
    checked: dict[str, CrossCheck],
) -> None:
    result = checked["trailing-byte"]
    assert isinstance(result.ours, DecodeError)
    assert not result.frame.malformed and result.frame.errors == []
    found = compare(result.frame, _decoded(RFC4567_I_MESSAGE))
    assert [(d.field, d.ours, d.theirs) for d in found] == [("message.unparsed_bytes", 0, 1)]


def test_wrong_decoding_produces_discrepancies(checked: dict[str, CrossCheck]) -> None:
    frame = checked["rfc4567-i-message"].frame
    ours = _decoded(RFC4567_I_MESSAGE)
    wrong = dict(ours, hdr=dict(ours["hdr"], csb_id=ours["hdr"]["csb_id"] + 1, v=False))
    wrong["payloads"] = [dict(p) for p in ours["payloads"]]
    wrong["payloads"][1]["rand"] = "00" + ours["payloads"][1]["rand"][2:]
    wrong["payloads"][2]["data"] = b"daisy@duck.com".hex()
    wrong["payloads"][4]["mac"] = "ff" * 20
    fields = {d.field for d in compare(frame, wrong)}
    assert fields == {
        "hdr.csb_id",
        "hdr.v",
        "payloads[1].rand",
        "payloads[2].data",
        "payloads[2].data_len",
        "payloads[3].offset",
        "payloads[4].offset",
        "payloads[4].mac",
    }


def test_reordered_payloads_produce_discrepancies(checked: dict[str, CrossCheck]) -> None:
    ours = _decoded(RFC4567_I_MESSAGE)
    swapped = dict(ours, payloads=[ours["payloads"][1], ours["payloads"][0], *ours["payloads"][2:]])
    fields = {d.field for d in compare(checked["rfc4567-i-message"].frame, swapped)}
    assert {"hdr.next_payload", "payloads[0].type", "payloads[1].type"} <= fields


def test_malformed_flag_is_a_discrepancy(checked: dict[str, CrossCheck]) -> None:
    frame = checked["rand-len-too-long"].frame
    found = compare(frame, _decoded(RFC4567_I_MESSAGE))
    assert "tshark.malformed" in {d.field for d in found}


# --- failure modes of the oracle itself -------------------------------------------


def test_missing_tshark_is_oracle_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TSHARK_ENV, "no-such-tshark-binary")
    with pytest.raises(OracleUnavailable):
        dissect([RFC4567_I_MESSAGE])


def test_empty_batch_needs_no_tshark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TSHARK_ENV, "no-such-tshark-binary")
    assert dissect([]) == []


@pytest.mark.parametrize("fake", ["false", "true"])
def test_failing_tshark_is_tshark_failed(fake: str) -> None:
    binary = shutil.which(fake)
    if binary is None:
        pytest.skip(f"no {fake} binary")
    with pytest.raises(TsharkFailed) as info:
        dissect([RFC4567_I_MESSAGE], tshark=binary)
    assert info.value.returncode == (1 if fake == "false" else None)


def test_deviation_entries_are_documented() -> None:
    for dev in KNOWN_DEVIATIONS:
        assert "RFC " in dev.reason and "tshark" in dev.reason, dev.key
