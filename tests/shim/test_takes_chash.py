"""The `takes_chash` capability: it travels through the shim protocol and the control
channel, and the reference PK initiator leaves the optional CHASH (RFC 3830 3.2) out of
the I_MESSAGEs it sends a SUT that declares False, but for the test whose subject is CHASH.

The SUT here is the mutant `pk_refuses_chash` (tests/mutants/pk_mutants.py): the builtin
PK responder refusing any I_MESSAGE with CHASH and saying so. Served through the shim,
every PK responder test must pass against it but `test_takes_an_i_message_with_chash`,
which must fail: a reference that kept sending CHASH would fail them all, one that
dropped it everywhere would pass that one too.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from conformance.reference_pk import PkReferenceInitiator, vehicle_chash
from mikey.wire import Chash, decode_message
from suts import load_sut
from suts.base import Capabilities, Profile, Role
from suts.builtin import BuiltinSut
from suts.net_control import network_capabilities_from_json, network_capabilities_to_json
from suts.shim import codec
from suts.shim.codec import CodecError
from tests.mutants.bank import pk_refuses_chash
from tests.shim.conftest import REFERENCE
from tests.subprocess_cli import mikeyconf

NO_CHASH = Capabilities("c", frozenset({"PK"}), frozenset({Role.RESPONDER}), takes_chash=False)
BASE = {"name": "c", "modes": ["PK"], "roles": ["responder"]}
MUTANT = "tests.mutants.bank:pk_refuses_chash"
CHASH_TEST = "rfc3830/test_pk_responder.py::test_takes_an_i_message_with_chash"


def test_takes_chash_travels_in_the_capabilities_and_defaults_to_true() -> None:
    obj = json.loads(json.dumps(codec.capabilities_to_json(NO_CHASH)))
    assert obj["takes_chash"] is False
    assert codec.capabilities_from_json(obj) == NO_CHASH
    assert codec.capabilities_from_json(BASE).takes_chash is True
    assert codec.capabilities_to_json(Capabilities("c", frozenset(), frozenset()))["takes_chash"]


def test_a_takes_chash_that_is_no_bool_is_named() -> None:
    with pytest.raises(CodecError, match=r"capabilities\.takes_chash: expected bool"):
        codec.capabilities_from_json({**BASE, "takes_chash": "no"})


def test_the_network_control_channel_carries_takes_chash() -> None:
    obj = json.loads(json.dumps(network_capabilities_to_json(NO_CHASH)))
    assert obj["takes_chash"] is False
    assert network_capabilities_from_json(obj).takes_chash is False


def test_a_shim_declares_it_at_hello() -> None:
    sut = load_sut("shim:" + shlex.join([*REFERENCE, MUTANT]), Profile())
    try:
        assert sut.capabilities().takes_chash is False
    finally:
        sut.close()


def chash_in(data: bytes) -> bool:
    return decode_message(data).first(Chash) is not None


def test_the_reference_leaves_chash_out_only_for_a_sut_that_takes_none() -> None:
    profile = Profile()
    refuses, takes = pk_refuses_chash(profile=profile), BuiltinSut(profile=profile)
    assert vehicle_chash(refuses) is False and vehicle_chash(takes) is True
    assert not chash_in(PkReferenceInitiator(profile, responder=refuses).i_message())
    assert chash_in(PkReferenceInitiator(profile, responder=takes).i_message())
    assert chash_in(PkReferenceInitiator(profile).i_message())
    forced = PkReferenceInitiator(profile, responder=refuses, send_chash=True)
    assert chash_in(forced.i_message())


def run_pk_responder(sut: str, out: Path) -> dict[str, Any]:
    done = mikeyconf(
        *("run", "--sut", sut, "--mode", "pk", "--role", "responder"),
        *("--out", str(out), "--run-id", "run", "--quiet"),
    )
    results = out / "run" / "results.json"
    assert results.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    verdicts: dict[str, Any] = {
        r["test_id"]: r["verdict"] for r in json.loads(results.read_text())["results"]
    }
    return verdicts


def test_through_the_shim_only_the_chash_test_sends_chash(tmp_path: Path) -> None:
    verdicts = run_pk_responder("shim:" + shlex.join([*REFERENCE, MUTANT]), tmp_path)
    assert verdicts[CHASH_TEST] == "fail"
    others = {t: v for t, v in verdicts.items() if t != CHASH_TEST}
    assert set(others.values()) <= {"pass", "not-applicable"}, others
    passing = [t for t, v in others.items() if v == "pass" and "test_pk_responder.py" in t]
    assert len(passing) >= 20, passing
