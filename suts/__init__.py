"""SUT adapters: one per kind of system under test, all behind suts.base.Sut."""

from __future__ import annotations

import importlib

from suts.base import Profile, Sut

BUILTIN_SPECS = {"builtin": "suts.builtin:BuiltinSut"}
"""Short names for the adapters this package ships."""

SCHEMES = {
    "shim": "suts.shim",
    "udp": "suts.net",
    "rtsp": "suts.rtsp",
    "rtsp-client": "suts.rtsp_responder",
    "rtspsrc": "suts.rtspsrc",
    "gstreamer": "suts.gstreamer",
    "minisip": "suts.minisip",
}
"""`--sut SCHEME:REST` adapters: the module's `from_spec(rest, profile)` builds the SUT.

Checked before `module:factory`, so a scheme name is never taken for a module.
"""


class SutSpecError(ValueError):
    """A --sut value that names no usable SUT."""


def load_sut(spec: str, profile: Profile) -> Sut:
    """Build the SUT a --sut value names: a short name or `module:factory`.

    The factory is called with the profile as its one keyword argument
    `profile` and must return a suts.base.Sut.
    """
    scheme, colon, rest = spec.partition(":")
    if scheme in SCHEMES and (colon or scheme == spec):
        return _from_scheme(scheme, rest, profile)
    target = BUILTIN_SPECS.get(spec, spec)
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        known = ", ".join(sorted(BUILTIN_SPECS) + [f"{name}:..." for name in SCHEMES])
        raise SutSpecError(f"unknown SUT {spec!r}: use one of {known} or module:factory")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SutSpecError(f"cannot import SUT module {module_name!r}: {exc}") from None
    factory = getattr(module, attr, None)
    if factory is None or not callable(factory):
        raise SutSpecError(f"SUT module {module_name!r} has no factory {attr!r}")
    sut = factory(profile=profile)
    if not isinstance(sut, Sut):
        raise SutSpecError(f"{target} did not return a suts.base.Sut (got {type(sut).__name__})")
    return sut


def _from_scheme(scheme: str, rest: str, profile: Profile) -> Sut:
    module_name = SCHEMES[scheme]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SutSpecError(f"the {scheme} adapter cannot be loaded: {exc}") from None
    sut = module.from_spec(rest, profile)
    if not isinstance(sut, Sut):
        raise SutSpecError(f"{module_name}.from_spec did not return a suts.base.Sut")
    return sut
