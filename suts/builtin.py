"""The reference library, in-process, as a SUT (the embedded default, `--sut builtin`).

The only SUT that runs inside the suite's process (DESIGN.md): it is the
library the suite itself plays the other side with, so a clean run against it
checks the suite and the reference together, and the mutant bank subclasses it
to prove each test can fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from mikey.modes import base as modes
from mikey.modes.base import Environment
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings
from mikey.modes.sakke_common import SakkeSettings
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_responder import SakkeResponder
from mikey.srtp import SrtpKeys
from mikey.wire import (
    DecodeError,
    EncrAlg,
    KeyType,
    MacAlg,
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
    Profile,
    Reply,
    Role,
    Sut,
    SutFailure,
)

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


def settings_for(profile: Profile, params: ExchangeParams) -> PskSettings:
    """The PSK mode settings for one exchange: the profile plus the exchange's params."""
    extra: dict[str, Any] = {}
    if params.cs_map is not None:
        extra["cs_map"] = params.cs_map
    if params.policies is not None:
        extra["policies"] = params.policies
    return PskSettings(
        psk=profile.psk,
        id_i=profile.id_initiator if params.include_ids else None,
        id_r=profile.id_responder if params.include_ids else None,
        encr_alg=params.encr_alg,
        mac_alg=params.mac_alg,
        v=params.v,
        key_type=params.key_type,
        **extra,
    )


class CsbKeys(Protocol):
    """What the SUT needs of an established CSB: its SRTP keys per crypto session."""

    def srtp_keys(self, cs_id: int) -> SrtpKeys: ...


class InitiatorMachine(Protocol):
    """A mode's initiator state machine, as the builtin SUT drives it."""

    @property
    def csb(self) -> CsbKeys | None: ...

    def start(self) -> bytes: ...

    def start_update(self) -> bytes: ...

    def receive(self, data: bytes) -> modes.Outcome: ...


class ResponderMachine(Protocol):
    """A mode's responder state machine, as the builtin SUT drives it."""

    @property
    def last_csb(self) -> CsbKeys | None: ...

    def receive(self, data: bytes) -> modes.Reply: ...


@dataclass(frozen=True)
class ModeBinding:
    """How the builtin SUT builds one mode's state machines for an exchange."""

    initiator: Callable[[Profile, ExchangeParams, Environment], InitiatorMachine]
    responder: Callable[[Profile, ExchangeParams, Environment], ResponderMachine]


def psk_binding(
    initiator_class: type[PskInitiator] = PskInitiator,
    responder_class: type[PskResponder] = PskResponder,
) -> ModeBinding:
    """PSK mode (RFC 3830 3.1), optionally with other (e.g. mutant) machine classes."""
    return ModeBinding(
        initiator=lambda profile, params, env: initiator_class(settings_for(profile, params), env),
        responder=lambda profile, params, env: responder_class(settings_for(profile, params), env),
    )


def sakke_settings_for(profile: Profile, params: ExchangeParams) -> SakkeSettings:
    """The MIKEY-SAKKE settings for one exchange: the profile's community plus the params."""
    extra: dict[str, Any] = {}
    if params.cs_map is not None:
        extra["cs_map"] = params.cs_map
    if params.policies is not None:
        extra["policies"] = params.policies
    community = profile.sakke
    return SakkeSettings(
        kms=community.kms,
        uri_i=community.uri_initiator,
        uri_r=community.uri_responder,
        include_idr=params.include_ids,
        **extra,
    )


def sakke_binding(
    initiator_class: type[SakkeInitiator] = SakkeInitiator,
    responder_class: type[SakkeResponder] = SakkeResponder,
) -> ModeBinding:
    """MIKEY-SAKKE (RFC 6509), optionally with other (e.g. mutant) machine classes."""
    return ModeBinding(
        initiator=lambda profile, params, env: initiator_class(
            sakke_settings_for(profile, params), env
        ),
        responder=lambda profile, params, env: responder_class(
            sakke_settings_for(profile, params), env
        ),
    )


BINDINGS: Mapping[str, ModeBinding] = {
    "PSK": psk_binding(),
    "SAKKE": sakke_binding(),
}
"""Every mode the reference implements, by the catalog's mode name."""


def bindings_with(mode: str, binding: ModeBinding) -> dict[str, ModeBinding]:
    """BINDINGS with one mode's binding replaced (how mutants swap a machine in)."""
    return {**BINDINGS, mode: binding}


@dataclass
class BuiltinSut(Sut):
    """The reference initiators, responders and codec behind the SUT interface."""

    bindings: Mapping[str, ModeBinding] = field(default_factory=lambda: dict(BINDINGS))
    _initiator: InitiatorMachine | None = field(default=None, init=False)
    _responder: ResponderMachine | None = field(default=None, init=False)

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
        )

    def environment(self) -> Environment:
        """The SUT's clock, randomness and skew window (the real clock)."""
        return Environment(max_skew=self.profile.max_skew)

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

    def update(self) -> bytes:
        initiator = self._need(self._initiator, "update() before initiate()")
        with crash_is_failure("update"):
            return initiator.start_update()

    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        with crash_is_failure("respond"):
            if self._responder is None:
                binding = self._binding(params)
                self._responder = binding.responder(self.profile, params, self.environment())
            reply = self._responder.receive(message)
        return Reply(reply.message, reply.outcome.accepted, reply.outcome.reason)

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
