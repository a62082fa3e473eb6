"""The requirements catalog loads, is well-formed, and its loader rejects bad entries."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from conformance.requirements import (
    ID_RE,
    LEVELS,
    MODES,
    ROLES,
    CatalogError,
    Requirement,
    load,
    parse,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = resources.files("conformance.requirements")
SHARED_RFC = ROOT.parent / "shared" / "rfc"


def raw(rfc: int = 3830) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PACKAGE.joinpath(f"rfc{rfc}.json").read_text("utf-8"))
    return data


def test_catalog_loads() -> None:
    catalog = load()
    assert len(catalog) >= 100
    assert all(isinstance(r, Requirement) for r in catalog.values())
    assert all(key == r.id for key, r in catalog.items())


def test_load_by_rfc() -> None:
    assert load(3830) == {k: v for k, v in load().items() if v.rfc == 3830}
    with pytest.raises(CatalogError, match="no catalog for RFC 9999"):
        load(9999)


def test_ids_are_unique_and_well_formed() -> None:
    ids = [entry["id"] for entry in raw()["requirements"]]
    assert len(ids) == len(set(ids)), "duplicate ids in rfc3830.json"
    for req in load().values():
        match = ID_RE.match(req.id)
        assert match, req.id
        assert (int(match.group(1)), match.group(2)) == (req.rfc, req.section), req.id


def test_levels_modes_and_roles_are_known() -> None:
    for req in load().values():
        assert req.level in LEVELS
        assert set(req.modes) <= set(MODES) and set(req.roles) <= set(ROLES)
        assert req.testable == (req.untestable_reason is None), req.id


def test_the_examples_of_the_brief_and_design_exist() -> None:
    catalog = load()
    hdr = catalog["RFC3830-6.1-hdr-first"]
    assert hdr.level == "MUST" and hdr.section == "6.1" and "codec" in hdr.modes
    assert hdr.text == (
        "The Common Header payload MUST always be present as the first payload in each message."
    )
    assert catalog["RFC3830-6.11-rand-length-16"].level == "SHOULD"
    assert catalog["RFC3830-6.1-v-ignored-dh"].level == "MUST"  # SHALL, normalized
    assert catalog["RFC3830-4.5-update-no-rand"].level == "MUST NOT"
    assert catalog["RFC3830-5.4-replay"].roles == ("responder",)


def test_split_sentences_share_their_text() -> None:
    """One sentence holding two rules is two entries with the same text (brief)."""
    catalog = load()
    pairs = [
        ("RFC3830-4.5-update-same-csb-id", "RFC3830-4.5-update-new-timestamp"),
        ("RFC3830-6.1-v-ignored-dh", "RFC3830-6.1-dh-response-mandatory"),
        ("RFC3830-5.4-replay", "RFC3830-5.4-timestamp-window"),
    ]
    for first, second in pairs:
        assert catalog[first].text == catalog[second].text


def test_catalog_matches_its_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(PACKAGE.joinpath("catalog.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(raw())


def test_schema_enums_are_the_loaders() -> None:
    """The schema documents exactly the levels, modes and roles load() accepts."""
    schema = json.loads(PACKAGE.joinpath("catalog.schema.json").read_text("utf-8"))
    props = schema["$defs"]["requirement"]["properties"]
    assert tuple(props["level"]["enum"]) == LEVELS
    assert tuple(props["modes"]["items"]["enum"]) == MODES
    assert tuple(props["roles"]["items"]["enum"]) == ROLES
    schema_id = re.compile(props["id"]["pattern"])
    samples = [
        "RFC3830-6.1-hdr-first",
        "RFC3830-6-x",
        "RFC4563-4.1-a1-b2",
        "RFC3830-6.1-",
        "RFC3830-6.1-Hdr",
        "RFC3830-6.1.-x",
        "rfc3830-6.1-x",
        "RFC3830-6.1-a--b",
    ]
    for sample in samples:
        assert bool(schema_id.match(sample)) == bool(ID_RE.match(sample)), sample


@pytest.mark.skipif(not SHARED_RFC.is_dir(), reason="no ../shared/rfc beside the clone")
@pytest.mark.parametrize(
    "name", ["rfc3830.txt", "rfc4563.txt", "rfc4567.txt", "rfc4650.txt", "rfc4738.txt"]
)
def test_vendored_rfc_is_the_shared_copy(name: str) -> None:
    assert PACKAGE.joinpath("rfc", name).read_bytes() == (SHARED_RFC / name).read_bytes()


def test_every_cited_requirement_is_in_the_catalog() -> None:
    """IDs the conformance tests and the mutant bank cite all exist."""
    cited = re.compile(r"[\"'](RFC\d+-\d+(?:\.\d+)*-[a-z0-9-]+)[\"']")
    sources = [*(ROOT / "conformance").rglob("*.py"), *(ROOT / "tests" / "mutants").rglob("*.py")]
    catalog = load()
    unknown = sorted(
        f"{path.relative_to(ROOT)}: {req_id}"
        for path in sources
        for req_id in cited.findall(path.read_text(encoding="utf-8"))
        if req_id not in catalog
    )
    assert not unknown, "cited but not in the catalog:\n" + "\n".join(unknown)


# ---- the loader's validation ----

GOOD = raw()["requirements"][0]


def document(*entries: object) -> dict[str, Any]:
    return {"rfc": 3830, "requirements": list(entries)}


def changed(**fields: Any) -> dict[str, Any]:
    entry = copy.deepcopy(GOOD)
    for key, value in fields.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def test_a_good_document_parses() -> None:
    parsed = parse(document(GOOD), "t.json")
    assert list(parsed) == [GOOD["id"]]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: document(GOOD, GOOD), "duplicate id"),
        (lambda: document(changed(level="SHALL")), "bad level 'SHALL'"),
        (lambda: document(changed(modes=["PSK", "XYZ"])), "unknown mode 'XYZ'"),
        (lambda: document(changed(roles=["server"])), "unknown role 'server'"),
        (lambda: document(changed(section="3.2")), "does not match RFC 3830 section 3.2"),
        (lambda: document(changed(id="RFC3830-3-Bad_Name")), "does not read RFC<number>"),
        (lambda: document(changed(text=None)), "missing text"),
        (lambda: document(changed(text="  ")), "'text' must be a non-empty string"),
        (lambda: document(changed(text="two  spaces")), "whitespace collapsed"),
        (lambda: document(changed(rfc=4563)), "is not the file's RFC 3830"),
        (lambda: document(changed(testable=False)), "untestable_reason"),
        (lambda: document(changed(untestable_reason="why")), "a testable entry has no"),
        (lambda: document(changed(modes=[])), "at least one mode"),
        (lambda: document(changed(extra=1)), "unknown field(s) extra"),
        (lambda: document(changed(modes=["PSK", "PSK"])), "lists a value twice"),
        (lambda: document("not an entry"), "must be a JSON object"),
        (lambda: {"rfc": 3830, "requirements": []}, "non-empty list"),
        (lambda: {"rfc": "3830", "requirements": [GOOD]}, "positive integer"),
        (lambda: {**document(GOOD), "notes": "x"}, "unknown top-level field(s) notes"),
    ],
)
def test_bad_documents_are_rejected_naming_file_and_entry(
    make: Callable[[], dict[str, Any]], message: str
) -> None:
    with pytest.raises(CatalogError) as raised:
        parse(make(), "bad.json")
    text = str(raised.value)
    assert text.startswith("bad.json: ") and message in text, text


def test_the_error_names_the_entry() -> None:
    with pytest.raises(CatalogError, match=r"bad\.json: entry 1 \(RFC3830-3-x\): bad level"):
        parse(document(GOOD, changed(id="RFC3830-3-x", level="REQUIRED")), "bad.json")


def test_file_name_and_rfc_must_agree() -> None:
    with pytest.raises(CatalogError, match="the file name says 4563"):
        parse(document(GOOD), "rfc4563.json", 4563)
