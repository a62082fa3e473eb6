"""Codec capabilities (suts.base.CodecCapabilities): what they waive, and what they never hide.

A SUT's codec may declare that it lacks payload types, CS ID map types or
encrypted KEMAC data; conformance.checks.codec_lacks says what a message needs
of them. The codec tests are then not applicable to it for the valid messages
that need a gap (the decoder test only when the SUT refuses the message), and
everything else still applies: a fault beside the gap fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from conformance.checks import codec_lacks
from conformance.corpus import valid_samples
from mikey.wire import CsIdMapType, PayloadType
from suts.base import EVERY_PAYLOAD, CodecCapabilities

ROOT = Path(__file__).resolve().parents[2]
CODEC_TESTS = sorted(str(p) for p in (ROOT / "conformance" / "rfc3830").glob("test_codec_*.py"))
SAMPLES = {s.name: s.message for s in valid_samples()}
PARTIAL = CodecCapabilities(
    payloads=EVERY_PAYLOAD - {PayloadType.ERR, PayloadType.GENERAL_EXT},
    cs_id_map_types=frozenset({CsIdMapType.SRTP_ID}),
    encrypted_kemac=False,
)


def test_the_whole_codec_lacks_nothing() -> None:
    assert all(codec_lacks(CodecCapabilities(), m) == [] for m in SAMPLES.values())


def test_each_gap_a_message_needs_is_named_once() -> None:
    assert codec_lacks(PARTIAL, SAMPLES["err-auth-failure"]) == ["the ERR payload (RFC 3830 6.12)"]
    assert codec_lacks(PARTIAL, SAMPLES["hdr-empty-map-rfc4563"]) == [
        "#CS > 0 with the CS ID map type EMPTY (RFC 3830 6.1, RFC 4563 5)",
        "the General Ext payload (RFC 3830 6.15)",
        "encrypted KEMAC Encr data (RFC 3830 4.2.3, 6.2)",
    ]
    assert codec_lacks(PARTIAL, SAMPLES["ext-vendor-id"])[0].startswith("the General Ext")
    for plain in ("kemac-null-mac-null", "kemac-update-no-key-data", "v-psk-null"):
        assert codec_lacks(PARTIAL, SAMPLES[plain]) == []
    no_key_data = CodecCapabilities(payloads=EVERY_PAYLOAD - {PayloadType.KEY_DATA})
    assert codec_lacks(no_key_data, SAMPLES["kemac-null-mac-null"]) == [
        "the Key data sub-payload (RFC 3830 6.13)"
    ]
    assert codec_lacks(no_key_data, SAMPLES["kemac-aes-kw-128-mac-null"]) == []


def run_codec_tests(sut: str, select: str, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    """Exit status and {test ID: journal record} of the codec tests `select` picks."""
    journal = tmp_path / "journal.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *CODEC_TESTS, "--sut", sut, "-k", select,
         "--mikey-journal", str(journal), "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert journal.exists(), (done.stdout + done.stderr)[-3000:]
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    return done.returncode, {r["test_id"]: r for r in records}


def verdicts(records: dict[str, Any], function: str, part: str) -> Counter[str]:
    """The verdicts of `function`'s cases whose parameter contains `part`."""
    return Counter(r["verdict"] for t, r in records.items() if f"::{function}[" in t and part in t)


DECODE, MALFORMED = "test_valid_message_is_decoded", "test_malformed_message_is_rejected"
ENCODE = "test_message_is_encoded_as_rfc3830_section_6_says"


def test_a_refused_gap_is_not_applicable_and_malformed_messages_still_apply(
    tmp_path: Path,
) -> None:
    status, records = run_codec_tests(
        "tests.conformance_codec.partial_suts:refuses_err", "err-", tmp_path
    )
    assert status == 0
    assert set(verdicts(records, DECODE, "[err-")) == {"not-applicable"}
    assert set(verdicts(records, ENCODE, "[err-")) == {"not-applicable"}
    assert set(verdicts(records, MALFORMED, "@err-")) == {"pass"}
    reason = records[f"rfc3830/test_codec_decoder.py::{DECODE}[err-unspecified]"]["reason"]
    assert "does not read the ERR payload (RFC 3830 6.12), and refuses the message" in reason


def test_a_gap_hides_no_fault_beside_it(tmp_path: Path) -> None:
    """Misreading, accepting malformed input or mis-encoding T: each fails despite the gap."""
    status, records = run_codec_tests(
        "tests.conformance_codec.partial_suts:misbehaves_beside_its_gap",
        "err- or t-ntp",
        tmp_path,
    )
    assert status == 1
    assert set(verdicts(records, DECODE, "[err-")) == {"fail"}
    assert set(verdicts(records, MALFORMED, "@err-")) == {"fail"}
    assert set(verdicts(records, ENCODE, "[t-ntp")) == {"fail"}
    assert set(verdicts(records, ENCODE, "[err-")) == {"not-applicable"}
    assert set(verdicts(records, DECODE, "[t-ntp")) == {"pass"}
