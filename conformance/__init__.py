"""The MIKEY conformance suite: pytest plugin, requirements catalog, tests, report, CLI."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mikey-conformance")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
