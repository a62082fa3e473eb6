"""GStreamer's RTSP client as the SUT: `--sut rtspsrc[:?OPTIONS]` (see suts/rtsp_responder.py).

Runs `gst-launch-1.0 rtspsrc` (Debian gstreamer1.0-tools, -plugins-good for
rtspsrc and rtppcmudepay, -plugins-bad for srtpdec) over UDP with no jitter
buffer latency, writing the PCMU it depayloads to `{out}`; OPTIONS as for
rtsp-client. rtspsrc 1.22 reads the offer's key with
gst_mikey_message_to_caps, which takes a key only from a KEMAC with Encr and
MAC alg NULL, so the declared algorithms are NULL; it also takes a Key data
of type TEK or TGK (the bytes, as SRTP master key and salt), so the Key data
types default to all four.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from suts import SutSpecError
from suts.base import Profile, Sut
from suts.rtsp_responder import from_spec as client_from_spec

COMMAND = (
    "gst-launch-1.0 -q rtspsrc location={url} protocols=udp latency=0"
    " ! rtppcmudepay ! filesink location={out} buffer-mode=2"
)
ELEMENTS = ("rtspsrc", "srtpdec", "rtppcmudepay", "filesink")
DEFAULT_OPTIONS = "keys=TEK,TEK_SALT,TGK,TGK_SALT"


@functools.cache
def available() -> str | None:
    """None when gst-launch-1.0 and the elements are here, else the reason they are not."""
    if shutil.which("gst-launch-1.0") is None or shutil.which("gst-inspect-1.0") is None:
        return "gst-launch-1.0 is not installed (Debian gstreamer1.0-tools)"
    for element in ELEMENTS:
        probe = subprocess.run(
            ["gst-inspect-1.0", "--exists", element], capture_output=True, timeout=30, check=False
        )
        if probe.returncode != 0:
            return f"the GStreamer element {element} is missing"
    return None


def from_spec(rest: str, profile: Profile) -> Sut:
    """The `--sut rtspsrc[:?OPTIONS]` entry point (suts.load_sut)."""
    if rest and not rest.startswith("?"):
        raise SutSpecError(f"rtspsrc SUT: expected rtspsrc[:?OPTIONS], got rtspsrc:{rest}")
    reason = available()
    if reason is not None:
        raise SutSpecError(f"rtspsrc cannot run: {reason}")
    options = rest[1:] if rest else ""
    query = options if "keys=" in options else "&".join(p for p in (DEFAULT_OPTIONS, options) if p)
    return client_from_spec(f"?{query} {COMMAND}", profile)
