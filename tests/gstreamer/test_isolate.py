"""One call in a forked, watched child: an answer, an endless loop, or a crash."""

from __future__ import annotations

import faulthandler
import os
import signal
from typing import Any

from suts.gstreamer.isolate import isolated


def spin() -> dict[str, Any]:
    while True:
        pass


def segfault() -> dict[str, Any]:
    faulthandler.disable()  # pytest's handler would print a traceback for the child
    os.kill(os.getpid(), signal.SIGSEGV)
    return {}


def test_an_answer_comes_back() -> None:
    assert isolated(lambda: {"data": "00" * 70_000}, 0.05) == {"data": "00" * 70_000}


def test_an_endless_loop_is_killed_after_its_cpu_budget() -> None:
    reply = isolated(spin, 0.05)
    assert reply["hang"].startswith("GStreamer did not return after 0.")


def test_a_crash_names_the_signal() -> None:
    assert isolated(segfault, 0.05) == {"crash": "GStreamer's process was killed by SIGSEGV"}
