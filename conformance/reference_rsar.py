"""The suite's side of an RSA-R exchange (RFC 4738): the reference library, driven for a test.

`RsaRReferenceInitiator` sends signed I_MESSAGEs to a SUT responder and takes
its R_MESSAGE; `RsaRReferenceResponder` answers a SUT initiator and can
re-sign a changed R_MESSAGE (SIGNr, 4738 3.6), so a SUT that rejects the
forgery rejects the one fault it carries.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from typing import Any

from conformance.reference import ByteMutation, HarnessError, environment
from mikey.crypto.signature import signature_sign
from mikey.modes.base import Outcome, Reply
from mikey.modes.pk_common import sealed_kemac
from mikey.modes.psk_common import message_keys
from mikey.modes.rsar_common import sign_r_message
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.modes.rsar_responder import RsaRResponder
from mikey.modes.signing import sign_message, signature_length, signed_part, unsigned
from mikey.ntp import ts_value_64
from mikey.wire import (
    DecodeError,
    Kemac,
    Message,
    Payload,
    Rand,
    Timestamp,
    decode_message,
    encode_key_data_with_id,
    encode_message,
)
from suts.base import ExchangeParams, Profile, Role
from suts.builtin_modes import rsar_settings_for

RSA_R = ExchangeParams(mode="RSA-R")


class RsaRReferenceInitiator:
    """The reference RSA-R initiator; its clock runs `clock_offset` seconds off real time
    (the timestamp tests, RFC 3830 5.4)."""

    def __init__(
        self,
        profile: Profile,
        params: ExchangeParams = RSA_R,
        clock_offset: float = 0.0,
        **changes: Any,
    ) -> None:
        self.params = params
        self.settings = replace(rsar_settings_for(profile, params, Role.INITIATOR), **changes)
        self.peer = RsaRInitiator(self.settings, environment(profile, clock_offset))
        self.message: Message | None = None

    def i_message(self) -> bytes:
        data = self.peer.start()
        self.message = decode_message(data)
        return data

    def forge(self, mutate: Any) -> bytes:
        """A new I_MESSAGE changed by `mutate` (Message -> Message), then signed; it need
        not decode (an unassigned value), so the peer does not record it as sent."""
        s = self.settings
        self.message = mutate(self.peer.compose())
        data = sign_message(self.message, s.s_type, s.credential.private_key(), s.hash_name)
        with suppress(DecodeError):
            self.peer.sent = decode_message(data)  # its answer is awaited
        return data

    def forge_bytes(self, mutate: ByteMutation) -> bytes:
        """A new I_MESSAGE changed by `mutate` on the byte level, then signed."""
        s = self.settings
        key = s.credential.private_key()
        self.message = unsigned(self.peer.compose(), s.s_type, signature_length(key))
        covered = mutate(signed_part(encode_message(self.message), self.message))
        return covered + signature_sign(s.s_type, key, covered, s.hash_name)

    @property
    def csb_id(self) -> int:
        if self.message is None:
            raise HarnessError("i_message() first")
        return self.message.hdr.csb_id

    def take_response(self, data: bytes) -> Outcome:
        return self.peer.receive(data)


class RsaRReferenceResponder:
    """The reference RSA-R responder, plus re-signed forgeries of its R_MESSAGE."""

    def __init__(self, profile: Profile, params: ExchangeParams = RSA_R, **changes: Any) -> None:
        self.pk = replace(rsar_settings_for(profile, params, Role.RESPONDER), **changes)
        self.peer = RsaRResponder(self.pk, environment(profile))

    def take(self, message: bytes) -> Reply:
        return self.peer.receive(message)

    def resigned(self, r_message: bytes, payloads: tuple[Payload, ...]) -> bytes:
        """The R_MESSAGE with these payloads (SIGNr last, a placeholder) and SIGNr made anew."""
        i_message = self.peer.last_message
        if i_message is None:
            raise HarnessError("no I_MESSAGE taken yet")
        msg = replace(decode_message(r_message), payloads=payloads)
        key = self.pk.credential.private_key()
        return sign_r_message(msg, i_message, self.pk.s_type, key, self.pk.hash_name)

    def without_rand(self, r_message: bytes) -> bytes:
        """The R_MESSAGE without RAND, re-signed, its KEMAC sealed anew under keys derived
        with an empty RAND (RFC 3830 4.1.4): the one keying left when no side sent RAND, so
        only the RAND rule (4738 3.7) stands between a SUT and the TGK."""
        csb, env_key, id_r = self.peer.last_csb, self.peer.last_env_key, self.pk.transport.id_r
        if csb is None or env_key is None or id_r is None:
            raise HarnessError("no R_MESSAGE made yet")
        msg = decode_message(r_message)
        old, t = msg.all(Kemac)[0], msg.all(Timestamp)[0]
        keys = message_keys(env_key, csb.csb_id, b"", old.encr_alg, old.mac_alg)
        plain = encode_key_data_with_id(id_r, csb.key_data)
        kemac = sealed_kemac(old.encr_alg, old.mac_alg, keys, csb.csb_id, ts_value_64(t), plain)
        payloads = tuple(
            kemac if isinstance(p, Kemac) else p for p in msg.payloads if not isinstance(p, Rand)
        )
        return self.resigned(r_message, payloads)

    def with_timestamp(self, r_message: bytes, t: Timestamp) -> bytes:
        """The R_MESSAGE with T replaced by `t`, its KEMAC sealed anew with `t` in the IV
        (RFC 3830 4.2.3) and re-signed: only the T rule (4738 3.6) tells it from the answer."""
        csb, keys, id_r = self.peer.last_csb, self.peer.last_keys, self.pk.transport.id_r
        if csb is None or keys is None or id_r is None:
            raise HarnessError("no R_MESSAGE made yet")
        msg = decode_message(r_message)
        old = msg.all(Kemac)[0]
        plain = encode_key_data_with_id(id_r, csb.key_data)
        kemac = sealed_kemac(old.encr_alg, old.mac_alg, keys, csb.csb_id, ts_value_64(t), plain)
        payloads = tuple(
            t if isinstance(p, Timestamp) else kemac if isinstance(p, Kemac) else p
            for p in msg.payloads
        )
        return self.resigned(r_message, payloads)

    def for_another_csb(self, r_message: bytes) -> bytes:
        """The R_MESSAGE under the next CSB ID, its KEMAC sealed anew under keys derived
        with that CSB ID (RFC 3830 4.1.4, 4.2.3) and re-signed: only the CSB ID rule
        (4738 3.6) tells it from the answer."""
        csb, env_key, id_r = self.peer.last_csb, self.peer.last_env_key, self.pk.transport.id_r
        if csb is None or env_key is None or id_r is None:
            raise HarnessError("no R_MESSAGE made yet")
        msg = decode_message(r_message)
        csb_id = (csb.csb_id + 1) & 0xFFFFFFFF
        old, t = msg.all(Kemac)[0], msg.all(Timestamp)[0]
        keys = message_keys(env_key, csb_id, csb.rand, old.encr_alg, old.mac_alg)
        plain = encode_key_data_with_id(id_r, csb.key_data)
        kemac = sealed_kemac(old.encr_alg, old.mac_alg, keys, csb_id, ts_value_64(t), plain)
        payloads = tuple(kemac if isinstance(p, Kemac) else p for p in msg.payloads)
        moved = encode_message(replace(msg, hdr=replace(msg.hdr, csb_id=csb_id)))
        return self.resigned(moved, payloads)

    def with_extra_rand(self, r_message: bytes) -> bytes:
        """The R_MESSAGE with a RAND of its own after T, re-signed (4738 3.7)."""
        msg = decode_message(r_message)
        extra = Rand(bytes(range(16)))
        return self.resigned(r_message, (msg.payloads[0], extra, *msg.payloads[1:]))
