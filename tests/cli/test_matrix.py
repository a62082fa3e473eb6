"""`mikeyconf matrix`: pairs of SUTs through the SUT interface; cells, JSON, HTML, text."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.cli import main
from conformance.interop import HAVE_LIBSRTP
from conformance.matrix import MATRIX_SCHEMA
from suts.builtin import BINDINGS
from tests.cli.odd_suts import DIED
from tests.cli.test_cli import one_line_error

BUILTIN = "builtin"
WRONG_KEYS = "tests.mutants.bank:wrong_prf_label"  # its responder exports a wrong TEK
DIES = "tests.cli.odd_suts:fails_as_responder"
DECODER = "tests.cli.odd_suts:decoder_only"
KEEPS_KEYS = "tests.cli.odd_suts:keeps_keys"


def matrix(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    *suts: str,
    modes: tuple[str, ...] = ("PSK",),
) -> tuple[int, dict[str, Any], str]:
    """`mikeyconf matrix` over `suts`, PSK only unless `modes` says otherwise (() = all)."""
    argv = ["matrix", "--out", str(tmp_path), "--run-id", "m"]
    for mode in modes:
        argv += ["--mode", mode]
    for sut in suts:
        argv += ["--sut", sut]
    status = main(argv)
    document = json.loads((tmp_path / "m" / "matrix.json").read_text(encoding="utf-8"))
    schema = json.loads(MATRIX_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    return status, document, capsys.readouterr().out


def cell(document: dict[str, Any], initiator: str, responder: str) -> dict[str, Any]:
    (found,) = [
        c for c in document["cells"]
        if (c["initiator"], c["responder"], c["mode"]) == (initiator, responder, "PSK")
    ]  # fmt: skip
    return found


def test_every_ordered_pair_gets_a_cell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, document, out = matrix(capsys, tmp_path, BUILTIN, WRONG_KEYS, DIES, DECODER, KEEPS_KEYS)
    assert status == 1
    assert document["modes"] == ["PSK"] and len(document["cells"]) == 25
    good = cell(document, BUILTIN, BUILTIN)
    assert good["verdict"] == "pass" and good["keys"] == "equal"
    assert good["srtp"] == ("ok" if HAVE_LIBSRTP else "not-run")
    differ = cell(document, BUILTIN, WRONG_KEYS)
    assert differ["verdict"] == "fail" and differ["keys"] == "differ"
    assert differ["reason"] == "crypto session 1: the two sides' SRTP master key differs"
    assert cell(document, WRONG_KEYS, BUILTIN)["verdict"] == "pass"  # its initiator is right
    died = cell(document, BUILTIN, DIES)
    assert died["verdict"] == "fail"
    assert died["reason"] == f"{DIES} respond failed: SutFailure: {DIED}"
    assert cell(document, DIES, BUILTIN)["verdict"] == "pass"
    na = cell(document, DECODER, BUILTIN)
    assert na["verdict"] == "not-applicable"
    assert na["reason"] == f"{DECODER} does not play the initiator role"
    unchecked = cell(document, KEEPS_KEYS, BUILTIN)
    assert unchecked["verdict"] == "pass" and unchecked["keys"] == "not-compared"
    assert document["totals"] == {"pass": 9, "fail": 7, "not-applicable": 9}

    lines = out.splitlines()
    mode = lines.index("Mode PSK (rows initiate, columns respond):")
    assert lines[mode + 1].split() == ["[1]", "[2]", "[3]", "[4]", "[5]"]
    assert lines[mode + 2].split() == ["[1]", "pass", "FAIL", "FAIL", "n/a", "pass"]
    assert lines[mode + 5].split() == ["[4]", "n/a", "n/a", "n/a", "n/a", "n/a"]
    assert "  PSK [1] -> [2]: crypto session 1: the two sides' SRTP master key differs" in lines
    assert lines[-1] == "Exit status 1."


def test_the_html_matrix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    matrix(capsys, tmp_path, BUILTIN, DIES)
    page = (tmp_path / "m" / "matrix.html").read_text(encoding="utf-8")
    assert "<h2>Mode PSK</h2>" in page and page.count('<table class="matrix">') == 1
    table = page.split('<table class="matrix">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th[^>]*>(\[\d\])</th>(.*?)</tr>", table)
    assert [label for label, _ in rows] == ["[1]", "[2]"]
    verdicts = [re.findall(r'class="v v-([a-z-]+)"', cells) for _, cells in rows]
    assert verdicts == [["pass", "fail"], ["pass", "fail"]]
    assert "&lt;stderr: segfault&gt;" in page and "<stderr" not in page  # escaped
    for external in ("<script", "<link", "src=", "http://"):
        assert external not in page


def test_a_clean_matrix_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, document, _ = matrix(capsys, tmp_path, BUILTIN, KEEPS_KEYS)
    assert status == 0 and document["totals"] == {"pass": 4, "fail": 0, "not-applicable": 0}


def test_every_mode_of_the_reference_interoperates_with_itself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, document, _ = matrix(capsys, tmp_path, BUILTIN, modes=())
    assert status == 0, document
    assert set(document["modes"]) == set(BINDINGS)
    assert all(c["verdict"] == "pass" and c["keys"] == "equal" for c in document["cells"])


def test_nothing_to_play_is_a_harness_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, document, out = matrix(capsys, tmp_path, DECODER)
    assert status == 2 and document["totals"]["not-applicable"] == 1
    assert out.rstrip().endswith("Exit status 2.")


@pytest.mark.parametrize(
    ("suts", "says"),
    [
        (["nosuch"], "--sut nosuch: unknown SUT 'nosuch'"),
        ([BUILTIN, BUILTIN], "--sut builtin is given twice"),
        ([], "the following arguments are required: --sut"),
    ],
)
def test_bad_suts_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suts: list[str], says: str
) -> None:
    argv = ["matrix", "--out", str(tmp_path)]
    for sut in suts:
        argv += ["--sut", sut]
    assert says in one_line_error(capsys, argv)
    assert not any(tmp_path.iterdir())
