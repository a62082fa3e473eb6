"""`mikeyconf build-sut minisip`: the build, its cache, and its one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from suts import load_sut
from suts.base import Profile
from suts.minisip.build import DEFAULT_SOURCE, EXECUTABLE, cache_root, digest
from tests.minisip.conftest import MinisipBuild, tree_state
from tests.subprocess_cli import mikeyconf

ROOT = Path(__file__).resolve().parents[2]


def test_the_shim_is_built_into_the_cache_and_speaks_the_protocol(minisip: MinisipBuild) -> None:
    exe = minisip.built.executable
    assert exe.is_file() and exe.name == EXECUTABLE
    assert exe.parent == cache_root() / f"minisip-{digest(minisip.source)}"
    assert not exe.is_relative_to(minisip.source) and not exe.is_relative_to(ROOT)
    hello = {"id": 1, "op": "hello", "args": {"version": "mikey-shim/1", "profile": {}}}
    done = subprocess.run(
        [str(exe)], input=json.dumps(hello) + "\n", capture_output=True, text=True, timeout=30
    )
    answer = json.loads(done.stdout.splitlines()[0])
    assert answer["id"] == 1 and answer["ok"] is False  # no PSK in that profile
    assert answer["error"]["kind"] == "bad-request"


def test_the_shim_declares_that_it_takes_no_chash(minisip: MinisipBuild) -> None:
    """libmikey aborts on any message with CHASH (docs/minisip.md), so its shim says so and
    the reference leaves the optional CHASH out of the PK I_MESSAGEs it sends as a vehicle."""
    sut = load_sut("minisip", Profile())
    try:
        caps = sut.capabilities()
        assert "PK" in caps.modes and caps.takes_chash is False
    finally:
        sut.close()


def test_the_source_tree_is_left_as_it_was(minisip: MinisipBuild) -> None:
    assert tree_state(minisip.source) == minisip.tree_before


def test_a_second_build_comes_from_the_cache(minisip: MinisipBuild) -> None:
    done = mikeyconf("build-sut", "minisip", "--source", str(minisip.source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{minisip.built.executable} (cached)"
    stamp = json.loads((minisip.built.executable.parent / "build.json").read_text())
    # The cache is keyed by content, so the first build may have come from a copy of the
    # tree at another path (another checkout, another CI directory): only the digest binds.
    assert stamp["digest"] == f"minisip-{digest(minisip.source)}" and stamp["seconds"] > 0
    assert Path(stamp["source"]).name == minisip.source.name


def one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mikeyconf: error: "), lines
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_a_missing_source_tree_is_a_one_line_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-minisip"
    done = mikeyconf("build-sut", "minisip", "--source", str(missing))
    one_line_error(done, str(missing), "not found")


def test_a_tree_that_is_not_minisip_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "libmutil" / "include").mkdir(parents=True)
    done = mikeyconf("build-sut", "minisip", "--source", str(tmp_path))
    one_line_error(done, "no minisip source tree", "libmcrypto/include")


@pytest.mark.skipif(not DEFAULT_SOURCE.is_dir(), reason=f"no minisip source at {DEFAULT_SOURCE}")
def test_a_missing_compiler_names_the_package(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "patch").symlink_to(shutil.which("patch") or "/usr/bin/patch")
    env = {"PATH": str(bin_dir), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = mikeyconf("build-sut", "minisip", "--source", str(DEFAULT_SOURCE), env=env)
    one_line_error(done, "g++ not found", "apt-get install g++")


@pytest.mark.skipif(not DEFAULT_SOURCE.is_dir(), reason=f"no minisip source at {DEFAULT_SOURCE}")
def test_a_missing_header_package_names_the_package(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "g++"  # a compiler that finds no header at all
    fake.write_text("#!/bin/sh\necho 'fatal error: openssl/evp.h: No such file' >&2\nexit 1\n")
    fake.chmod(0o755)
    (bin_dir / "patch").symlink_to(shutil.which("patch") or "/usr/bin/patch")
    env = {"PATH": str(bin_dir), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = mikeyconf("build-sut", "minisip", "--source", str(DEFAULT_SOURCE), env=env)
    one_line_error(done, "<openssl/evp.h> not found", "apt-get install libssl-dev")


def test_sut_minisip_without_source_or_build_says_how_to_build(tmp_path: Path) -> None:
    env = {"MIKEYCONF_MINISIP_SOURCE": str(tmp_path / "none"), "XDG_CACHE_HOME": str(tmp_path)}
    done = mikeyconf("run", "--sut", "minisip", "--out", str(tmp_path / "out"), env=env)
    one_line_error(done, "mikeyconf build-sut minisip --source DIR")
