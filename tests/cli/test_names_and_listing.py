"""Mode and role names in any spelling, `--version`, and `run --list`."""

from __future__ import annotations

import argparse

import pytest

from conformance.cli import build_parser, main
from conformance.names import chooser
from conformance.requirements import MODES, ROLES


@pytest.mark.parametrize(
    ("typed", "mode"),
    [
        ("psk", "PSK"),
        ("Pk", "PK"),
        ("dh", "DH"),
        ("dh-hmac", "DH-HMAC"),
        ("dhhmac", "DH-HMAC"),
        ("DH_HMAC", "DH-HMAC"),
        ("rsa-r", "RSA-R"),
        ("rsar", "RSA-R"),
        ("mikey-sakke", "SAKKE"),
        ("CODEC", "codec"),
    ],
)
def test_mode_spellings(typed: str, mode: str) -> None:
    assert build_parser().parse_args(["run", "--mode", typed]).mode == [mode]
    if mode != "codec":  # no exchange: not a matrix mode
        matrix = build_parser().parse_args(["matrix", "--sut", "builtin", "--mode", typed])
        assert matrix.mode == [mode]


def test_role_spellings() -> None:
    options = build_parser().parse_args(["run", "--role", "Initiator", "--role", "DECODER"])
    assert options.role == ["initiator", "decoder"]
    assert build_parser().parse_args(["fuzz", "--role", "Responder"]).role == "responder"


def test_every_canonical_name_is_its_own_spelling() -> None:
    for names, kind in ((MODES, "mode"), (ROLES, "role")):
        choose = chooser(names, kind)
        assert [choose(n) for n in names] == list(names)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="unknown mode 'pskk': one of PSK, PK"):
        chooser(MODES, "mode")("pskk")


def test_codec_is_not_a_matrix_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "--sut", "builtin", "--mode", "codec"]) == 2
    assert "unknown mode 'codec'" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out = capsys.readouterr().out.split()
    assert out[0] == "mikeyconf" and out[1][0].isdigit()


def listed(capsys: pytest.CaptureFixture[str], *argv: str) -> list[list[str]]:
    assert main(["run", "--list", *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    count = int(lines[-1].split()[0])
    rows = [line.split() for line in lines[:-1]]
    assert len(rows) == count
    return rows


def test_list_prints_the_selected_tests_and_runs_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: pytest.TempPathFactory
) -> None:
    rows = listed(capsys, "--mode", "dh-hmac", "--role", "initiator")
    assert rows and all(r[1:3] == ["DH-HMAC", "initiator"] for r in rows)
    assert all(r[3].startswith("RFC") for r in rows)
    everything = listed(capsys)
    assert len(everything) > 5 * len(rows)
    assert {r[1] for r in everything} >= {"PSK", "PK", "DH", "DH-HMAC", "RSA-R", "SAKKE"}


def test_list_by_requirement(capsys: pytest.CaptureFixture[str]) -> None:
    rows = listed(capsys, "--requirement", "RFC3830-5.4-replay")
    assert rows and all("RFC3830-5.4-replay" in r[3:] for r in rows)
