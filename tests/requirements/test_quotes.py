"""Every catalog quote is the RFC's own sentence, and every keyword sentence is quoted.

The RFC is read from the vendored copy (conformance/requirements/rfc/), laid out as the
catalog quotes it (conformance/requirements/rfctext.py).
"""

from __future__ import annotations

import re

import pytest

from conformance.requirements import Requirement, load
from conformance.requirements.rfctext import (
    KEYWORD_RE,
    normalize,
    sections,
    spans,
    split_sections,
    strip_pagination,
)

CATALOG = load()

SCOPE = {3830: ("3", "4", "5", "6"), 4650: ("3", "4", "5")}
"""RFC -> the top-level sections its catalog covers completely."""

EXCLUDED: dict[tuple[int, str, str], str] = {
    (
        3830,
        "6.4",
        'Notice that in this sub-section, "MANDATORY" is conditioned upon DH being supported.',
    ): (
        "mentions the keyword in quotes to scope the 'Mandatory' markings of Table 6.4 to "
        "implementations that support DH; it states no rule of its own (the rule is "
        "RFC3830-4.2.7-oakley5-mandatory)"
    ),
}
"""Keyword sentences deliberately not in the catalog: (RFC, section, sentence) -> why."""

LEVEL_KEYWORDS = {
    "MUST": re.compile(r"\b(?:MUST|SHALL|REQUIRED|MANDATORY)\b(?! NOT)"),
    "MUST NOT": re.compile(r"\b(?:MUST|SHALL) NOT\b"),
    "SHOULD": re.compile(r"\b(?:SHOULD|RECOMMENDED)\b(?! NOT)"),
    "SHOULD NOT": re.compile(r"\bSHOULD NOT\b"),
    "MAY": re.compile(r"\b(?:MAY|OPTIONAL)\b"),
}
"""The BCP 14 keywords each normalized level comes from."""


def in_scope(rfc: int, section: str) -> bool:
    return section.split(".")[0] in SCOPE.get(rfc, ())


@pytest.mark.parametrize("req", CATALOG.values(), ids=lambda r: r.id)
def test_text_is_quoted_verbatim_from_its_section(req: Requirement) -> None:
    body = sections(req.rfc).get(req.section)
    assert body is not None, f"RFC {req.rfc} has no section {req.section}"
    assert req.text in body, f"{req.id}: text not found in RFC {req.rfc} section {req.section}"


@pytest.mark.parametrize("req", CATALOG.values(), ids=lambda r: r.id)
def test_level_agrees_with_the_keywords_of_the_text(req: Requirement) -> None:
    """A keyword entry quotes a keyword of its level; a derived one has none to quote."""
    has_keyword = LEVEL_KEYWORDS[req.level].search(req.text) is not None
    if req.derived:
        assert not has_keyword, f"{req.id} is marked derived but its text says {req.level}"
    else:
        assert has_keyword, f"{req.id}: level {req.level} but no such keyword in its text"


@pytest.mark.parametrize("rfc", sorted(SCOPE))
def test_every_keyword_sentence_in_scope_is_catalogued(rfc: int) -> None:
    """Each BCP 14 keyword in the covered sections lies inside some entry's quote of that
    section, or inside a sentence EXCLUDED for a stated reason."""
    quotes: dict[str, list[str]] = {}
    for req in CATALOG.values():
        if req.rfc == rfc:
            quotes.setdefault(req.section, []).append(req.text)
    for (excl_rfc, section, sentence), _reason in EXCLUDED.items():
        if excl_rfc == rfc:
            quotes.setdefault(section, []).append(sentence)
    uncovered = []
    for section, body in sections(rfc).items():
        if not in_scope(rfc, section):
            continue
        covered = [span for text in quotes.get(section, []) for span in spans(body, text)]
        for keyword in KEYWORD_RE.finditer(body):
            if not any(a <= keyword.start() and keyword.end() <= b for a, b in covered):
                context = body[max(0, keyword.start() - 80) : keyword.end() + 40]
                uncovered.append(f"{section}: {keyword.group()}: ...{context}...")
    assert not uncovered, "keyword sentences not in the catalog:\n" + "\n".join(uncovered)


@pytest.mark.parametrize("key", sorted(EXCLUDED), ids=lambda k: f"RFC{k[0]}-{k[1]}")
def test_each_exclusion_is_a_keyword_sentence_of_its_section(key: tuple[int, str, str]) -> None:
    rfc, section, sentence = key
    assert sentence in sections(rfc).get(section, ""), f"stale exclusion: {sentence!r}"
    assert KEYWORD_RE.search(sentence), f"exclusion without a keyword: {sentence!r}"
    assert EXCLUDED[key].strip(), "an exclusion needs its reason"


def test_scope_sections_exist_and_have_entries() -> None:
    for rfc, tops in SCOPE.items():
        present = {s.split(".")[0] for s in sections(rfc)}
        assert set(tops) <= present
        catalogued = {r.section.split(".")[0] for r in CATALOG.values() if r.rfc == rfc}
        assert set(tops) <= catalogued, f"RFC {rfc}: a covered section has no entry"


# ---- the layout rules the quotes rely on (rfctext) ----

PAGE = (
    "   The Common Header payload MUST always be present as the first\n"
    "   payload in each message.  A pre-\n"
    "   shared key is\n"
    "\n"
    "\n"
    "Arkko, et al.               Standards Track                    [Page 32]\n"
    "\f\n"
    "RFC 3830                         MIKEY                       August 2004\n"
    "\n"
    "\n"
    "   used.\n"
)


def test_page_breaks_are_removed() -> None:
    stripped = strip_pagination(PAGE)
    assert "[Page" not in stripped
    assert "\f" not in stripped
    assert "August 2004" not in stripped


def test_a_sentence_across_a_page_break_reads_as_one() -> None:
    text = normalize(strip_pagination(PAGE))
    assert text == (
        "The Common Header payload MUST always be present as the first payload in each "
        "message. A pre-shared key is used."
    )


def test_hyphen_joining_keeps_real_spacing() -> None:
    assert normalize("a 128-\n   bit key") == "a 128-bit key"
    assert normalize("+-+-+-+\n   ! next") == "+-+-+-+ ! next"
    assert normalize("  value -\n  1") == "value - 1"


def test_sections_are_cut_at_column_zero_headings_only() -> None:
    text = (
        "Table of Contents\n"
        "   6.1.  Common Header ....... 32\n"
        "6.  Payload Encoding\n"
        "   Intro.\n"
        "6.1.  Common Header payload (HDR)\n"
        "   Header text.\n"
        "6.1.1.  SRTP ID\n"
        "   Map text.\n"
    )
    assert split_sections(text) == {"6": "Intro.", "6.1": "Header text.", "6.1.1": "Map text."}


def test_vendored_rfc_3830_has_its_sections() -> None:
    found = sections(3830)
    for number in ("3", "3.1", "4.1.3", "5.4", "6.1", "6.1.1", "6.15"):
        assert found[number], number
    assert found["6.1"].startswith("The Common Header payload MUST always be present")
    assert "Policy_no_1" not in found["6.1"], "6.1 must stop before 6.1.1"
