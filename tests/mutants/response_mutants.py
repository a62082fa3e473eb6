"""Answer mutants, killed by conformance/rfc3830/test_answers_responder.py:

- a responder that stamps its answer with a T of its own, not the I_MESSAGE's (RFC 3830
  5.2, 3.3; RFC 4738 3.6), in PK, DH-HMAC and RSA-R (PSK's and DH's,
  new_timestamp_in_response and dh_responder_uses_its_own_timestamp, are in
  psk_mutants.py and dh_mutants.py): test_the_answer_carries_the_initiator_timestamp
  (the reference initiator, which compares the answer's T with its own, refuses their
  answers too);
- a responder that echoes the SSRCs the initiator left zero (6.1.1), in PK, DH, DH-HMAC
  and RSA-R (PSK's, in psk_mutants.py):
  test_the_answer_fills_in_the_ssrcs_the_initiator_left_zero.
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto.dh import DhKeyPair
from mikey.modes.csb import Csb
from mikey.modes.dhhmac_responder import DhHmacResponder
from mikey.modes.pk_responder import PkResponder
from mikey.modes.responder import Responder
from mikey.modes.rsar_common import sign_r_message
from mikey.modes.rsar_responder import RsaRResponder
from mikey.wire import CommonHeader, Message, SecurityPolicy, Timestamp, decode_message
from tests.mutants.timing_mutants import register


def _own_t(msg: Message, own: Timestamp) -> Message:
    return replace(
        msg, payloads=tuple(own if isinstance(p, Timestamp) else p for p in msg.payloads)
    )


class _PkOwnT(PkResponder):
    def compose_response(self, i_message: Message) -> Message:
        return _own_t(super().compose_response(i_message), self.env.timestamp())


class _DhHmacOwnT(DhHmacResponder):
    def compose_response(self, i_message: Message, pair: DhKeyPair | None = None) -> Message:
        return _own_t(super().compose_response(i_message, pair), self.env.timestamp())


class _RsaROwnT(RsaRResponder):
    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        data, csb = super().r_message(msg, peer_key, policies)
        r_message = _own_t(decode_message(data), self.env.timestamp())
        pk = self.pk
        key = pk.credential.private_key()
        return sign_r_message(r_message, msg, pk.s_type, key, pk.hash_name), csb


OWN_T = "stamps its answer with a T of its own"
register("PK", "responder_uses_its_own_timestamp", _PkOwnT,
         "RFC3830-5.2-responder-timestamp", OWN_T)  # fmt: skip
register("DH-HMAC", "responder_uses_its_own_timestamp", _DhHmacOwnT,
         "RFC3830-3.3-responder-timestamp", OWN_T)  # fmt: skip
register("RSA-R", "responder_uses_its_own_timestamp", _RsaROwnT, "RFC4738-3.6-t-same", OWN_T)


class _EchoesZeroSsrcs(Responder):
    def fill_in_ssrcs(self, hdr: CommonHeader) -> CommonHeader:
        return hdr


for _mode in ("PK", "DH", "DH-HMAC", "RSA-R"):
    register(_mode, "responder_echoes_zero_ssrcs", _EchoesZeroSsrcs, "RFC3830-6.1.1-ssrc-zero-fill",
             "echoes the zero SSRCs instead of filling them in")  # fmt: skip
