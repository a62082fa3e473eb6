"""The vendored RFC texts the catalog quotes, as the catalog quotes them.

The catalog's "text" of an entry is a sentence of the RFC with its layout taken
out (docs/design.md "Requirement IDs and verdicts"):

- page breaks go: the footer line ("... [Page N]"), the form feed and the
  running header ("RFC 3830   MIKEY   August 2004") after it, so a sentence that
  spans a page break reads as one;
- a line that ends in a hyphen between two word characters is joined to the next
  line without a space: the RFC wraps lines at a compound's hyphen
  ("pre-" / "shared" reads "pre-shared"), never by hyphenating a word;
- any run of whitespace becomes a single space.

`sections()` cuts the text at its section headings ("6.1.  Common Header ...",
at column 0) and gives each section its own body only, without its sub-sections.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

KEYWORD_RE = re.compile(
    r"\b(?:MUST NOT|SHALL NOT|SHOULD NOT|MUST|SHALL|SHOULD|REQUIRED|RECOMMENDED|MANDATORY)\b"
)
"""BCP 14 (RFC 2119) keywords that make a sentence MUST- or SHOULD-level."""

_FOOTER_RE = re.compile(r"^\S.*\[Page \d+\]\s*$")
_HEADER_RE = re.compile(r"^RFC \d+ ")
_HEADING_RE = re.compile(r"^(\d+(?:\.\d+)*)\.\s+\S", re.MULTILINE)
_WRAPPED_HYPHEN_RE = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)")
_SPACE_RE = re.compile(r"\s+")


def strip_pagination(text: str) -> str:
    """`text` without page footers, form feeds and the running header after each."""
    kept: list[str] = []
    after_form_feed = False
    for line in text.split("\n"):
        if "\f" in line:
            after_form_feed = True
            line = line.replace("\f", "")
            if not line.strip():
                continue
        if after_form_feed and _HEADER_RE.match(line):
            after_form_feed = False
            continue
        after_form_feed = after_form_feed and not line.strip()
        if _FOOTER_RE.match(line):
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def normalize(text: str) -> str:
    """`text` on one line: wrapped hyphens joined, whitespace runs made single spaces."""
    return _SPACE_RE.sub(" ", _WRAPPED_HYPHEN_RE.sub("-", text)).strip()


@functools.cache
def rfc_text(rfc: int) -> str:
    """The vendored text of RFC `rfc` (conformance/requirements/rfc/rfc<N>.txt), as is."""
    source = resources.files("conformance.requirements").joinpath("rfc", f"rfc{rfc}.txt")
    return source.read_text(encoding="ascii")


def split_sections(text: str) -> dict[str, str]:
    """Section number -> normalized body (heading line excluded, sub-sections excluded).

    Only headings at column 0 count, so the table of contents (indented) does not.
    """
    body = strip_pagination(text)
    headings = list(_HEADING_RE.finditer(body))
    result: dict[str, str] = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        start = body.index("\n", heading.start()) + 1
        end = following.start() if following is not None else len(body)
        result[heading.group(1)] = normalize(body[start:end])
    return result


@functools.cache
def sections(rfc: int) -> dict[str, str]:
    """The sections of the vendored RFC `rfc` (see `split_sections`)."""
    return split_sections(rfc_text(rfc))


def spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) at which `needle` occurs in `haystack`, overlaps included."""
    found: list[tuple[int, int]] = []
    start = haystack.find(needle)
    while needle and start >= 0:
        found.append((start, start + len(needle)))
        start = haystack.find(needle, start + 1)
    return found
