"""The ctypes layer over libgstsdp-1.0, in this process, on inputs that GStreamer returns from."""

from __future__ import annotations

import ctypes.util
from pathlib import Path
from typing import Any

import pytest

from conformance.corpus import valid_samples
from mikey.wire import decode_message, encode_message, message_to_dict
from suts.gstreamer import binding
from suts.gstreamer.binding import Gst, GstUnavailable
from suts.gstreamer.build import Inexpressible, to_bytes, write
from suts.gstreamer.read import message_dict
from tests.gstreamer.conftest import i_message_without_ids

SAMPLES = {s.name: s for s in valid_samples()}
PLAIN = SAMPLES["kemac-null-mac-null"]  # T, RAND, SP, KEMAC(NULL, NULL): all GStreamer reads


def gst_read(gst: Gst, data: bytes) -> dict[str, Any] | None:
    with gst.parsed(data) as msg:
        return None if msg is None else message_dict(gst, msg)


def test_a_plain_psk_i_message_reads_field_by_field_as_ours(gst: Gst) -> None:
    assert gst_read(gst, PLAIN.data) == message_to_dict(PLAIN.message)


def test_an_encrypted_kemac_keeps_neither_encr_data_nor_mac(gst: Gst) -> None:
    """GStreamer does not decrypt and drops the MAC: the JSON form says so (null MAC)."""
    message = i_message_without_ids()
    ours, theirs = message_to_dict(decode_message(message)), gst_read(gst, message)
    assert theirs is not None
    assert theirs["hdr"] == ours["hdr"] and theirs["payloads"][:3] == ours["payloads"][:3]
    kemac = theirs["payloads"][3]
    assert kemac["encr_alg"] == "AES_CM_128" and kemac["mac_alg"] == "HMAC_SHA_1_160"
    assert kemac["mac"] is None and kemac["encr_data"] != ours["payloads"][3]["encr_data"]


@pytest.mark.parametrize("cut", [0, 5, 9, len(PLAIN.data) - 1])
def test_a_truncated_message_gives_null(gst: Gst, cut: int) -> None:
    assert gst_read(gst, PLAIN.data[:cut]) is None


def test_a_message_of_version_2_gives_null(gst: Gst) -> None:
    assert gst_read(gst, b"\x02" + PLAIN.data[1:]) is None


def test_encoder_round_trip(gst: Gst) -> None:
    """Our JSON form, built and written by GStreamer, is our encoding, and reads back the same."""
    structure = message_to_dict(PLAIN.message)
    written = to_bytes(gst, structure)
    assert written == encode_message(PLAIN.message) == PLAIN.data
    assert gst_read(gst, written) == structure


def test_gstreamer_writes_no_mac_but_the_rest_as_we_do(gst: Gst) -> None:
    """It computes no MAC: its 20 MAC bytes are whatever the heap held (gstmikey.c FIXME)."""
    sample = SAMPLES["kemac-null-mac-hmac-sha-1-160"]
    written = write(gst, sample.message)
    assert len(written) == len(sample.data) and written[:-20] == sample.data[:-20]


def test_what_gstreamer_cannot_be_given_is_refused_not_faked(gst: Gst) -> None:
    with pytest.raises(Inexpressible, match="Id payload"):
        to_bytes(gst, message_to_dict(SAMPLES["id-uri"].message))
    with pytest.raises(Inexpressible, match="KEMAC with Encr alg"):
        to_bytes(gst, message_to_dict(SAMPLES["kemac-aes-cm-128-mac-null"].message))


def rss_kib() -> int:
    fields = Path("/proc/self/status").read_text().split("VmRSS:")[1].split()
    return int(fields[0])


def test_parsing_and_writing_free_every_message(gst: Gst) -> None:
    """20 000 parses and 2 000 writes leave the resident size about where it was.

    Measured here: leaving the parsed messages unfreed grows it by about 48 MB."""
    for _ in range(200):  # warm the allocators
        write(gst, PLAIN.message)
    before = rss_kib()
    for _ in range(20_000):
        with gst.parsed(PLAIN.data) as msg:
            assert msg is not None
    for _ in range(2_000):
        write(gst, PLAIN.message)
    assert rss_kib() - before < 4096


def test_a_missing_library_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(binding, "MULTIARCH_DIRS", ())
    with pytest.raises(GstUnavailable, match=r"^libgstsdp-1.0.so.0 not found \(install"):
        binding._find("gstsdp-1.0", binding.SDP_LIBRARY)
