"""The documentation holds together: README.md stays short, every relative link in README.md
and docs/*.md reaches a file of the repository (and a heading, when it names one), and every
section of docs/design.md that the code cites by name exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DESIGN = ROOT / "docs" / "design.md"
README_MAX_BYTES = 8192

FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", flags=re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", flags=re.S)
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", flags=re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", flags=re.M)

CITED_FILES = ("mikey", "conformance", "suts", "tests", "vectors", "benchmarks", ".ci", "docs")
CITED_SUFFIXES = {".py", ".json", ".md", ".c", ".h", ".toml", ".ini", ""}
CITATION = re.compile(r"docs/design\.md(:?)[ ,]*([\"'])(.{1,300}?)\2", flags=re.S)
STALE = re.compile(r"\bDESIGN\.md\b")


def doc_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The text without fenced code blocks and code spans, where nothing is a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def link_targets(text: str) -> list[str]:
    body = prose(text)
    return INLINE_LINK.findall(body) + REFERENCE_DEF.findall(body)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a Markdown file's headings get (repeats numbered as GitHub does)."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(source: Path, text: str) -> list[str]:
    """What is wrong with the relative links of `text`, read as the file `source`."""
    problems = []
    for target in link_targets(text):
        if SCHEME.match(target) or target.startswith("//"):
            continue  # a URL, not a file of the repository
        path_part, _, anchor = target.partition("#")
        path = (source.parent / path_part).resolve() if path_part else source
        if not path.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not path.exists():
            problems.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and path.is_file() and anchor not in anchors(path):
            problems.append(f"{target}: no heading #{anchor} in {path.relative_to(ROOT)}")
    return problems


def citing_files() -> Iterator[Path]:
    this = Path(__file__).resolve()
    yield README
    for top in CITED_FILES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in CITED_SUFFIXES and path != this:
                yield path


def flatten(quoted: str) -> str:
    """A quotation spread over comment or docstring lines, as one line of words."""
    lines = [re.sub(r"^\s*(#|\*|//)?\s*", "", line) for line in quoted.splitlines()]
    return " ".join(" ".join(lines).split())


def citation_problems(text: str, headings: set[str], design_text: str) -> list[str]:
    """Citations of docs/design.md in `text` that do not resolve: `docs/design.md
    "Section"` must name a heading, `docs/design.md: "words"` must quote its text."""
    problems = []
    for colon, _, quoted in CITATION.findall(text):
        words = flatten(quoted)
        if colon:
            if words not in design_text:
                problems.append(f"quotes {words!r}, which docs/design.md does not say")
        elif words not in headings:
            problems.append(f"cites section {words!r}, which docs/design.md does not have")
    problems += [f"cites {m!r}: say docs/design.md" for m in STALE.findall(text)]
    return problems


def test_readme_is_short() -> None:
    size = README.stat().st_size
    assert size < README_MAX_BYTES, f"README.md is {size} bytes; move detail into docs/"


def test_every_relative_link_resolves() -> None:
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in doc_files()
        for problem in broken_links(path, path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_the_readme_links_every_doc() -> None:
    linked = {
        (README.parent / target.partition("#")[0]).resolve()
        for target in link_targets(README.read_text(encoding="utf-8"))
    }
    missing = [p.relative_to(ROOT) for p in doc_files()[1:] if p.resolve() not in linked]
    assert not missing, f"README.md does not link {missing}"


def test_cited_design_sections_exist() -> None:
    design_text = flatten(DESIGN.read_text(encoding="utf-8"))
    headings = {h.strip() for h in HEADING.findall(DESIGN.read_text(encoding="utf-8"))}
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in citing_files()
        for problem in citation_problems(
            path.read_text(encoding="utf-8", errors="replace"), headings, design_text
        )
    ]
    assert not problems, "\n".join(problems)


def test_the_checks_can_fail() -> None:
    """A missing file, a missing heading and an unknown section are all reported."""
    source = ROOT / "docs" / "example.md"
    text = (
        "[ok](design.md) [gone](no-such-file.md) [anchor](design.md#no-such-heading)\n"
        "[out](../../outside.md) [web](https://example.org/x.md) `[code](nowhere.md)`\n"
    )
    assert broken_links(source, text) == [
        "no-such-file.md: no such file",
        "design.md#no-such-heading: no heading #no-such-heading in docs/design.md",
        "../../outside.md: outside the repository",
    ]
    cite = "docs/" + "design.md"
    text = f'{cite} "The SUT interface" {cite}, "No such section" {cite}: "never said"'
    assert citation_problems(text, {"The SUT interface"}, "what it says") == [
        "cites section 'No such section', which docs/design.md does not have",
        "quotes 'never said', which docs/design.md does not say",
    ]
    assert citation_problems("see " + "DESIGN" + ".md", set(), "") == [
        "cites 'DESIGN.md': say docs/design.md"
    ]
