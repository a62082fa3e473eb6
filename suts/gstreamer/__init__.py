"""GStreamer's libgstsdp-1.0 MIKEY implementation as a SUT: `--sut gstreamer[:cpu=SECONDS]`.

binding.py holds the ctypes bindings, read.py and build.py the conversions
to and from the codec's JSON form, worker.py the process GStreamer runs in,
isolate.py the forked and watched child each call runs in, process.py the
suite's side of the worker, sut.py the Sut. Known deviations, each with its
RFC reason: suts/expectations/gstreamer.json. `cpu` is the CPU time (seconds) a
call may burn before it counts as an endless loop (default 0.05). The
environment variable MIKEYCONF_LIBGSTSDP names another libgstsdp-1.0 to load.
"""

from __future__ import annotations

from suts import SutSpecError
from suts.base import Profile
from suts.gstreamer.process import Worker, WorkerUnavailable
from suts.gstreamer.sut import GStreamerSut


def from_spec(rest: str, profile: Profile) -> GStreamerSut:
    """The GStreamer SUT for `--sut gstreamer[:cpu=SECONDS]`; SutSpecError if unusable."""
    options = dict(item.partition("=")[::2] for item in rest.split(",") if item)
    unknown = sorted(set(options) - {"cpu"})
    if unknown:
        raise SutSpecError(f"gstreamer: unknown option(s) {', '.join(unknown)} (use cpu=SECONDS)")
    try:
        cpu = float(options.get("cpu", "0.05"))
    except ValueError:
        raise SutSpecError(
            f"gstreamer: cpu={options['cpu']!r} is not a number of seconds"
        ) from None
    if cpu <= 0:
        raise SutSpecError("gstreamer: cpu must be positive")
    try:
        return GStreamerSut(profile=profile, worker=Worker(cpu_budget=cpu))
    except WorkerUnavailable as exc:
        lines = str(exc).strip().splitlines() or ["no reason given"]
        why = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1].strip()}"
        raise SutSpecError(f"the gstreamer SUT cannot start: {why}") from None


__all__ = ["GStreamerSut", "from_spec"]
