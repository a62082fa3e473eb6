"""MIKEY-SAKKE, responder side (RFC 6509 2.2.2).

`process` runs RFC 3830 5.3's procedure with RFC 6509's additions, one overridable check
per step:

  decode              -> the DecodeError's number (error_no_for), or silence
  check_data_type     -> Invalid DT (SAKKE msg only)
  check_version_prf   -> Unspecified error / Invalid PRF
  check_payloads      -> Unspecified error (T, RAND, SAKKE or SIGN missing or repeated,
                         SIGN not ECCSI, a CERT with ECCSI, a payload 2.1 does not list)
  check_timestamp     -> Invalid TS (NTP-UTC or NTP only, 2.2.1; within the clock skew)
  check_replay        -> silence (discard)
  identifiers         -> Invalid ID (IDR roles, IDRr not us, unknown KMS); gives the
                         Identifiers of both sides, of the month of T (3.2)
  verify_signature    -> Auth failure (RFC 6507 5.2.2)
  remember            (the replay cache, once the message is authenticated)
  decapsulate         -> Auth failure (the SAKKE data does not verify, RFC 6508 6.2.2)
  check_policies      -> Invalid SP / Invalid SPpar
  establish           (the CSB, the SSV as its TGK, 3.1)

The V bit is ignored (2.2.1, 4.1): nothing is ever sent back but Error messages.
Decisions: without IDRi, the initiator is the peer configured (its URI known from the
signalling, 2.2.1); IDRi names whom the signature is checked against. An IDRr that is
not our URI is "Invalid ID": the SAKKE data was meant for that Identifier (2.2.1). A
failed signature or SAKKE check is "Auth failure" (2.2.2 names it for the signature;
Table 6.12 has nothing closer for data that does not decapsulate).
"""

from __future__ import annotations

from collections import Counter

from mikey.crypto import CryptoError, eccsi, sakke
from mikey.modes.base import Environment, Rejection
from mikey.modes.csb import Csb
from mikey.modes.replay import ReplayCache
from mikey.modes.responder import Incoming, Responder
from mikey.modes.sakke_common import SakkeSettings, signed_part
from mikey.modes.sakke_kms import identifier, key_period_of_ntp
from mikey.wire import (
    DataType,
    ErrorNo,
    GeneralExtension,
    Idr,
    IdRole,
    KeyData,
    KeyType,
    Message,
    Rand,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    SecurityPolicy,
    Sign,
    SignType,
    Timestamp,
)

I_MESSAGE_PAYLOADS = (Timestamp, Rand, Idr, SecurityPolicy, GeneralExtension, Sakke, Sign)
"""HDR, T, RAND, [IDRi], [IDRr], [IDRkmsi], [IDRkmsr], {SP}, SAKKE, SIGN (2.1; no CERT
with ECCSI, 2.2.1); General Extensions may ride along (RFC 3830 6.15)."""
ONCE = ((Timestamp, "T"), (Rand, "RAND"), (Sakke, "SAKKE"), (Sign, "SIGN"))


class SakkeResponder(Responder):
    """Takes MIKEY-SAKKE I_MESSAGEs (RFC 6509 2.2.2)."""

    data_types = frozenset({DataType.SAKKE_MSG})

    def __init__(
        self,
        settings: SakkeSettings,
        env: Environment | None = None,
        replay: ReplayCache | None = None,
    ) -> None:
        super().__init__(env, replay)
        self.settings = settings
        self.csbs: dict[int, Csb] = {}
        self.last_csb: Csb | None = None

    def supported_policies(self) -> tuple[SecurityPolicy, ...]:
        return self.settings.policies

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        data = incoming.data
        msg = incoming.msg = self.decode(data)
        self.check_data_type(msg)
        self.check_version_prf(msg)
        self.check_payloads(msg)
        self.check_timestamp(msg)
        self.check_replay(data, msg)
        id_i, id_r = self.identifiers(msg)
        self.verify_signature(data, msg, id_i)
        self.remember(data, msg)
        ssv = self.decapsulate(msg, id_r)
        self.check_policies(msg)
        csb = self.establish(msg, ssv)
        return None, f"CSB {csb.csb_id:#010x} established (RFC 6509 2.2.2)"

    # -- checks, in the order `process` runs them --------------------------------------------

    def check_payloads(self, msg: Message) -> None:
        """The payloads of 2.1: T, RAND, SAKKE and SIGN once each, SIGN last and ECCSI."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in a SAKKE I_MESSAGE (RFC 6509 2.1)")
        counts = Counter(type(p) for p in msg.payloads)
        for kind, name in ONCE:
            if counts[kind] != 1:
                raise Rejection(
                    ErrorNo.UNSPECIFIED, f"{counts[kind]} {name} payloads, not 1 (RFC 6509 2.1)"
                )
        sign = msg.payloads[-1]
        if not isinstance(sign, Sign) or sign.s_type != SignType.ECCSI:
            raise Rejection(ErrorNo.UNSPECIFIED, "the last payload is not an ECCSI SIGN (2.2.1)")

    def identifiers(self, msg: Message) -> tuple[bytes, bytes]:
        """(initiator's, our) Identifiers, of the month of T (3.2), checked against the IDRs."""
        s = self.settings
        roles = {p.id_role: p.data for p in msg.all(Idr)}
        if len(roles) != len(msg.all(Idr)):
            raise Rejection(ErrorNo.INVALID_ID, "two IDR payloads of one ID Role (2.2.1)")
        uri_r = roles.get(IdRole.IDRR, s.uri_r)
        if uri_r != s.uri_r:
            raise Rejection(ErrorNo.INVALID_ID, f"IDRr {uri_r!r} is not us (RFC 6509 2.2.1)")
        for role in (IdRole.IDRKMSI, IdRole.IDRKMSR):
            if roles.get(role, s.kms.name) != s.kms.name:
                raise Rejection(ErrorNo.INVALID_ID, f"{role.name}: not a KMS we know (2.2.1)")
        t = msg.first(Timestamp)
        assert t is not None  # check_payloads
        period = key_period_of_ntp(t.value, self.env.clock())
        try:
            return identifier(self.initiator_uri(roles), period), identifier(uri_r, period)
        except ValueError as exc:
            raise Rejection(ErrorNo.INVALID_ID, str(exc)) from None

    def initiator_uri(self, roles: dict[IdRole, bytes]) -> bytes:
        """IDRi's URI, else the peer's from the signalling (the configured one, 2.2.1)."""
        return roles.get(IdRole.IDRI, self.settings.uri_i)

    def verify_signature(self, data: bytes, msg: Message, id_i: bytes) -> None:
        """The ECCSI signature under the initiator's Identifier (2.2.2, RFC 6507 5.2.2)."""
        signature = data[len(signed_part(data)) :]
        if not eccsi.verify(signed_part(data), signature, id_i, self.settings.kms.kpak):
            raise Rejection(ErrorNo.AUTH_FAILURE, "the ECCSI signature does not verify (2.2.2)")

    def decapsulate(self, msg: Message, id_r: bytes) -> bytes:
        """The SSV of the SAKKE payload (2.2.2, RFC 6508 6.2.2), for our Identifier."""
        payload = msg.first(Sakke)
        if payload is None:
            raise Rejection(ErrorNo.UNSPECIFIED, "no SAKKE payload (RFC 6509 2.2.1)")
        if (payload.sakke_params, payload.id_scheme) != (
            SakkeParamSet.PARAMETER_SET_1,
            SakkeIdScheme.TEL_URI_MONTHLY,
        ):
            raise Rejection(ErrorNo.UNSPECIFIED, "SAKKE params or ID scheme not supported (4.2)")
        keys = self.settings.kms.user_keys(id_r)
        try:
            return sakke.decapsulate(payload.data, id_r, self.settings.kms.z_point, keys.rsk)
        except CryptoError as exc:
            raise Rejection(ErrorNo.AUTH_FAILURE, f"SAKKE data: {exc}") from None

    # -- taking the message --------------------------------------------------------------------

    def establish(self, msg: Message, ssv: bytes) -> Csb:
        """The CSB, with the SSV as its TGK (3.1)."""
        rand = msg.first(Rand)
        key_data = (KeyData(KeyType.TGK, ssv),)
        policies = tuple(msg.all(SecurityPolicy))
        csb = Csb.initial(msg.hdr, rand.rand if rand else b"", key_data, policies)
        self.csbs[csb.csb_id] = self.last_csb = csb
        return csb
