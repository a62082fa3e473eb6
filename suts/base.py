"""The one interface every system under test (SUT) is driven through.

docs/design.md "The SUT interface": the suite plays the reference side of each
exchange and talks to the SUT only through these calls. A SUT declares what
it implements (its capabilities, ETSI's PICS) and takes the exchange
parameters the suite hands it (its profile, ETSI's PIXIT), so both sides
agree on identities, keys and algorithms.
"""

from __future__ import annotations

import contextlib
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from mikey.credentials import PkMaterial
from mikey.modes.sakke_kms import SakkeCommunity
from mikey.wire.payloads import Id, SecurityPolicy, SrtpIdEntry
from mikey.wire.registry import (
    CsIdMapType,
    DhGroup,
    EncrAlg,
    ErrorNo,
    IdType,
    KeyType,
    MacAlg,
    PayloadType,
    PkeCache,
    TsType,
)

if TYPE_CHECKING:
    from mikey.srtp import SrtpKeys
    from suts.transport import Segment


class Role(StrEnum):
    """The part a SUT plays in a test."""

    INITIATOR = "initiator"
    RESPONDER = "responder"
    DECODER = "decoder"


EVERY_PAYLOAD = frozenset(PayloadType) - {PayloadType.LAST}
"""Every payload of RFC 3830 Table 6.1.b (Key data included: it is KEMAC's plaintext, 6.13)."""


@dataclass(frozen=True)
class CodecCapabilities:
    """What a SUT's codec can write (as encoder) or read (as decoder) of RFC 3830 section 6.

    The codec tests need these; a valid message with something outside them is
    not applicable to that side of the codec (conformance.checks).
    """

    payloads: frozenset[PayloadType] = EVERY_PAYLOAD
    """The payload types (RFC 3830 Table 6.1.b) it implements."""
    cs_id_map_types: frozenset[CsIdMapType] = frozenset(CsIdMapType)
    """The CS ID map types (RFC 3830 6.1, RFC 4563 section 5) of the #CS > 0 HDRs it
    implements; with #CS = 0 there are no crypto sessions to map."""
    encrypted_kemac: bool = True
    """It carries KEMAC Encr data encrypted with an Encr alg other than NULL as the
    bytes it is (RFC 3830 4.2.3, 6.2). False: only plaintext Key data sub-payloads."""


@dataclass(frozen=True)
class Capabilities:
    """What a SUT implements (PICS). A test needing more is not applicable."""

    name: str
    modes: frozenset[str]
    roles: frozenset[Role]
    encr_algs: frozenset[EncrAlg] = frozenset({EncrAlg.AES_CM_128})
    mac_algs: frozenset[MacAlg] = frozenset({MacAlg.HMAC_SHA_1_160})
    key_types: frozenset[KeyType] = frozenset({KeyType.TGK})
    exports_keys: bool = False
    """The SUT can report the SRTP master key and salt it derived (srtp_keys)."""
    updates: bool = False
    """The SUT can send and take CSB update messages (RFC 3830 4.5)."""
    update_keeps_keys: bool = False
    """As initiator it sends, when `update` asks (UpdateParams.new_keys False), an update
    without new keying material (RFC 3830 4.5; RFC 4650 3.1 b). False: those tests do not
    apply."""
    update_adds_sessions: bool = False
    """As initiator it sends, when `update` asks (UpdateParams.cs_map), an update whose CS ID
    map adds crypto sessions to the CSB (RFC 3830 4.5). False: those tests do not apply."""
    media: bool = False
    """The SUT sends SRTP media keyed by the CSB it initiated (receive_srtp), or, as
    responder, takes SRTP media keyed by the CSB it responded to (send_srtp): an RTSP
    endpoint (RFC 4567). Media does not travel through the shim or the control channel."""
    provisionable: bool = True
    """A second instance built with another profile takes that profile (identities,
    keys). False for a fixed device: tests that need other provisioning do not apply."""
    encoder: CodecCapabilities = CodecCapabilities()
    """What its encoder writes (the decoder role's `encode`)."""
    decoder: CodecCapabilities = CodecCapabilities()
    """What its decoder reads (the decoder role's `decode`)."""
    rand_optional: bool = False
    """As RSA-R initiator it leaves RAND out of the I_MESSAGE when the exchange's
    `initiator_rand` is False (RFC 4738 3.4: RAND there is a SHOULD). False: the tests
    that need an I_MESSAGE without RAND do not apply."""
    rsar_group: bool = False
    """It plays RSA-R group mode (RFC 4738 3.2) when the exchange's `rsar_group` asks: as
    initiator a member asking for the group's keys, as responder the group's key
    distributor. False: the group-mode tests do not apply."""
    envelope_key_cache: bool = False
    """It caches the PK envelope key as the PKE's C field asks (RFC 3830 3.2, 4.5, Table
    6.3): as PK initiator it writes the C of the exchange's `pke_cache` and, with C 1 or 2,
    sends the CSB's updates (`update`) as pre-shared key messages keyed with the envelope
    key; as PK responder it keeps the key for C 1 or 2 and takes such messages. False: the
    envelope key caching tests do not apply."""
    takes_chash: bool = True
    """As PK responder it takes an I_MESSAGE carrying the optional CHASH payload (RFC 3830
    3.2: `[CHASH]`; 6.8). False: the reference PK initiator leaves CHASH out of the
    I_MESSAGEs it sends it as the vehicle of another check (3.2 allows it), so a SUT that
    cannot parse CHASH is still judged on the rest; the tests whose subject is CHASH
    itself send it all the same (and fail against such a SUT)."""
    takes_err_payloads: bool = True
    """As initiator it can be sent an Error message with ERR payloads (RFC 3830 5.1.2:
    `{ERR}`) answering its I_MESSAGE and go on serving. False (declared by the adapter of
    a SUT known to hang on them and that it cannot restart): the Error-message cases with
    ERR payloads do not apply, as the hang would fail every test after them; the case
    without ERR still runs, and the SUT's expectations file records the hang."""
    ts_types: frozenset[TsType] = frozenset({TsType.NTP_UTC, TsType.NTP})
    """The TS types (RFC 3830 Table 6.6) it takes as PSK and PK responder and stamps as
    initiator when the exchange's `ts_type` asks. NTP-UTC and NTP are mandatory; without
    the optional COUNTER the COUNTER tests do not apply."""


DEFAULT_CALL_TIMEOUT = 3.0
"""Seconds the shim adapter waits for one call when nothing sets `call_timeout`. The
reference shim answers the slowest call (a MIKEY-SAKKE responder's, pure Python) in
under 0.2 s on a loaded 2-core machine, so 3 s is 15 times that; a SUT that hangs
costs 3 s per test or fuzz sample instead of 10 (about 30 minutes for a run of every
test, not 110). Starting the shim has a timeout of its own (suts.shim.client)."""


def check_call_timeout(value: object, what: str = "call_timeout") -> float:
    """A per-call timeout: a positive, finite number of seconds; ValueError naming `what`."""
    seconds = math.nan
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):
            seconds = float(value)
    if not 0 < seconds < math.inf:
        raise ValueError(f"{what} must be a positive number of seconds, got {value!r}")
    return seconds


@dataclass(frozen=True)
class Profile:
    """What the suite and the SUT share before any exchange (PIXIT).

    `max_skew` is the clock skew (seconds) the SUT says it allows (RFC 3830
    5.4: "an allowable clock skew (which is set by the local policy)").
    `pk` is the public-key material of the PK, DH and RSA-R modes (None: the
    suite's generated test PKI for the two identities, conformance.testpki).
    `call_timeout` is how long (seconds) an adapter waits for the SUT in one call or
    exchange (None: the adapter's own default; docs/suts.md gives the precedence).
    """

    psk: bytes = bytes(range(1, 17))
    id_initiator: Id = Id(IdType.URI, b"sip:alice@mikey.test")
    id_responder: Id = Id(IdType.URI, b"sip:bob@mikey.test")
    max_skew: float = 300.0
    sakke: SakkeCommunity = field(default_factory=SakkeCommunity)
    """MIKEY-SAKKE: the KMS and the users' tel URIs (RFC 6509 2.1.2, 3.2)."""
    pk: PkMaterial | None = None
    call_timeout: float | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        """Build a profile from a JSON object; raises ValueError naming the bad key."""
        known = {"psk", "id_initiator", "id_responder", "max_skew", "sakke", "pk", "call_timeout"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown profile key(s): {', '.join(unknown)}")
        kwargs: dict[str, Any] = {}
        try:
            if "psk" in data:
                kwargs["psk"] = bytes.fromhex(str(data["psk"]))
            for key in ("id_initiator", "id_responder"):
                if key in data:
                    kwargs[key] = Id(IdType.URI, str(data[key]).encode("utf-8"))
            if "max_skew" in data:
                kwargs["max_skew"] = float(data["max_skew"])
            if "sakke" in data:
                kwargs["sakke"] = SakkeCommunity.from_json(dict(data["sakke"]))
            if "pk" in data:
                kwargs["pk"] = PkMaterial.from_json(data["pk"])
            if "call_timeout" in data:
                value = data["call_timeout"]
                if isinstance(value, str):  # a JSON number, not a string
                    raise ValueError(f"call_timeout must be a number of seconds, got {value!r}")
                kwargs["call_timeout"] = check_call_timeout(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"bad profile value: {exc}") from None
        if kwargs.get("psk") == b"":
            raise ValueError("bad profile value: psk is empty")
        return cls(**kwargs)


@dataclass(frozen=True)
class ExchangeParams:
    """Parameters of one exchange, handed to the SUT for its side of it."""

    mode: str = "PSK"
    v: bool = True
    encr_alg: EncrAlg = EncrAlg.AES_CM_128
    mac_alg: MacAlg = MacAlg.HMAC_SHA_1_160
    key_type: KeyType = KeyType.TGK
    cs_map: tuple[SrtpIdEntry, ...] | None = None
    policies: tuple[SecurityPolicy, ...] | None = None
    include_ids: bool = True
    dh_group: DhGroup = DhGroup.OAKLEY_5
    """The DH group an initiator chooses (DH, DH-HMAC; RFC 3830 Table 6.4)."""
    initiator_rand: bool = True
    """Whether an RSA-R initiator sends RAND in its I_MESSAGE (RFC 4738 3.4 SHOULD; without
    it the responder's RAND keys the CSB, 3.5, 3.6). Honoured when `rand_optional`."""
    rsar_group: bool = False
    """RSA-R group mode (RFC 4738 3.2): the initiator asks for a group's keys, the
    responder hands every member the one group CSB. Honoured when `rsar_group`."""
    pke_cache: PkeCache = PkeCache.NO_CACHE
    """The C a PK initiator writes in its PKE (RFC 3830 6.3, Table 6.3): whether the
    envelope key is cached, and so keys the CSB's updates (4.5). Honoured when
    `envelope_key_cache`; a responder reads C from the message."""
    ts_type: TsType = TsType.NTP_UTC
    """The TS type an initiator stamps T with (RFC 3830 Table 6.6); asked only of a SUT
    whose `ts_types` has it."""


@dataclass(frozen=True)
class UpdateParams:
    """What the suite asks of an update the SUT initiator sends (RFC 3830 4.5); the defaults
    leave it to the SUT."""

    new_keys: bool = True
    """It carries new keying material (a new TGK; in DH and DH-HMAC a fresh DHi). False: none
    ("does not need to contain new keying material", 4.5); asked only with
    `update_keeps_keys`."""
    cs_map: tuple[SrtpIdEntry, ...] | None = None
    """The CS ID map it carries (6.1.1): the CSB's crypto sessions followed by those it adds
    ("new Crypto Sessions are added in the update message", 4.5). None: the CSB's own;
    asked only with `update_adds_sessions`."""


@dataclass(frozen=True)
class Reply:
    """What a SUT in the responder role answered to one message.

    `message` is what it sent back (None: nothing). `accepted` is what the SUT
    says it did with the message: True (CSB established or updated), False
    (rejected), None (it cannot tell, e.g. a network peer).
    """

    message: bytes | None
    accepted: bool | None
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """How a SUT in the initiator role took the responder's answer."""

    accepted: bool
    error: ErrorNo | None = None
    detail: str = ""


@dataclass(frozen=True)
class DecodeResult:
    """A SUT decoder's verdict on a byte string: a structure, or a rejection."""

    accepted: bool
    structure: dict[str, Any] | None = None
    detail: str = ""


@dataclass(frozen=True)
class MediaCapture:
    """The SRTP and SRTCP packets a SUT sent after an exchange (RFC 3711)."""

    rtp: tuple[bytes, ...]
    rtcp: tuple[bytes, ...]
    payload: bytes | None = None
    """What the SUT made of the media it took in, when it says (e.g. the depayloaded
    audio an RTSP client wrote to a file); None when it does not."""


class SutFailure(Exception):
    """The SUT misbehaved outside the protocol (crashed, hung, broke the interface).

    Raised by adapters; the suite records it as a failed case with evidence,
    never as a harness error.
    """


@dataclass
class Sut(ABC):
    """A system under test, as the suite sees it."""

    profile: Profile = field(default_factory=Profile)

    @abstractmethod
    def capabilities(self) -> Capabilities:
        """What the SUT implements."""

    @abstractmethod
    def initiate(self, params: ExchangeParams) -> bytes:
        """Start an exchange as initiator; return the I_MESSAGE."""

    @abstractmethod
    def complete(self, response: bytes | None) -> Outcome:
        """As initiator, take the responder's answer to the last I_MESSAGE."""

    @abstractmethod
    def respond(self, message: bytes, params: ExchangeParams) -> Reply:
        """As responder, take one message; return what the SUT sent back."""

    @abstractmethod
    def decode(self, data: bytes) -> DecodeResult:
        """As decoder, parse a byte string."""

    @abstractmethod
    def encode(self, structure: dict[str, Any]) -> bytes:
        """As encoder, write a message given in the codec's JSON form."""

    @abstractmethod
    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        """The SRTP master key and salt the SUT derived for a crypto session
        of its last established CSB in `role`, when it can export them."""

    @abstractmethod
    def update(self, params: UpdateParams | None = None) -> bytes:
        """As initiator, send an update of the last CSB (RFC 3830 4.5), as `params` asks
        (None: as the SUT chooses)."""

    @abstractmethod
    def reset(self) -> None:
        """Forget every CSB and replay-cache entry (a fresh SUT)."""

    def receive_srtp(self) -> MediaCapture:
        """As initiator, after `complete` accepted: start the media of the last CSB and
        return the SRTP/SRTCP packets the SUT sent (only when capabilities().media)."""
        raise SutFailure(f"{type(self).__name__} sends no media")

    def send_srtp(self, rtp: tuple[bytes, ...], rtcp: bytes) -> MediaCapture:
        """As responder, after `respond`: start the media of the last CSB towards the SUT,
        send it the SRTP packets `rtp` (20 ms apart) and then the SRTCP packet `rtcp`, and
        return what the SUT sent back: its SRTCP receiver reports (only when
        capabilities().media)."""
        raise SutFailure(f"{type(self).__name__} takes no media")

    def call_timeout(self) -> float | None:
        """Seconds the adapter waits for the SUT in one call or exchange (run.json records
        it); None: it sets no timeout (an in-process SUT, or an adapter without one)."""
        return None

    def transport(self) -> list[Segment]:
        """The messages the adapter carried over a protocol of its own (RTSP) since the
        last call, oldest first (suts/transport.py); [] when it speaks none."""
        return []

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the adapter holds (processes, sockets)."""
