"""These tests need GStreamer's libgstsdp (Debian libgstreamer-plugins-base1.0-0)."""

from __future__ import annotations

import pytest

from mikey.wire import decode_message
from suts.gstreamer.binding import Gst, GstUnavailable, load


@pytest.fixture(scope="session")
def gst() -> Gst:
    """GStreamer, loaded in this process (only for inputs known to return)."""
    try:
        return load()
    except GstUnavailable as exc:
        pytest.skip(f"GStreamer is not installed here: {exc}")


def i_message_without_ids() -> bytes:
    """A reference PSK I_MESSAGE (T, RAND, SP, KEMAC) that GStreamer parses: no ID payloads."""
    from mikey.modes.base import Environment
    from mikey.modes.psk import PskInitiator, PskSettings

    settings = PskSettings(psk=bytes(range(16)), id_i=None, id_r=None)
    message = PskInitiator(settings, Environment()).start()
    decode_message(message)
    return message
