"""Build minisip's libmikey and our shim over it, reproducibly, outside the source tree.

The source tree (any checkout of csd/minisip; the project's snapshot is
`<repo>/../shared/third_party/minisip`) is only read: its libmutil, libmcrypto
(OpenSSL backend) and libmikey sources are copied into a work directory, the
project's patches (suts/minisip/patches/, each explained in its header) are applied
to the copy, and g++ compiles the files below and our shim (suts/minisip/shim/) in
parallel, without autotools, into one executable. The result lives in
`$XDG_CACHE_HOME/mikeyconf/minisip-<digest>` (default `~/.cache/...`), the digest
covering the sources, patches, shim and flags, so a change to any of them builds
afresh and an unchanged tree is built once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATCHES = HERE / "patches"
SHIM_DIR = HERE / "shim"
REPO = HERE.parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "third_party" / "minisip"
EXECUTABLE = "mikey_minisip_shim"
STAMP = "build.json"

LIBRARIES = ("libmutil", "libmcrypto", "libmikey")
MUTIL = tuple(
    f"libmutil/source/{name}.cxx"
    for name in [
        "CriticalSection",
        "MemObject",
        "Exception",
        "massert",
        "IString",
        "dbg",
        "merror",
        "Timestamp",
        "mtime",
        "mtimePosix",
        "stringutils",
        "MutexPosix",
        "ThreadPosix",
        "CondVarPosix",
        "SemaphorePosix",
        "CacheItem",
        "SipUri",
        "FileSystem",
        "FileSystemUtils",
    ]
)
MCRYPTO = tuple(
    f"libmcrypto/source/{name}.cxx"
    for name in [
        "aes",
        "cert",
        "init",
        "base64",
        "SipSim",
        "SipSimSoft",
        "rijndael-alg-fst",
        "openssl/init",
        "openssl/aes",
        "openssl/cert",
        "openssl/OakleyDH",
        "openssl/hmac",
        "openssl/hmac256",
        "openssl/rand",
        "openssl/sha1",
        "openssl/sha256",
    ]
)
MIKEY_DIRS = ("libmikey/mikey", "libmikey/keyagreement")
"""libmikey: every .cxx of these (libmikey/Makefile.am's mikey_src and ka_src)."""

CONFIG_HEADER = """\
/* compilation_config.h for the mikey-conformance build (what configure would find
   on Debian 12 with the OpenSSL backend; HAVE_LIBMNETUTIL deliberately undefined). */
#define HAVE_OPENSSL 1
#define HAVE_OPENSSL_AES_H 1
#define HAVE_PTHREAD_H 1
#define HAVE_GETTIMEOFDAY 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_MEMORY_H 1
#define HAVE_LIBMUTIL 1
#define USE_STL 1
#define PACKAGE_VERSION "mikeyconf"
#define VERSION "mikeyconf"
"""
CXXFLAGS = ("-std=gnu++14", "-O1", "-g", "-w", "-fPIC")
LIBS = ("-lssl", "-lcrypto", "-lpthread")
NEEDED = (("g++", "g++"), ("patch", "patch"))
HEADERS = (
    ("openssl/evp.h", "libssl-dev"),
    ("nlohmann/json.hpp", "nlohmann-json3-dev"),
)


class BuildError(Exception):
    """The build cannot run or failed: one line, naming what to install or fix."""


@dataclass(frozen=True)
class Built:
    """A finished build: the shim executable and how long the build took."""

    executable: Path
    seconds: float
    cached: bool


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mikeyconf"


def check_source(source: Path) -> None:
    """A minisip tree with the three libraries, or BuildError saying what is missing."""
    if not source.is_dir():
        raise BuildError(f"minisip source tree {source} not found (a checkout of csd/minisip)")
    for lib in LIBRARIES:
        if not (source / lib / "include").is_dir():
            raise BuildError(f"{source} is no minisip source tree: {lib}/include is missing")


def check_tools() -> None:
    """The compiler, patch and the header packages, or BuildError naming the package."""
    for tool, package in NEEDED:
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} not found: install it (apt-get install {package})")
    for header, package in HEADERS:
        probe = subprocess.run(
            ["g++", "-std=gnu++14", "-fsyntax-only", "-x", "c++", "-"],
            input=f"#include <{header}>\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            raise BuildError(f"<{header}> not found: install it (apt-get install {package})")


def sources(tree: Path) -> list[str]:
    """The .cxx files compiled, relative to the source tree."""
    mikey = sorted(str(p.relative_to(tree)) for d in MIKEY_DIRS for p in (tree / d).glob("*.cxx"))
    return [*MUTIL, *MCRYPTO, *mikey]


def project_digest() -> str:
    """A hash of our side of the build: patches, shim sources, configuration, flags."""
    h = hashlib.sha256()
    for path in [*sorted(PATCHES.glob("*.patch")), *sorted(SHIM_DIR.glob("*"))]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(CONFIG_HEADER.encode() + " ".join(CXXFLAGS + LIBS).encode())
    return h.hexdigest()[:16]


def digest(source: Path) -> str:
    """A hash of every input: the libraries' sources and headers, and project_digest()."""
    h = hashlib.sha256(project_digest().encode())
    for lib in LIBRARIES:
        for path in sorted((source / lib).rglob("*")):
            if path.is_file() and path.suffix in {".cxx", ".h", ".hxx", ".c"}:
                h.update(str(path.relative_to(source)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def newest_cached() -> Path | None:
    """The most recent cached shim built with this project's patches and shim, whatever
    its source tree (for `--sut minisip` when no source tree is at hand)."""
    mine = project_digest()
    found: list[tuple[float, Path]] = []
    for stamp in cache_root().glob(f"minisip-*/{STAMP}"):
        try:
            data = json.loads(stamp.read_text())
        except (OSError, ValueError):
            continue
        exe = stamp.parent / EXECUTABLE
        if data.get("project") == mine and exe.is_file():
            found.append((stamp.stat().st_mtime, exe))
    return max(found)[1] if found else None


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "minisip.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def built_shim(source: Path) -> Path | None:
    """The cached shim for this source tree, if one was built."""
    exe = cache_root() / f"minisip-{digest(source)}" / EXECUTABLE
    return exe if exe.is_file() else None


def build(source: Path, jobs: int | None = None, log: bool = False) -> Built:
    """Build (or find in the cache) the shim for `source`; BuildError on any failure."""
    source = source.resolve()
    check_source(source)
    start = time.monotonic()
    root = cache_root()
    final = root / f"minisip-{digest(source)}"
    with _locked(root):
        if (final / EXECUTABLE).is_file():
            return Built(final / EXECUTABLE, time.monotonic() - start, cached=True)
        check_tools()
        work = Path(tempfile.mkdtemp(prefix="minisip-build-", dir=root))
        try:
            _build_in(source, work, jobs or os.cpu_count() or 1, log)
            seconds = time.monotonic() - start
            stamp = {
                "source": str(source),
                "seconds": round(seconds, 1),
                "digest": final.name,
                "project": project_digest(),
            }
            (work / STAMP).write_text(json.dumps(stamp, indent=1) + "\n")
            shutil.rmtree(final, ignore_errors=True)
            work.rename(final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return Built(final / EXECUTABLE, seconds, cached=False)


def _build_in(source: Path, work: Path, jobs: int, log: bool) -> None:
    tree = work / "src"
    for lib in LIBRARIES:
        shutil.copytree(source / lib, tree / lib, symlinks=True)
    for patch in sorted(PATCHES.glob("*.patch")):
        _run(["patch", "-p1", "-s", "--batch", "-d", str(tree), "-i", str(patch)], patch.name)
    config = work / "config"
    config.mkdir()
    (config / "compilation_config.h").write_text(CONFIG_HEADER)
    includes = [f"-I{config}", *(f"-I{tree / lib / 'include'}" for lib in LIBRARIES)]
    objects = work / "obj"
    objects.mkdir()
    units = [tree / s for s in sources(tree)] + sorted(SHIM_DIR.glob("*.cxx"))

    def compile_one(unit: Path) -> Path:
        obj = objects / (str(unit).replace("/", "_") + ".o")
        _run(["g++", *CXXFLAGS, *includes, "-c", str(unit), "-o", str(obj)], unit.name)
        if log:
            print(f"  compiled {unit.relative_to(work) if unit.is_relative_to(work) else unit}")
        return obj

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        objs = list(pool.map(compile_one, units))
    _run(["g++", "-o", str(work / EXECUTABLE), *map(str, objs), *LIBS], "link")


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        first = next((line for line in lines if "error" in line), lines[0] if lines else "")
        raise BuildError(f"minisip build failed at {what}: {first.strip()}")
