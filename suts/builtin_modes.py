"""The modes the reference implements, bound for the builtin SUT: per mode, how the
settings of one party come from the profile (PIXIT) and the exchange's parameters, and
which state machines play initiator and responder. A new mode adds its settings function
and one BINDINGS entry; mutants swap a machine class in with `bindings_with`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from mikey.credentials import Credential, PkMaterial
from mikey.modes import base as modes
from mikey.modes.base import Environment
from mikey.modes.dh import DhInitiator, DhResponder, DhSettings
from mikey.modes.dhhmac import DhHmacInitiator, DhHmacResponder, DhHmacSettings
from mikey.modes.pk_common import PkSettings
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk import PskInitiator, PskResponder, PskSettings
from mikey.modes.rsar_common import RsaRSettings
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.rsar_responder import RsaRResponder
from mikey.modes.sakke_common import SakkeSettings
from mikey.modes.sakke_initiator import SakkeInitiator
from mikey.modes.sakke_responder import SakkeResponder
from mikey.srtp import SrtpKeys
from mikey.wire import DataType, SrtpIdEntry
from suts.base import ExchangeParams, Profile, Role


class CsbKeys(Protocol):
    """What the SUT needs of an established CSB: its SRTP keys per crypto session."""

    def srtp_keys(self, cs_id: int) -> SrtpKeys: ...


class InitiatorMachine(Protocol):
    """A mode's initiator state machine, as the builtin SUT drives it."""

    @property
    def csb(self) -> CsbKeys | None: ...

    def start(self) -> bytes: ...

    def start_update(self, csb_id: int | None = None, new_keys: bool = True) -> bytes: ...

    def map_crypto_sessions(self, cs_map: tuple[SrtpIdEntry, ...]) -> None: ...

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


Settings = Callable[[Profile, ExchangeParams, Role], Any]
"""One party's settings (its role given) for one exchange."""


def mode_binding(settings: Settings, initiator_class: type, responder_class: type) -> ModeBinding:
    """A mode's binding: `initiator_class(settings(..., INITIATOR), env)` and the responder's."""
    return ModeBinding(
        initiator=lambda profile, params, env: initiator_class(
            settings(profile, params, Role.INITIATOR), env
        ),
        responder=lambda profile, params, env: responder_class(
            settings(profile, params, Role.RESPONDER), env
        ),
    )


def policy_choices(params: ExchangeParams) -> dict[str, Any]:
    """The CS ID map and security policies the exchange asks for, where it asks (else the
    settings' defaults)."""
    extra: dict[str, Any] = {}
    if params.cs_map is not None:
        extra["cs_map"] = params.cs_map
    if params.policies is not None:
        extra["policies"] = params.policies
    return extra


def settings_for(
    profile: Profile, params: ExchangeParams, role: Role = Role.INITIATOR
) -> PskSettings:
    """PSK (RFC 3830 3.1): the profile's key and identities plus the exchange's params."""
    return PskSettings(
        psk=profile.psk,
        id_i=profile.id_initiator if params.include_ids else None,
        id_r=profile.id_responder if params.include_ids else None,
        encr_alg=params.encr_alg,
        mac_alg=params.mac_alg,
        v=params.v,
        key_type=params.key_type,
        ts_type=params.ts_type,
        **policy_choices(params),
    )


def dhhmac_settings_for(
    profile: Profile, params: ExchangeParams, role: Role = Role.INITIATOR
) -> DhHmacSettings:
    """DH-HMAC (RFC 4650): the profile's identities are always known; `include_ids` False
    leaves only the optional IDi out."""
    return DhHmacSettings(
        psk=profile.psk,
        id_i=profile.id_initiator,
        id_r=profile.id_responder,
        send_id_i=params.include_ids,
        mac_alg=params.mac_alg,
        v=params.v,
        group=params.dh_group,
        **policy_choices(params),
    )


def sakke_settings_for(
    profile: Profile, params: ExchangeParams, role: Role = Role.INITIATOR
) -> SakkeSettings:
    """MIKEY-SAKKE (RFC 6509): the profile's community plus the params."""
    community = profile.sakke
    return SakkeSettings(
        kms=community.kms,
        uri_i=community.uri_initiator,
        uri_r=community.uri_responder,
        include_idr=params.include_ids,
        **policy_choices(params),
    )


def public_key_material(profile: Profile, role: Role) -> tuple[PkMaterial, Credential, Credential]:
    """The profile's public-key material (the test PKI when it has none), and the party
    playing `role`'s own credential and its peer's (RFC 3830 4.3)."""
    from conformance.testpki import pk_material  # the suite's test PKI backs a bare profile

    material = pk_material(profile)
    own, peer = (material.initiator, material.responder)
    if role is Role.RESPONDER:
        own, peer = peer, own
    return material, own, peer


def pk_settings_for(
    profile: Profile, params: ExchangeParams, role: Role, cls: type[PkSettings] = PkSettings
) -> PkSettings:
    """PK (RFC 3830 3.2) for the party playing `role`: the PSK settings as transport, plus
    the profile's public-key material (the test PKI when it has none)."""
    material, own, peer = public_key_material(profile, role)
    return cls(
        transport=settings_for(profile, params),
        credential=own,
        anchors=material.trust_anchors,
        peer=peer,
        initiator_id=profile.id_initiator,
        envelope=material.envelope,
        cache=params.pke_cache,
    )


def rsar_settings_for(profile: Profile, params: ExchangeParams, role: Role) -> RsaRSettings:
    """RSA-R (RFC 4738) for the party playing `role`: the PK settings plus RSA-R's own, as
    the params ask: the initiator's RAND (3.4) and group mode (3.2)."""
    settings = pk_settings_for(profile, params, role, RsaRSettings)
    assert isinstance(settings, RsaRSettings)
    return replace(settings, initiator_rand=params.initiator_rand, group=params.rsar_group)


def dh_settings_for(profile: Profile, params: ExchangeParams, role: Role) -> DhSettings:
    """DH (RFC 3830 3.3) for the party playing `role`: the DH-HMAC settings as transport,
    plus the profile's public-key material (the test PKI when it has none)."""
    material, own, peer = public_key_material(profile, role)
    return DhSettings(
        transport=dhhmac_settings_for(profile, params),
        credential=own,
        anchors=material.trust_anchors,
        peer=peer,
    )


@dataclass(frozen=True)
class Binder:
    """How a mode is bound: its settings function and its machine classes. Called, it
    gives the mode's binding, optionally with other (e.g. mutant) machine classes:
    `dh_binding(responder_class=...)`."""

    settings: Settings
    initiator: type
    responder: type

    def __call__(
        self, initiator_class: type | None = None, responder_class: type | None = None
    ) -> ModeBinding:
        return mode_binding(
            self.settings, initiator_class or self.initiator, responder_class or self.responder
        )


psk_binding = Binder(settings_for, PskInitiator, PskResponder)
"""PSK mode (RFC 3830 3.1)."""
dhhmac_binding = Binder(dhhmac_settings_for, DhHmacInitiator, DhHmacResponder)
"""DH-HMAC (RFC 4650)."""
pk_binding = Binder(pk_settings_for, PkInitiator, PkResponder)
"""PK mode (RFC 3830 3.2)."""
rsar_binding = Binder(rsar_settings_for, RsaRInitiator, RsaRResponder)
"""RSA-R mode (RFC 4738)."""
dh_binding = Binder(dh_settings_for, DhInitiator, DhResponder)
"""DH method (RFC 3830 3.3)."""
sakke_binding = Binder(sakke_settings_for, SakkeInitiator, SakkeResponder)
"""MIKEY-SAKKE (RFC 6509)."""


BINDINGS: Mapping[str, ModeBinding] = {
    "PSK": psk_binding(),
    "PK": pk_binding(),
    "DH": dh_binding(),
    "DH-HMAC": dhhmac_binding(),
    "RSA-R": rsar_binding(),
    "SAKKE": sakke_binding(),
}
"""Every mode the reference implements, by the catalog's mode name."""


INITIATING_DATA_TYPES: Mapping[int, str] = {
    DataType.PSK_INIT: "PSK",
    DataType.PK_INIT: "PK",
    DataType.DH_INIT: "DH",
    DataType.DHHMAC_INIT: "DH-HMAC",
    DataType.RSA_R_INIT: "RSA-R",
    DataType.SAKKE_MSG: "SAKKE",
}
"""The mode whose exchange a message of each HDR data type starts (RFC 3830 6.1 Table
6.1.a, RFC 4650 4.1, RFC 4738 3.9.1, RFC 6509 4.1); an update carries its mode's
initiating type (RFC 3830 4.5)."""


def mode_of(message: bytes, default: str = "PSK") -> str:
    """The mode a responder should take `message` in, by its HDR data type (its second
    octet); `default` when it names none (the mode's responder then rejects it)."""
    if len(message) < 2:
        return default
    return INITIATING_DATA_TYPES.get(message[1], default)


def bindings_with(mode: str, binding: ModeBinding) -> dict[str, ModeBinding]:
    """BINDINGS with one mode's binding replaced (how mutants swap a machine in)."""
    return {**BINDINGS, mode: binding}
