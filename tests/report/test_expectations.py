"""Expectations files: loading with one-line errors, the schema, matching, the default file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.expectations import (
    SCHEMA_PATH,
    Deviation,
    ExpectationsError,
    default_path,
    load,
    parse,
    resolve,
    sut_name,
)
from tests.report.journals import MAC

TEST = "rfc3830/test_psk_responder.py::test_rejects_a_message_whose_mac_does_not_verify"


def entry(**changes: object) -> dict[str, Any]:
    return {"test": f"{TEST}[mac]", "requirements": [MAC], "reason": "skips the MAC", **changes}


def document(*entries: object, **changes: object) -> dict[str, Any]:
    return {"sut": "mutant", "description": "a test", "deviations": list(entries), **changes}


def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document(entry(), entry(test="a.py::*", reason=" two\n words "))))
    found = load(path, {MAC})
    assert found.sut == "mutant" and found.description == "a test" and found.path == path
    assert [(d.number, d.test, d.reason) for d in found.deviations] == [
        (1, f"{TEST}[mac]", "skips the MAC"),
        (2, "a.py::*", "two words"),
    ]
    assert found.deviations[0].requirements == (MAC,)
    assert schema_validator().is_valid(document(entry(), entry(test="a.py::*")))


BAD: list[tuple[object, str]] = [
    ([], "x.json: must hold a JSON object"),
    (document(sut=""), "'sut' must be a non-empty string"),
    (document(extra=1), "unknown key(s) extra"),
    (document(description=3), "'description' must be a string"),
    ({"sut": "s", "deviations": {}}, "'deviations' must be a list"),
    (document("nope"), "entry 1: must be a JSON object"),
    (document(entry(test="")), "entry 1: 'test' must be a non-empty string"),
    (document(entry(), entry(reason=" ")), f"entry 2 ('{TEST}[mac]'): 'reason' must be"),
    (document(entry(requirements=[])), "'requirements' must be a non-empty list"),
    (document(entry(requirements=MAC)), "'requirements' must be a non-empty list"),
    (document(entry(requirements=["MAC"])), "not a requirement ID: 'MAC'"),
    (document(entry(why="x")), "entry 1 ('" + TEST + "[mac]'): unknown key(s) why"),
]


@pytest.mark.parametrize(("data", "says"), BAD)
def test_bad_files_are_one_line_errors_naming_file_and_entry(
    tmp_path: Path, data: object, says: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ExpectationsError) as raised:
        load(path)
    message = str(raised.value)
    assert message.startswith(f"expectations {path}: ") and "\n" not in message
    assert says in message
    assert not schema_validator().is_valid(data)  # the schema says the same


def test_what_only_the_loader_checks(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    with pytest.raises(ExpectationsError, match=r"entry 2 \(.*\): the same test as entry 1"):
        parse(path, document(entry(), entry()))
    unknown = "RFC3830-5.3-no-such-rule"
    with pytest.raises(ExpectationsError, match=f"entry 1 .*: unknown requirement {unknown}"):
        parse(path, document(entry(requirements=[unknown])), {MAC})


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ExpectationsError, match=r"absent\.json: cannot read it"):
        load(tmp_path / "absent.json")
    (tmp_path / "junk.json").write_text('{"sut": ', encoding="utf-8")
    with pytest.raises(ExpectationsError, match=r"junk.json: not valid JSON: .*line 1"):
        load(tmp_path / "junk.json")


@pytest.mark.parametrize(
    ("pattern", "test_id", "matches"),
    [
        (f"{TEST}[mac]", f"{TEST}[mac]", True),  # brackets taken literally
        (f"{TEST}[mac]", f"{TEST}[rand]", False),
        (f"{TEST}[*]", f"{TEST}[rand]", True),  # every parameter
        (f"{TEST}[*]", TEST, False),
        (f"{TEST}*", f"{TEST}[csb-id]", True),
        ("rfc3830/test_psk_*.py::*", f"{TEST}[mac]", True),
        ("rfc3830/test_codec_?ecoder.py::*", "rfc3830/test_codec_decoder.py::t", True),
        ("rfc3830/test_codec_[de]*.py::*", "rfc3830/test_codec_encoder.py::t", True),
        ("rfc3830/test_codec_[de]*.py::*", "rfc3830/test_psk_responder.py::t", False),
        (TEST, TEST.upper(), False),  # case matters
    ],
)
def test_matching(pattern: str, test_id: str, matches: bool) -> None:
    assert Deviation(1, pattern, (MAC,), "why").matches(test_id) is matches


def test_match_and_unmatched() -> None:
    found = parse(Path("x.json"), document(entry(), entry(test="nothing.py::*")))
    assert found.match(f"{TEST}[mac]") == found.deviations[0]
    assert found.match(f"{TEST}[rand]") is None
    assert found.unmatched([f"{TEST}[mac]", f"{TEST}[rand]"]) == [found.deviations[1]]


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("builtin", "builtin"),
        ("gstreamer", "gstreamer"),
        ("gstreamer:/usr/lib/libgstsdp-1.0.so.0", "gstreamer"),
        ("shim:python -m suts.shim.reference", "shim"),
        ("udp:127.0.0.1:2269", "udp"),
        ("tests.mutants.bank:skips_mac_check", None),
    ],
)
def test_the_sut_short_name(spec: str, name: str | None) -> None:
    assert sut_name(spec) == name


def test_the_default_file_is_used_when_it_exists(tmp_path: Path) -> None:
    assert default_path("gstreamer", tmp_path) is None
    (tmp_path / "gstreamer.json").write_text("{}", encoding="utf-8")
    assert default_path("gstreamer:/x.so", tmp_path) == tmp_path / "gstreamer.json"
    assert default_path("tests.mutants.bank:x", tmp_path) is None


def test_resolve_prefers_the_explicit_file_and_obeys_no_expectations(tmp_path: Path) -> None:
    assert resolve("builtin", "x.json", disabled=False) == Path("x.json").resolve()
    assert resolve("builtin", None, disabled=True) is None
    assert resolve("tests.mutants.bank:x", None, disabled=False) is None
