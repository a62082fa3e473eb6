"""The reference library, in-process, as a SUT (the embedded default, `--sut builtin`).

The only SUT that runs inside the suite's process (docs/design.md): it is the
library the suite itself plays the other side with, so a clean run against it
checks the suite and the reference together, and the mutant bank subclasses it
to prove each test can fail. The modes it plays are bound in suts/builtin_modes.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mikey.modes.base import Environment
from mikey.modes.pk_responder import PkResponder
from mikey.pki import Fetch
from mikey.srtp import SrtpKeys
from mikey.wire import (
    DecodeError,
    EncrAlg,
    KeyType,
    MacAlg,
    TsType,
    decode_message,
    encode_message,
    message_from_dict,
    message_to_dict,
)
from suts.base import (
    Capabilities,
    DecodeResult,
    ExchangeParams,
    Outcome,
    Reply,
    Role,
    Sut,
    SutFailure,
    UpdateParams,
)
from suts.builtin_modes import (
    BINDINGS,
    InitiatorMachine,
    ModeBinding,
    ResponderMachine,
    bindings_with,
    dh_binding,
    dh_settings_for,
    dhhmac_binding,
    dhhmac_settings_for,
    mode_of,
    pk_binding,
    pk_settings_for,
    psk_binding,
    rsar_binding,
    sakke_binding,
    sakke_settings_for,
    settings_for,
)
from suts.cert_fetch import HttpCertFetcher

__all__ = [
    "BINDINGS",
    "BuiltinSut",
    "ModeBinding",
    "bindings_with",
    "crash_is_failure",
    "dh_binding",
    "dh_settings_for",
    "dhhmac_binding",
    "dhhmac_settings_for",
    "mode_of",
    "pk_binding",
    "pk_settings_for",
    "psk_binding",
    "rsar_binding",
    "sakke_binding",
    "sakke_settings_for",
    "settings_for",
]

T = TypeVar("T")


@contextmanager
def crash_is_failure(call: str) -> Iterator[None]:
    """An exception escaping the library is the SUT crashing: a failure, not a harness error."""
    try:
        yield
    except SutFailure:
        raise
    except Exception as exc:
        raise SutFailure(f"the SUT crashed in {call}(): {type(exc).__name__}: {exc}") from exc


@dataclass
class BuiltinSut(Sut):
    """The reference initiators, responders and codec behind the SUT interface."""

    bindings: Mapping[str, ModeBinding] = field(default_factory=lambda: dict(BINDINGS))
    cert_fetch: Fetch | None = field(default_factory=HttpCertFetcher.from_environment)
    """How it fetches the certificates X.509v3 URL CERTs name (RFC 4738 3.8; cert_fetch)."""
    _initiator: InitiatorMachine | None = field(default=None, init=False)
    _responders: dict[str, ResponderMachine] = field(default_factory=dict, init=False)
    _responder: ResponderMachine | None = field(default=None, init=False)
    """The responder that took the last message (of its mode's `_responders` entry)."""

    def capabilities(self) -> Capabilities:
        return Capabilities(
            name="mikey reference (builtin)",
            modes=frozenset(self.bindings),
            roles=frozenset(Role),
            encr_algs=frozenset(EncrAlg),
            mac_algs=frozenset(MacAlg),
            key_types=frozenset(KeyType),
            exports_keys=True,
            updates=True,
            update_keeps_keys=True,
            update_adds_sessions=True,
            rand_optional=True,
            rsar_group=True,
            envelope_key_cache=True,
            ts_types=frozenset(TsType),
        )

    def environment(self) -> Environment:
        """The SUT's clock, randomness, skew window, fetcher (the real clock), and its
        local policy on timestamps: every TS type of Table 6.6, COUNTER included."""
        return Environment(
            max_skew=self.profile.max_skew, fetch=self.cert_fetch, ts_types=frozenset(TsType)
        )

    def initiate(self, params: ExchangeParams) -> bytes:
        binding = self._binding(params)
        with crash_is_failure("initiate"):
            self._initiator = binding.initiator(self.profile, params, self.environment())
            return self._initiator.start()

    def complete(self, response: bytes | None) -> Outcome:
        initiator = self._need(self._initiator, "complete() before initiate()")
        if response is None:
            return Outcome(accepted=initiator.csb is not None, detail="no response")
        with crash_is_failure("complete"):
            outcome = initiator.receive(response)
        return Outcome(accepted=outcome.accepted, error=outcome.error, detail=outcome.reason)

    def update(self, params: UpdateParams | None = None) -> bytes:
        initiator = self._need(self._initiator, "update() before initiate()")
        with crash_is_failure("update"):
            if params is None:
                return initiator.start_update()
            if params.cs_map is not None:
                initiator.map_crypto_sessions(params.cs_map)
            return initiator.start_update(new_keys=params.new_keys)

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        with crash_is_failure("respond"):
            responder = self._responders.get(params.mode)
            if responder is None:
                binding = self._binding(params)
                responder = binding.responder(self.profile, params, self.environment())
                self._responders[params.mode] = responder
            self._responder = responder
            reply = responder.receive(message)
        return Reply(reply.message, reply.outcome.accepted, reply.outcome.reason)

    def responder_mode(self, message: bytes) -> str:
        """The mode whose responder takes `message` when nothing else says (a datagram):
        its data type's (mode_of), but a pre-shared key message that an envelope key the
        PK responder cached keys is the PK responder's (RFC 3830 3.2, 4.5)."""
        mode = mode_of(message)
        pk = self._responders.get("PK")
        if mode == "PSK" and isinstance(pk, PkResponder) and pk.keys_psk_message(message):
            return "PK"
        return mode

    def decode(self, data: bytes) -> DecodeResult:
        try:
            return DecodeResult(True, message_to_dict(decode_message(data)))
        except DecodeError as exc:
            return DecodeResult(False, None, str(exc))

    def encode(self, structure: dict[str, Any]) -> bytes:
        return encode_message(message_from_dict(structure))

    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        if role is Role.INITIATOR:
            csb = self._initiator.csb if self._initiator else None
        else:
            csb = self._responder.last_csb if self._responder else None
        if csb is None:
            return None
        with crash_is_failure("srtp_keys"):
            return csb.srtp_keys(cs_id)

    def reset(self) -> None:
        self._initiator = None
        self._responder = None
        self._responders.clear()

    def _binding(self, params: ExchangeParams) -> ModeBinding:
        binding = self.bindings.get(params.mode)
        if binding is None:
            raise SutFailure(f"interface misuse: mode {params.mode} is not implemented")
        return binding

    @staticmethod
    def _need(obj: T | None, what: str) -> T:
        if obj is None:
            raise SutFailure(f"interface misuse: {what}")
        return obj
