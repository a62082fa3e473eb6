"""The conformance suite through the network: `--sut udp:` against `mikeyconf serve` on loopback.

The server is the reference implementation, so every test that applies must
get the same verdict as against the in-process reference (`--sut builtin`):
the network adapter and the server add no verdict of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.net.serving import run_suite, served

Results = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def builtin(tmp_path_factory: pytest.TempPathFactory) -> Results:
    return run_suite(tmp_path_factory.mktemp("builtin"), "builtin")


def compare(net: Results, builtin: Results) -> dict[str, str]:
    """The tests whose network verdict, where the test applies, differs from builtin's."""
    return {
        test_id: f"udp {result['verdict']} ({result['reason']}), builtin "
        f"{builtin[test_id]['verdict']}"
        for test_id, result in net.items()
        if result["verdict"] != "not-applicable"
        and result["verdict"] != builtin[test_id]["verdict"]
    }


REPROVISIONS = "rfc3830/test_psk_parameters.py::test_takes_the_mandatory_id_types[NAI]"
"""Provisions the SUT with NAI identities: only a control channel can do that (NET.md);
without one the device is not provisionable and the test does not apply."""


def test_suite_with_control_channel_gives_the_builtin_verdicts(
    tmp_path: Path, builtin: Results
) -> None:
    with served(tmp_path) as server:
        net = run_suite(tmp_path, "udp", "--sut", server.sut())
        assert server.stop() == 0
    assert not compare(net, builtin)
    applicable = {r["role"] for r in net.values() if r["verdict"] != "not-applicable"}
    assert applicable == {"initiator", "responder"}
    decoder = [r for r in net.values() if r["role"] == "decoder"]
    assert decoder and all(r["verdict"] == "not-applicable" for r in decoder)
    psk = {t for t, r in net.items() if r["mode"] == "PSK"}
    assert psk == {t for t, r in builtin.items() if r["mode"] == "PSK"}
    passed = {t for t in psk if builtin[t]["verdict"] == "pass"}
    assert all(net[t]["verdict"] == "pass" for t in passed), "PSK tests not applicable over udp"
    log = server.text()
    assert "PSK_INIT" in log and "initiator accepted" in log and "stopped" in log


def test_suite_without_control_channel_plays_the_responder_role_only(
    tmp_path: Path, builtin: Results
) -> None:
    """No control channel: the device cannot initiate, export keys or be reset; those
    tests are not applicable, the responder tests keep their verdicts (accepted=None)."""
    with served(tmp_path, "--no-control") as server:
        net = run_suite(tmp_path, "udp", "--sut", server.sut(control=False), "--mode", "PSK")
    assert not compare(net, builtin)
    assert net[REPROVISIONS]["verdict"] == "not-applicable"
    assert "cannot be provisioned" in net[REPROVISIONS]["reason"]
    by_role: dict[str, set[str]] = {}
    for result in net.values():
        by_role.setdefault(result["role"], set()).add(result["verdict"])
    assert by_role["initiator"] == {"not-applicable"}
    assert "pass" in by_role["responder"]
    keys = [r for t, r in net.items() if "test_derived_srtp_keys" in t and r["role"] == "responder"]
    assert keys and all(r["verdict"] == "not-applicable" for r in keys)
