"""gst-rtsp-server on 127.0.0.1 serving a test tone over SRTP (RTP/SAVP), keyed by MIKEY.

Run by the SYSTEM Python (Debian python3-gi, gir1.2-gst-rtsp-server-1.0), not
imported by the suite. Prints `READY rtsp://127.0.0.1:PORT/PATH` once it
listens on an ephemeral port, and exits when its stdin closes (its parent
died) or on SIGTERM. `--probe` only checks that everything loads.

gst-rtsp-server 1.22 does SRTP when the factory's profiles include SAVP: each
stream gets an srtpenc with a random key, DESCRIBE offers that key in
`a=key-mgmt:mikey` (rtsp-sdp.c), and SETUP takes a client's KeyMgmt header
for the client's own SRTCP (rtsp-client.c handle_keymgmt).
"""

import argparse
import signal
import sys
from collections.abc import Callable
from typing import Any

import gi  # type: ignore[import-not-found, unused-ignore]

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import (  # type: ignore[import-not-found, unused-ignore]  # noqa: E402
    GLib,
    Gst,
    GstRtsp,
    GstRtspServer,
)

PIPELINE = (
    "( audiotestsrc is-live=true samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1"
    " ! mulawenc ! rtppcmupay name=pay0 pt=0 )"
)
"""8 kHz mu-law in 20 ms packets: 50 small packets a second."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", default="/test")
    parser.add_argument("--probe", action="store_true")
    options = parser.parse_args()
    Gst.init(None)
    for element in ("srtpenc", "srtpdec", "audiotestsrc", "mulawenc", "rtppcmupay"):
        if Gst.ElementFactory.find(element) is None:
            print(f"GStreamer element {element} is missing", file=sys.stderr)
            return 1
    if options.probe:
        return 0
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(False)
    factory.set_profiles(GstRtsp.RTSPProfile.SAVP)
    factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
    server.get_mount_points().add_factory(options.path, factory)
    if server.attach(None) == 0:
        print("cannot attach the RTSP server", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.io_add_watch(sys.stdin, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, _eof(loop))
    print(f"READY rtsp://127.0.0.1:{server.get_bound_port()}{options.path}", flush=True)
    loop.run()
    return 0


def _eof(loop: Any) -> Callable[[Any, Any], bool]:
    """A watch that quits `loop` at end of file on stdin (the parent is gone)."""

    def on_stdin(source: Any, condition: Any) -> bool:
        if not source.read(4096):
            loop.quit()
            return False
        return True

    return on_stdin


if __name__ == "__main__":
    sys.exit(main())
