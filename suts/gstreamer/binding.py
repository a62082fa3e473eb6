"""ctypes bindings of GStreamer 1.22's MIKEY API (libgstsdp-1.0, gst/sdp/gstmikey.h).

PyGObject cannot call gst_mikey_message_new_from_data (its info argument
cannot be None there), so the calls go through ctypes. The struct layouts are
those of gstmikey.h (GStreamer 1.22): GstMIKEYMessage and every
GstMIKEYPayload start with a GstMiniObject. The `*_unref` helpers are static
inline in the header, so messages are freed with gst_mini_object_unref.
GStreamer returns NULL when parsing fails and never sets the GError.

This module runs GStreamer in the calling process: the SUT adapter only calls
it from its worker process (suts.gstreamer.worker), because gstmikey.c loops
forever on some inputs; the benchmark and the unit tests call it directly on
inputs known to return.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_size_t,
    c_uint,
    c_uint8,
    c_uint16,
    c_uint32,
    c_void_p,
)
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SDP_LIBRARY = "libgstsdp-1.0.so.0"
LIBRARY_ENV = "MIKEYCONF_LIBGSTSDP"
"""Environment variable naming the libgstsdp-1.0 to load (a GStreamer built elsewhere)."""
GST_LIBRARY = "libgstreamer-1.0.so.0"
GLIB_LIBRARY = "libglib-2.0.so.0"
MULTIARCH_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
)


class GstUnavailable(RuntimeError):
    """libgstsdp-1.0 (or libgstreamer-1.0) cannot be loaded."""


class GstMiniObject(Structure):
    _fields_ = [
        ("type", c_size_t),
        ("refcount", c_int),
        ("lockstate", c_int),
        ("flags", c_uint),
        ("copy", c_void_p),
        ("dispose", c_void_p),
        ("free", c_void_p),
        ("priv_uint", c_uint),
        ("priv_pointer", c_void_p),
    ]


class GArray(Structure):
    _fields_ = [("data", c_void_p), ("len", c_uint)]


class GstMIKEYMapSRTP(Structure):
    _fields_ = [("policy", c_uint8), ("ssrc", c_uint32), ("roc", c_uint32)]


class GstMIKEYPayload(Structure):
    _fields_ = [("mini_object", GstMiniObject), ("type", c_int), ("len", c_uint)]


class GstMIKEYMessage(Structure):
    _fields_ = [
        ("mini_object", GstMiniObject),
        ("version", c_uint8),
        ("type", c_int),
        ("V", c_int),
        ("prf_func", c_int),
        ("CSB_id", c_uint32),
        ("map_type", c_int),
        ("map_info", POINTER(GArray)),
        ("payloads", POINTER(GArray)),
    ]


class GstMIKEYPayloadKEMAC(Structure):
    _fields_ = [
        ("pt", GstMIKEYPayload),
        ("enc_alg", c_int),
        ("mac_alg", c_int),
        ("subpayloads", POINTER(GArray)),
    ]


class GstMIKEYPayloadPKE(Structure):
    _fields_ = [
        ("pt", GstMIKEYPayload),
        ("C", c_int),
        ("data_len", c_uint16),
        ("data", c_void_p),
    ]


class GstMIKEYPayloadT(Structure):
    _fields_ = [("pt", GstMIKEYPayload), ("type", c_int), ("ts_value", c_void_p)]


class GstMIKEYPayloadSPParam(Structure):
    _fields_ = [("type", c_uint8), ("len", c_uint8), ("val", c_void_p)]


class GstMIKEYPayloadSP(Structure):
    _fields_ = [
        ("pt", GstMIKEYPayload),
        ("policy", c_uint),
        ("proto", c_int),
        ("params", POINTER(GArray)),
    ]


class GstMIKEYPayloadRAND(Structure):
    _fields_ = [("pt", GstMIKEYPayload), ("len", c_uint8), ("rand", c_void_p)]


class GstMIKEYPayloadKeyData(Structure):
    _fields_ = [
        ("pt", GstMIKEYPayload),
        ("key_type", c_int),
        ("key_len", c_uint16),
        ("key_data", c_void_p),
        ("salt_len", c_uint16),
        ("salt_data", c_void_p),
        ("kv_type", c_int),
        ("kv_len", c_uint8 * 2),
        ("kv_data", c_void_p * 2),
    ]


MessagePtr = Any  # POINTER(GstMIKEYMessage) at run time
PayloadPtr = Any  # POINTER(GstMIKEYPayload) at run time

_B, _I, _U, _P, _S = c_int, c_int, c_uint, c_void_p, c_size_t
_MSG, _PAY = POINTER(GstMIKEYMessage), POINTER(GstMIKEYPayload)
PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    # name: (restype, argtypes), as declared in gstmikey.h (GStreamer 1.22)
    "gst_mikey_message_new": (_MSG, []),
    "gst_mikey_message_new_from_data": (_MSG, [c_char_p, _S, _P, _P]),
    "gst_mikey_message_to_bytes": (_P, [_MSG, _P, _P]),
    "gst_mikey_message_new_from_caps": (_MSG, [_P]),
    "gst_mikey_message_to_caps": (_B, [_MSG, _P]),
    "gst_mikey_message_set_info": (_B, [_MSG, c_uint8, _I, _B, _I, c_uint32, _I]),
    "gst_mikey_message_get_n_cs": (_U, [_MSG]),
    "gst_mikey_message_get_cs_srtp": (POINTER(GstMIKEYMapSRTP), [_MSG, _U]),
    "gst_mikey_message_add_cs_srtp": (_B, [_MSG, c_uint8, c_uint32, c_uint32]),
    "gst_mikey_message_get_n_payloads": (_U, [_MSG]),
    "gst_mikey_message_get_payload": (_PAY, [_MSG, _U]),
    "gst_mikey_message_add_payload": (_B, [_MSG, _PAY]),
    "gst_mikey_message_add_t": (_B, [_MSG, _I, c_char_p]),
    "gst_mikey_message_add_rand": (_B, [_MSG, c_uint8, c_char_p]),
    "gst_mikey_message_add_pke": (_B, [_MSG, _I, c_uint16, c_char_p]),
    "gst_mikey_payload_new": (_PAY, [_I]),
    "gst_mikey_payload_kemac_set": (_B, [_PAY, _I, _I]),
    "gst_mikey_payload_kemac_get_n_sub": (_U, [_PAY]),
    "gst_mikey_payload_kemac_get_sub": (_PAY, [_PAY, _U]),
    "gst_mikey_payload_kemac_add_sub": (_B, [_PAY, _PAY]),
    "gst_mikey_payload_sp_set": (_B, [_PAY, _U, _I]),
    "gst_mikey_payload_sp_get_n_params": (_U, [_PAY]),
    "gst_mikey_payload_sp_get_param": (POINTER(GstMIKEYPayloadSPParam), [_PAY, _U]),
    "gst_mikey_payload_sp_add_param": (_B, [_PAY, c_uint8, c_uint8, c_char_p]),
    "gst_mikey_payload_key_data_set_key": (_B, [_PAY, _I, c_uint16, c_char_p]),
    "gst_mikey_payload_key_data_set_salt": (_B, [_PAY, c_uint16, c_char_p]),
    "gst_mikey_payload_key_data_set_spi": (_B, [_PAY, c_uint8, c_char_p]),
    "gst_mikey_payload_key_data_set_interval": (
        _B,
        [_PAY, c_uint8, c_char_p, c_uint8, c_char_p],
    ),
}
GST_PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    "gst_init_check": (_B, [_P, _P, _P]),
    "gst_mini_object_unref": (None, [_P]),
    "gst_caps_from_string": (_P, [c_char_p]),
    "gst_caps_new_empty_simple": (_P, [c_char_p]),
    "gst_caps_to_string": (_P, [_P]),
    "gst_version_string": (_P, []),
}
GLIB_PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {
    "g_bytes_get_data": (_P, [_P, POINTER(c_size_t)]),
    "g_bytes_unref": (None, [_P]),
    "g_free": (None, [_P]),
}


def _find(name: str, soname: str) -> str:
    if soname == SDP_LIBRARY and os.environ.get(LIBRARY_ENV):
        return os.environ[LIBRARY_ENV]
    found = ctypes.util.find_library(name)
    if found:
        return found
    for directory in MULTIARCH_DIRS:
        if (Path(directory) / soname).exists():
            return str(Path(directory) / soname)
    raise GstUnavailable(
        f"{soname} not found (install Debian's libgstreamer-plugins-base1.0-0, GStreamer >= 1.8)"
    )


def _bind(lib: ctypes.CDLL, prototypes: dict[str, tuple[Any, list[Any]]]) -> None:
    for name, (restype, argtypes) in prototypes.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise GstUnavailable(f"{lib._name} has no {name} (GStreamer >= 1.8 needed)") from None
        function.restype = restype
        function.argtypes = argtypes


@dataclass(frozen=True)
class Gst:
    """The three loaded libraries, prototypes set, GStreamer initialised."""

    sdp: ctypes.CDLL
    core: ctypes.CDLL
    glib: ctypes.CDLL

    def unref(self, obj: Any) -> None:
        """Free a message, payload or caps (gst_mikey_message_unref is static inline)."""
        self.core.gst_mini_object_unref(ctypes.cast(obj, c_void_p))

    def take_bytes(self, gbytes: int | None) -> bytes:
        """The contents of a GBytes, which is then unreffed."""
        if not gbytes:
            raise GstUnavailable("gst_mikey_message_to_bytes returned NULL")
        size = c_size_t()
        try:
            data = self.glib.g_bytes_get_data(gbytes, ctypes.byref(size))
            return ctypes.string_at(data, size.value) if size.value else b""
        finally:
            self.glib.g_bytes_unref(gbytes)

    def take_string(self, pointer: int | None) -> str:
        """A g_malloc'ed C string, which is then freed."""
        if not pointer:
            return ""
        try:
            return ctypes.string_at(pointer).decode("utf-8", "replace")
        finally:
            self.glib.g_free(pointer)

    @contextmanager
    def parsed(self, data: bytes) -> Iterator[MessagePtr | None]:
        """gst_mikey_message_new_from_data(data): the message (freed on exit), or None."""
        msg = self.sdp.gst_mikey_message_new_from_data(data, len(data), None, None)
        try:
            yield msg if msg else None
        finally:
            if msg:
                self.unref(msg)


@functools.cache
def load() -> Gst:
    """Load libgstsdp-1.0 and libgstreamer-1.0 and initialise GStreamer, once.

    Raises GstUnavailable with a one-line reason when they cannot be loaded.
    """
    libraries = []
    for name, soname, prototypes in (
        ("gstsdp-1.0", SDP_LIBRARY, PROTOTYPES),
        ("gstreamer-1.0", GST_LIBRARY, GST_PROTOTYPES),
        ("glib-2.0", GLIB_LIBRARY, GLIB_PROTOTYPES),
    ):
        try:
            lib = ctypes.CDLL(_find(name, soname))
        except OSError as exc:
            raise GstUnavailable(f"cannot load {soname}: {exc}") from None
        _bind(lib, prototypes)
        libraries.append(lib)
    gst = Gst(*libraries)
    if not gst.core.gst_init_check(None, None, None):
        raise GstUnavailable("gst_init_check failed")
    return gst


def payload_as(payload: PayloadPtr, struct: type[Structure]) -> Any:
    """A payload pointer viewed as its concrete struct (GstMIKEYPayloadT, ...)."""
    return ctypes.cast(payload, POINTER(struct)).contents


def read(pointer: int | None, length: int) -> bytes:
    """`length` bytes at a C pointer (b"" for NULL or 0)."""
    return ctypes.string_at(pointer, length) if pointer and length else b""
