"""The RFC 6507/6508/6509 appendix data in vectors/ is the RFCs' own, digit for digit.

Each hex value of rfc6507-eccsi.json and rfc6508-sakke.json must be one whole run of hex
digits of the RFC's Appendix A once the page layout and all whitespace are taken out:
a wrong, missing or extra digit (or a value cut short) is not such a run. The RFC texts
are the vendored copies in conformance/requirements/rfc/ (checked against ../shared/rfc).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conformance.requirements.rfctext import rfc_text, strip_pagination
from tests.crypto.vectors import load

SHARED_RFC = Path(__file__).resolve().parents[3] / "shared" / "rfc"
NOT_HEX = {"type", "comment", "flags", "result", "hash", "source", "tests"}
FILES = ["rfc6507-eccsi.json", "rfc6508-sakke.json"]


def appendix_runs(rfc: int) -> set[str]:
    """The maximal runs of hex digits in RFC `rfc`'s Appendix A, layout and spaces removed."""
    text = strip_pagination(rfc_text(rfc))
    appendix = text[text.index("\nAppendix A.") : text.index("\nAuthor's Address")]
    return set(re.findall(r"[0-9a-f]+", re.sub(r"\s+", "", appendix).lower()))


def hex_values(node: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, value) for every hex field of a group or test (lists give field[i])."""
    found: list[tuple[str, str]] = []
    for key, value in node.items():
        if key in NOT_HEX or isinstance(value, int):
            continue
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            assert isinstance(item, str), key
            found.append((key if len(items) == 1 else f"{key}[{i}]", item))
    return found


def transcribed(name: str) -> list[Any]:
    data = load(name)
    params = []
    for group in data["testGroups"]:
        cited = re.search(r"RFC (\d+)", group.get("source", data["source"]))
        assert cited is not None, group["type"]
        rfc = int(cited.group(1))
        for node in [group, *group["tests"]]:
            where = f"tcId {node['tcId']}" if "tcId" in node else group["type"]
            for field, value in hex_values(node):
                params.append(pytest.param(rfc, value, id=f"{name}:{where}:{field}"))
    return params


@pytest.mark.parametrize(("rfc", "value"), [p for f in FILES for p in transcribed(f)])
def test_value_is_verbatim_in_the_rfc_appendix(rfc: int, value: str) -> None:
    assert re.fullmatch(r"[0-9a-f]+", value), "lower-case hex expected"
    assert value in appendix_runs(rfc)


def test_the_check_catches_a_wrong_digit_and_a_short_value() -> None:
    runs = appendix_runs(6507)
    ssk = "23f374ae1f4033f3e9dbddaaef20f4cf0b86bbd5a138a5ae9e7e006b34489a0d"
    assert ssk in runs
    assert ssk.replace("23f3", "23f4") not in runs
    assert ssk[:-2] not in runs


@pytest.mark.skipif(not SHARED_RFC.is_dir(), reason="no ../shared/rfc beside the clone")
@pytest.mark.parametrize("rfc", [6507, 6508, 6509])
def test_vendored_rfc_is_the_shared_copy(rfc: int) -> None:
    assert rfc_text(rfc) == (SHARED_RFC / f"rfc{rfc}.txt").read_text(encoding="ascii")
