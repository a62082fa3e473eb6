"""The suite's side of a PK exchange (RFC 3830 3.2): the reference library, driven for a test.

`PkReferenceInitiator` and `PkReferenceResponder` are conformance.reference's
PSK ones with the public-key machines in them (what they share, they inherit).
Forgeries of a PK I_MESSAGE are broken in exactly one way and then signed
(SIGNi, 5.2) with the initiator's key, so a responder that rejects them can
only be rejecting that one fault. The adversarial certificates come from the
suite's test PKI (conformance.testpki), so they exist only when the profile
brings no PKI of its own (`bad_certificates`).

CHASH (3.2: `[CHASH]`, 6.8) is optional: built with `responder=` the SUT, the
reference initiator leaves it out when that SUT declares `takes_chash` False
(`vehicle_chash`), so a stack that cannot take one is judged on the rest; a test
whose subject is CHASH passes `send_chash=True`.

Envelope key caching (RFC 3830 3.2, 4.5, 6.3; mikey.modes.pk_cache): the
reference initiator makes the pre-shared key messages keyed with an envelope key
(`psk_keyed_by`, whatever C said, so a test can send one the C forbids), and
`keyed_with` tells whether a pre-shared key message is keyed with a given one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from conformance.checks import strict_decode
from conformance.reference import (
    ByteMutation,
    HarnessError,
    MessageMutation,
    ReferenceInitiator,
    ReferenceResponder,
    environment,
)
from conformance.testpki import PartyCerts, test_pki
from mikey.crypto import mac
from mikey.crypto.envelope import envelope_encrypt
from mikey.modes.pk_common import PkSettings
from mikey.modes.pk_initiator import PkInitiator
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_common import message_keys
from mikey.modes.sealing import verify
from mikey.wire import (
    PAYLOAD_TYPE,
    Cert,
    CertType,
    DataType,
    Id,
    Kemac,
    Message,
    PayloadType,
    Pke,
    Timestamp,
    Verification,
    decode_message,
    encode_key_data_with_id,
    encode_payload,
)
from suts.base import ExchangeParams, Profile, Role, Sut
from suts.builtin import pk_settings_for

PK = ExchangeParams(mode="PK")


def pk_params(**changes: Any) -> ExchangeParams:
    """Exchange parameters of a PK test: the defaults, with `changes` applied."""
    return replace(PK, **changes)


def bad_certificates(profile: Profile, who: Role) -> PartyCerts:
    """The test PKI's refused certificates for `who`'s key; not applicable with a profile PKI."""
    if profile.pk is not None:
        pytest.skip("not-applicable: the profile brings its own PKI; the suite holds no CA key")
    pki = test_pki(profile.id_initiator, profile.id_responder)
    return pki.initiator if who is Role.INITIATOR else pki.responder


def caching_applicable(sut: Sut) -> None:
    """Not applicable unless the SUT caches envelope keys and takes or sends updates."""
    caps = sut.capabilities()
    if not caps.envelope_key_cache or not caps.updates:
        pytest.skip("not-applicable: the SUT does not cache PK envelope keys (envelope_key_cache)")


def keyed_with(data: bytes, env_key: bytes, rand: bytes) -> bool:
    """Whether `data` is a pre-shared key message whose KEMAC MAC verifies under the keys
    that `env_key` as the pre-shared key gives with the CSB's `rand` (4.1.4, 5.2)."""
    msg = decode_message(data)
    kemac = msg.first(Kemac)
    if kemac is None:
        return False
    keys = message_keys(env_key, msg.hdr.csb_id, rand, kemac.encr_alg, kemac.mac_alg)
    return verify(data, msg, keys.auth_key)


def _payloads(msg: Message, kind: type, new: tuple[Any, ...]) -> Message:
    """`msg` with its payloads of class `kind` replaced by `new`, where the first one was."""
    at = next(i for i, p in enumerate(msg.payloads) if isinstance(p, kind))
    rest = tuple(p for p in msg.payloads if not isinstance(p, kind))
    return replace(msg, payloads=(*rest[:at], *new, *rest[at:]))


def vehicle_chash(responder: Sut) -> bool:
    """Whether an I_MESSAGE that carries another check to `responder` has CHASH: CHASH is
    optional (3.2: `[CHASH]`), so it is left out for a SUT that declares it cannot take
    one (`takes_chash` False), which is then still judged on that other check. A test
    whose subject is CHASH passes `send_chash=True` instead."""
    return responder.capabilities().takes_chash


class PkReferenceInitiator(ReferenceInitiator):
    """The reference PK initiator, plus forgeries of its I_MESSAGE.

    `responder` is the SUT its I_MESSAGEs are for: given, CHASH follows its `takes_chash`
    (`vehicle_chash`) unless `send_chash` is among `changes`; None sends CHASH (the
    default PkSettings).
    """

    peer: PkInitiator

    def __init__(
        self,
        profile: Profile,
        params: ExchangeParams = PK,
        clock_offset: float = 0.0,
        *,
        responder: Sut | None = None,
        **changes: Any,
    ) -> None:
        self.params = params
        if responder is not None and "send_chash" not in changes:
            changes["send_chash"] = vehicle_chash(responder)
        self.pk: PkSettings = replace(pk_settings_for(profile, params, Role.INITIATOR), **changes)
        self.settings = self.pk.transport
        self.peer = PkInitiator(self.pk, environment(profile, clock_offset))
        self._message = None

    def forge_bytes(self, mutate: ByteMutation) -> bytes:
        """A new I_MESSAGE changed by `mutate` on the byte level, then signed."""
        self.i_message()
        covered = mutate(self.peer.unsealed_bytes())
        return covered + self.peer.sign_over(covered)

    def signed_by_another_key(self) -> bytes:
        """A new I_MESSAGE, CERTi and all, signed by a fresh key its certificate does not
        certify (5.2)."""
        self.i_message()
        stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.peer.pk = replace(self.pk, credential=replace(self.pk.credential, key=stranger))
        try:
            return self.peer.seal(self.peer.unsealed_message())
        finally:
            self.peer.pk = self.pk

    @property
    def env_key(self) -> bytes:
        """The envelope key of the latest PK message."""
        if self.peer.env_key is None:
            raise HarnessError("i_message() first")
        return self.peer.env_key

    def psk_keyed_by(self, env_key: bytes, update_of: int | None = None) -> bytes:
        """A pre-shared key I_MESSAGE with `env_key` as the pre-shared key (3.2, 4.5): an
        update of CSB `update_of` (established on this side), or a new CSB's (None)."""
        data = self.peer.start_psk(env_key, update_of)
        self._message = decode_message(data)
        return data

    # -- forgeries of one payload, signed afterwards ---------------------------------------

    @staticmethod
    def without(kind: str) -> MessageMutation:
        """Drop the payloads of one kind (by its Table 6.1.b name), PKE included."""
        if kind != "PKE":
            return ReferenceInitiator.without(kind)
        return lambda msg: replace(
            msg, payloads=tuple(p for p in msg.payloads if not isinstance(p, Pke))
        )

    @staticmethod
    def with_certificates(*ders: bytes) -> MessageMutation:
        """CERTi replaced by these DER strings (6.7)."""
        return lambda msg: _payloads(msg, Cert, tuple(Cert(CertType.X509V3, d) for d in ders))

    def pke_under(self, public_key: Any) -> MessageMutation:
        """The PKE with the envelope key encrypted under another key than the responder's."""

        def mutate(msg: Message) -> Message:
            env_key = self.peer.env_key
            assert env_key is not None
            pke = msg.all(Pke)[0]
            data = envelope_encrypt(public_key, env_key, self.pk.envelope)
            return _payloads(msg, Pke, (Pke(pke.cache, data),))

        return mutate

    def kemac_with_idi(self, ident: Id) -> MessageMutation:
        """The KEMAC re-encrypted and re-MACed with another IDi in it (3.2, 6.2)."""

        def mutate(msg: Message) -> Message:
            csb, t = self.peer.latest_csb, msg.first(Timestamp)
            assert csb is not None and t is not None
            plain = encode_key_data_with_id(ident, csb.key_data)
            return _payloads(msg, Kemac, (self.peer.kemac_for(msg.hdr.csb_id, t, plain),))

        return mutate

    def kemac_mac_over_next_payload(self) -> MessageMutation:
        """The KEMAC MAC taken with its real Next payload field, not zero (5.2, 6.2)."""

        def mutate(msg: Message) -> Message:
            at = next(i for i, p in enumerate(msg.payloads) if isinstance(p, Kemac))
            kemac, following = msg.payloads[at], msg.payloads[at + 1]
            assert isinstance(kemac, Kemac)
            keys = self.peer.keys
            assert keys is not None
            next_payload = PAYLOAD_TYPE.get(type(following), PayloadType.LAST)
            covered = encode_payload(kemac, next_payload)[: -len(kemac.mac) or None]
            tag = mac(kemac.mac_alg, keys.auth_key, covered)
            return _payloads(msg, Kemac, (replace(kemac, mac=tag),))

        return mutate


def answer_is_valid(ref: PkReferenceInitiator, message: bytes | None) -> None:
    """The verification message HDR, T, [IDr], V (3.2) verifies at the reference initiator."""
    assert message is not None, "V=1 but the SUT sent no verification message (3.2)"
    msg = strict_decode(message, "the R_MESSAGE")
    assert msg.hdr.data_type == DataType.PK_RESP, f"R_MESSAGE of type {msg.hdr.data_type.name}"
    assert msg.hdr.csb_id == ref.csb_id, "the responder must use the same CSB ID (6.1)"
    assert isinstance(msg.payloads[-1], Verification), "V is not the last payload (3.2, 5.2)"
    outcome = ref.take_response(message)
    assert outcome.accepted, f"the reference initiator rejects the R_MESSAGE: {outcome.reason}"


class PkReferenceResponder(ReferenceResponder):
    """The reference PK responder, plus forgeries of its verification message."""

    peer: PkResponder

    def __init__(self, profile: Profile, **changes: Any) -> None:
        pk = replace(pk_settings_for(profile, PK, Role.RESPONDER), **changes)
        self.settings = pk.transport
        self.peer = PkResponder(pk, environment(profile))
