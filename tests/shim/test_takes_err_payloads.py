"""The `takes_err_payloads` capability: it travels through the shim protocol, and a SUT
that declares False is not sent the Error messages with ERR payloads (RFC 3830 5.1.2),
while the Error message without ERR still reaches it and is judged."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conformance.answer_checks import ERROR_FORMS, error_message_establishes_nothing
from conformance.evidence import Evidence
from conformance.plugin import NOT_APPLICABLE
from suts.base import Capabilities, Profile, Role
from suts.builtin import BuiltinSut
from suts.shim import codec

HANGS = Capabilities("c", frozenset({"PSK"}), frozenset({Role.INITIATOR}), takes_err_payloads=False)
BASE = {"name": "c", "modes": ["PSK"], "roles": ["initiator"]}


class HangsOnErr(BuiltinSut):
    """The builtin SUT declaring that it hangs on ERR payloads."""

    def capabilities(self) -> Capabilities:
        return replace(super().capabilities(), takes_err_payloads=False)


def test_takes_err_payloads_travels_in_the_capabilities_and_defaults_to_true() -> None:
    obj = json.loads(json.dumps(codec.capabilities_to_json(HANGS)))
    assert obj["takes_err_payloads"] is False
    assert codec.capabilities_from_json(obj) == HANGS
    assert codec.capabilities_from_json(BASE).takes_err_payloads is True


@pytest.mark.parametrize("form", list(ERROR_FORMS))
def test_only_the_error_message_without_err_is_sent(form: str) -> None:
    sut = HangsOnErr(profile=Profile())
    evidence = Evidence()
    if ERROR_FORMS[form][1]:
        with pytest.raises(pytest.skip.Exception, match=NOT_APPLICABLE):
            error_message_establishes_nothing("PSK", sut, Profile(), evidence, form)
        assert evidence.exchanges == []  # nothing asked of the SUT, nothing sent
    else:
        error_message_establishes_nothing("PSK", sut, Profile(), evidence, form)
        sent = [(e["direction"], e["label"]) for e in evidence.exchanges]
        assert sent == [("from-sut", "I_MESSAGE"), ("to-sut", "an Error message (no-err)")]
