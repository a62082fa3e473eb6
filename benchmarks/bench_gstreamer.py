"""Decode time of one PSK I_MESSAGE: our codec beside GStreamer's C parser (libgstsdp, ctypes).

Run: python -m pytest benchmarks/bench_gstreamer.py -p no:mikeyconf --benchmark-only
Compare the medians of the group "psk-i-message" (pytest-benchmark's Median column).

All benchmarks decode the same bytes: the reference initiator's own PSK
I_MESSAGE (HDR, T, RAND, SP, KEMAC with AES-CM-128 and HMAC-SHA-1-160), built
without ID payloads because GStreamer 1.22 never returns from a message that
has one (RFC 4567's example I_MESSAGE included: see suts/expectations).

- ours: mikey.wire.decode_message, bytes to the frozen payload dataclasses;
- gstreamer-parse: gst_mikey_message_new_from_data then gst_mini_object_unref,
  two ctypes calls: GStreamer's parse into C structs, nothing read back;
- gstreamer-parse-and-read: the same, plus reading every field back through
  GStreamer's accessors into our JSON form (suts.gstreamer.read), the work a
  Python caller of GStreamer does to get at what it parsed;
- ctypes-call: the bare cost of one ctypes call taking the same bytes object
  (libc memchr over 0 bytes, which returns at once): twice this is the part
  of gstreamer-parse that is ctypes, not GStreamer;
- gstreamer-sut: the whole adapter path (request to the worker, forked child,
  JSON answer), what the suite pays per decode.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskSettings
from mikey.wire import decode_message
from suts.base import Profile
from suts.gstreamer import GStreamerSut, from_spec
from suts.gstreamer.binding import Gst, GstUnavailable, load
from suts.gstreamer.read import message_dict

GROUP = pytest.mark.benchmark(group="psk-i-message")
Benchmark = Callable[..., Any]


@pytest.fixture(scope="module")
def gst() -> Gst:
    try:
        return load()
    except GstUnavailable as exc:
        pytest.skip(f"GStreamer is not installed here: {exc}")


@pytest.fixture(scope="module")
def i_message() -> bytes:
    settings = PskSettings(psk=bytes(range(16)), id_i=None, id_r=None)
    return PskInitiator(settings, Environment()).start()


@GROUP
def test_ours(benchmark: Benchmark, i_message: bytes) -> None:
    msg = benchmark(decode_message, i_message)
    assert len(msg.payloads) == 4


@GROUP
def test_gstreamer_parse(benchmark: Benchmark, gst: Gst, i_message: bytes) -> None:
    parse, unref = gst.sdp.gst_mikey_message_new_from_data, gst.core.gst_mini_object_unref

    def parse_and_free() -> bool:
        msg = parse(i_message, len(i_message), None, None)
        unref(msg)
        return bool(msg)

    assert benchmark(parse_and_free)


@GROUP
def test_gstreamer_parse_and_read(benchmark: Benchmark, gst: Gst, i_message: bytes) -> None:
    def parse_and_read() -> dict[str, Any]:
        with gst.parsed(i_message) as msg:
            return message_dict(gst, msg)

    assert len(benchmark(parse_and_read)["payloads"]) == 4


@GROUP
def test_ctypes_call(benchmark: Benchmark, i_message: bytes) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    memchr = libc.memchr
    memchr.restype = ctypes.c_void_p
    memchr.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_size_t]
    assert benchmark(memchr, i_message, 0, 0) is None


@pytest.fixture(scope="module")
def sut(gst: Gst) -> Iterator[GStreamerSut]:
    made = from_spec("", Profile())
    yield made
    made.close()


@GROUP
def test_gstreamer_sut(benchmark: Benchmark, sut: GStreamerSut, i_message: bytes) -> None:
    assert benchmark(sut.decode, i_message).accepted
