"""MIKEY-SAKKE, initiator side (RFC 6509 2.1, 2.2.1).

    I_MESSAGE = HDR, T, RAND, [IDRi], [IDRr], [IDRkmsi], [IDRkmsr], {SP}, SAKKE, SIGN

A single simplex message: the initiator draws the SSV, encapsulates it for the
responder's Identifier (RFC 6508 6.2.1), signs the message with ECCSI (RFC 6507 5.2.1)
and holds the CSB from then on, with the SSV as its TGK (RFC 6509 3.1). HDR: data type
SAKKE msg (26), V = 0 (2.2.1, 4.1), a random CSB ID. T: NTP-UTC (2.2.1). Both Identifiers
carry the month of that T (3.2). No CERT payload goes with ECCSI (2.2.1).

Building is two steps, so a test can alter a message and still sign it: `compose` gives
the unsigned Message (and starts the exchange), `sign` signs any Message with the
initiator's key. One overridable method per part: `header`, `identity_payloads`,
`sakke_payload`.
"""

from __future__ import annotations

from mikey.crypto import eccsi, sakke
from mikey.modes.base import Environment, Outcome
from mikey.modes.csb import Csb
from mikey.modes.error_message import error_numbers
from mikey.modes.sakke_common import SakkeSettings, sign_message
from mikey.modes.sakke_kms import identifier, key_period_of_ntp
from mikey.wire import (
    CommonHeader,
    DataType,
    DecodeError,
    ErrorNo,
    Idr,
    IdRole,
    IdType,
    KeyData,
    KeyType,
    Message,
    Payload,
    Rand,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    Timestamp,
    decode_message,
)


class SakkeInitiator:
    """Sends MIKEY-SAKKE I_MESSAGEs; a CSB is established as soon as its message is sent."""

    def __init__(self, settings: SakkeSettings, env: Environment | None = None) -> None:
        self.settings = settings
        self.env = env if env is not None else Environment()
        self.csbs: dict[int, Csb] = {}
        self.pending: Csb | None = None
        self.last_csb_id: int | None = None
        self.ssv: bytes | None = None

    @property
    def csb(self) -> Csb | None:
        """The CSB of the latest I_MESSAGE sent."""
        return self.csbs.get(self.last_csb_id) if self.last_csb_id is not None else None

    # -- building ------------------------------------------------------------------------

    def start(self) -> bytes:
        """A signed I_MESSAGE for a new CSB."""
        return self.sign(self.compose())

    def start_update(self) -> bytes:
        raise ValueError("MIKEY-SAKKE has no update message: one I_MESSAGE per CSB (RFC 6509 2.1)")

    def compose(self) -> Message:
        """An unsigned I_MESSAGE (no SIGN yet); starts a new exchange."""
        s = self.settings
        hdr = self.header(self.new_csb_id())
        t = self.env.timestamp(s.ts_type)
        rand = self.env.random(s.rand_len)
        self.ssv = self.env.random(sakke.PARAMETER_SET_1.ssv_octets)  # RFC 6508 6.2.1 step 1
        key_data = (KeyData(KeyType.TGK, self.ssv),)  # the SSV is the TGK (RFC 6509 3.1)
        self.pending = Csb.initial(hdr, rand, key_data, s.policies)
        payloads: list[Payload] = [t, Rand(rand), *self.identity_payloads()]
        payloads += [*s.policies, self.sakke_payload(self.ssv, self.responder_identifier(t))]
        return Message(hdr, tuple(payloads))

    def sign(self, msg: Message) -> bytes:
        """`msg` signed with ECCSI (RFC 6509 2.2.1); the pending CSB is now established."""
        t = msg.first(Timestamp)
        if t is None:
            raise ValueError("an I_MESSAGE without T cannot name its key period (RFC 6509 3.2)")
        keys = self.settings.kms.user_keys(self.initiator_identifier(t))
        j = eccsi.random_scalar(self.env.random(2 * eccsi.N))
        data = sign_message(msg, keys.signing, j)
        if self.pending is not None and self.pending.csb_id == msg.hdr.csb_id:
            self.csbs[msg.hdr.csb_id] = self.pending
            self.last_csb_id = msg.hdr.csb_id
        return data

    def new_csb_id(self) -> int:
        """A random CSB ID no CSB of ours uses (RFC 6509 2.2.1, RFC 3830 6.1)."""
        while True:
            csb_id = int.from_bytes(self.env.random(4), "big")
            if csb_id not in self.csbs:
                return csb_id

    def header(self, csb_id: int) -> CommonHeader:
        """HDR: SAKKE msg, V = 0 ("a response is not expected in this mode", 2.2.1)."""
        return CommonHeader(DataType.SAKKE_MSG, csb_id, self.settings.cs_map, v=False)

    def identity_payloads(self) -> tuple[Idr, ...]:
        """IDRi and IDRr carry the URIs of the Identifiers (2.2.1, 3.2); IDRkmsi and
        IDRkmsr the KMS, roles 6 and 7 (4.4)."""
        s = self.settings
        found: list[Idr] = []
        if s.include_idr:
            found += [Idr(IdRole.IDRI, IdType.URI, s.uri_i), Idr(IdRole.IDRR, IdType.URI, s.uri_r)]
        if s.include_kms_idr:
            kms_roles = (IdRole.IDRKMSI, IdRole.IDRKMSR)
            found += [Idr(role, IdType.URI, s.kms.name) for role in kms_roles]
        return tuple(found)

    def sakke_payload(self, ssv: bytes, responder: bytes) -> Sakke:
        """SAKKE: parameter set 1, tel URI with monthly keys, the Encapsulated Data (4.2)."""
        data = sakke.encapsulate(ssv, responder, self.settings.kms.z_point)
        return Sakke(SakkeParamSet.PARAMETER_SET_1, SakkeIdScheme.TEL_URI_MONTHLY, data)

    def initiator_identifier(self, t: Timestamp) -> bytes:
        """The Identifier the I_MESSAGE is signed under: the month of T (3.2)."""
        return identifier(self.settings.uri_i, key_period_of_ntp(t.value, self.env.clock()))

    def responder_identifier(self, t: Timestamp) -> bytes:
        """The Identifier the SSV is encapsulated for: the month of T (3.2)."""
        return identifier(self.settings.uri_r, key_period_of_ntp(t.value, self.env.clock()))

    # -- what may come back ------------------------------------------------------------------

    def receive(self, data: bytes) -> Outcome:
        """Nothing is expected back (2.1); an Error message names what the responder refused."""
        try:
            msg = decode_message(data)
        except DecodeError as exc:
            return Outcome(False, ErrorNo.UNSPECIFIED, f"an undecodable answer: {exc}")
        if msg.hdr.data_type != DataType.ERROR:
            return Outcome(False, ErrorNo.UNSPECIFIED, "MIKEY-SAKKE expects no response (2.1)")
        numbers = error_numbers(msg)
        names = ", ".join(n.name for n in numbers) or "no ERR payload"
        error = numbers[0] if numbers else ErrorNo.UNSPECIFIED
        return Outcome(False, error, f"the responder reports {names} (RFC 3830 5.1.2)")
