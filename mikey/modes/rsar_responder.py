"""MIKEY-RSA-R, responder side (RFC 4738 3.5, 3.6): it chooses the TGK and sends it back.

`process` runs RFC 3830 5.3's procedure on the RSA-R I_MESSAGE, reusing the
public-key responder's checks, then builds the R_MESSAGE:

  decode, check_data_type, check_version_prf  (RFC 3830; RSA-R I_MSG, 4738 3.9.1)
  check_payloads        -> Unspecified error (T and SIGN once, SIGN last; no KEMAC,
                           PKE or CHASH: "I_MESSAGE = HDR, T, [RAND], [IDi|CERTi],
                           [IDr], {SP}, SIGNi", 4738 3.1)
  check_timestamp, check_replay
  check_clear_identities -> Invalid ID (an IDr that is not ours, 4738 3.4)
  check_certificate     -> Invalid Cert / Invalid ID (CERTi or the known chain; an
                           X.509v3 URL CERTi fetched through env.fetch, 3.8)
  verify_signature      -> Auth failure (SIGNi, 3.4, RFC 3830 5.2)
  remember              (authenticated: into the replay cache)
  check_csb             -> Unspecified error (a CSB ID in use)
  encryption_key        -> Invalid Cert (the certificate does not allow keyEncipherment)
  choose_policies       -> Invalid SPpar (none of the proposed policies is ours, 3.4)
  r_message             the R_MESSAGE: TGKs and envelope key chosen here (3.6)

"The V bit MUST be set to '1' and ignored by the Responder, as a response is
MANDATORY in this mode" (3.4): V is not looked at. An unparseable message is
answered as RFC 3830 5.1.2 says (its Table 6.12 number, Unspecified error
when there is none): RFC 4738's Error no 13 "MAY" be 12 for RFC 3830
implementations (3.5), and Table 6.12 here has no 13.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from mikey.crypto.envelope import envelope_encrypt
from mikey.modes.base import Rejection
from mikey.modes.csb import Csb
from mikey.modes.pk_common import sealed_kemac
from mikey.modes.pk_responder import PkResponder
from mikey.modes.psk_common import message_keys
from mikey.modes.responder import Incoming
from mikey.modes.rsar_common import PeerChain, RsaRSettings, csb_id_extension, sign_r_message
from mikey.modes.signing import signer_key
from mikey.pki import CertificateError, Usage, check_key_usage
from mikey.srtp import UnsupportedSrtpPolicy, srtp_profile
from mikey.wire import (
    Cert,
    CommonHeader,
    DataType,
    ErrorNo,
    GeneralExtension,
    Id,
    Message,
    Payload,
    Pke,
    ProtType,
    Rand,
    SecurityPolicy,
    Sign,
    Timestamp,
    encode_key_data_with_id,
)

I_MESSAGE_PAYLOADS = (Timestamp, Rand, Id, Cert, SecurityPolicy, GeneralExtension, Sign)


class RsaRResponder(PkResponder):
    """Takes RSA-R I_MESSAGEs and answers each with an R_MESSAGE carrying the TGKs."""

    data_types = frozenset({DataType.RSA_R_INIT})
    group: Csb | None = None
    """The group's CSB, in group mode, once a member asked (group_csb)."""

    def process(self, incoming: Incoming) -> tuple[bytes | None, str]:
        data = incoming.data
        msg = incoming.msg = self.decode(data)
        self.check_data_type(msg)
        self.check_version_prf(msg)
        self.check_payloads(msg)
        self.check_timestamp(msg)
        self.check_replay(data, msg)
        expected_id = self.check_clear_identities(msg)
        signer = self.check_certificate(msg, expected_id)
        self.verify_signature(data, msg, signer)
        self.remember(data, msg)
        self.check_csb(msg)
        peer_key = self.encryption_key(msg)
        policies = self.choose_policies(msg)
        answer, csb = self.r_message(msg, peer_key, policies)
        self.csbs[msg.hdr.csb_id] = self.last_csb = csb  # a group's under each member's ID
        self.last_message = msg
        return answer, f"CSB {csb.csb_id:#010x} established (RFC 4738 3.6)"

    def check_payloads(self, msg: Message) -> None:
        """HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi (4738 3.1); SIGN last (6.5)."""
        for p in msg.payloads:
            if not isinstance(p, I_MESSAGE_PAYLOADS):
                name = type(p).__name__
                raise Rejection(ErrorNo.UNSPECIFIED, f"{name} in an RSA-R I_MESSAGE (4738 3.1)")
        counts = Counter(type(p) for p in msg.payloads)
        if counts[Timestamp] != 1 or counts[Sign] != 1 or counts[Rand] > 1 or counts[Id] > 2:
            raise Rejection(ErrorNo.UNSPECIFIED, "not the payloads of RFC 4738 3.1")
        if not isinstance(msg.payloads[-1], Sign):
            raise Rejection(ErrorNo.UNSPECIFIED, "SIGN is not the last payload (RFC 3830 6.5)")

    def check_csb(self, msg: Message) -> Csb | None:
        """A new CSB ID: RSA-R defines no update of an established CSB (4738 3)."""
        if msg.hdr.csb_id in self.csbs:
            raise Rejection(ErrorNo.UNSPECIFIED, f"CSB ID {msg.hdr.csb_id:#010x} is in use (6.1)")
        return None

    def check_certificate(self, msg: Message, expected_id: Id | None) -> CertificatePublicKeyTypes:
        """CERTi (an X.509v3 URL one fetched, 4738 3.8), or the known chain, passes mikey.pki."""
        return signer_key(self.initiator_chain(msg), self.pk.anchors, self.env, expected_id)

    def encryption_key(self, msg: Message) -> CertificatePublicKeyTypes:
        """PKi: the initiator's certified key, which must allow keyEncipherment (4738 3.6)."""
        chain = self.initiator_chain(msg)
        try:
            check_key_usage(chain[0], Usage.ENCRYPT)
        except CertificateError as exc:
            raise Rejection(exc.error, exc.reason) from None
        return chain[0].public_key()

    def initiator_chain(self, msg: Message) -> tuple[x509.Certificate, ...]:
        """CERTi or the known chain, had once per message (rsar_common.PeerChain)."""
        return self.peer_chain.of(msg)

    @cached_property
    def peer_chain(self) -> PeerChain:
        return PeerChain(self.env.fetch, self.pk.peer.chain if self.pk.peer is not None else ())

    def choose_policies(self, msg: Message) -> tuple[SecurityPolicy, ...]:
        """One of the proposed policies that we take, else Invalid SPpar (4738 3.4, 3.5);
        none proposed: ours (3.6: "An SP payload MAY be included in the R_MESSAGE")."""
        self.check_policy_numbers(msg)  # proposals too (RFC 3830 6.10)
        proposed = msg.all(SecurityPolicy)
        if not proposed:
            return self.settings.policies
        for policy in proposed:
            try:
                if policy.prot_type == ProtType.SRTP and srtp_profile(policy):
                    return (policy,)
            except UnsupportedSrtpPolicy:
                continue
        raise Rejection(ErrorNo.INVALID_SPPAR, "no proposed SP is supported (RFC 4738 3.4)")

    def r_message(
        self,
        msg: Message,
        peer_key: CertificatePublicKeyTypes,
        policies: tuple[SecurityPolicy, ...],
    ) -> tuple[bytes, Csb]:
        """R_MESSAGE = HDR, [GenExt(CSB_ID)], T, [RAND], [IDr|CERTr], [SP], KEMAC, PKE, SIGNr
        (4738 3.1, 3.6): a new CSB, or in group mode the group's (rsar_common)."""
        s, pk = self.settings, self.pk
        hdr = replace(msg.hdr, data_type=DataType.RSA_R_RESP, v=False)
        if self.group_mode:
            csb = self.group_csb(hdr, policies)
            hdr = replace(
                hdr, cs_map=csb.cs_map, cs_id_map_type=csb.cs_id_map_type, cs_count=csb.cs_count
            )
            head: tuple[Payload, ...] = (csb_id_extension(csb.csb_id),)
            rand: tuple[Payload, ...] = (Rand(csb.rand),)  # always (3.5), I_MESSAGE's unused
        else:
            if hdr.n_cs == 0:  # "The Responder MUST fill in the number of CSs ..." (3.6)
                hdr = replace(hdr, cs_map=s.cs_map, cs_count=None)
            hdr = self.fill_in_ssrcs(hdr)
            i_rand = msg.first(Rand)
            csb = Csb.initial(
                hdr,
                i_rand.rand if i_rand else self.env.random(s.rand_len),
                s.new_key_data(self.env.random),
                policies,
            )
            head, rand = (), () if i_rand else (Rand(csb.rand),)
        if s.id_r is None:
            raise ValueError("RSA-R sends the responder's identity in the KEMAC: set id_r (3.6)")
        t = msg.all(Timestamp)[0]
        env_key = self.env.random(pk.env_key_len)
        keys = message_keys(env_key, csb.csb_id, csb.rand, s.encr_alg, s.mac_alg)
        plain = encode_key_data_with_id(s.id_r, csb.key_data)
        kemac = sealed_kemac(
            s.encr_alg, s.mac_alg, keys, csb.csb_id, self.timestamp_input(t), plain
        )
        pke = Pke(pk.cache, envelope_encrypt(peer_key, env_key, pk.envelope))
        payloads: tuple[Payload, ...] = (
            *head,
            t,
            *rand,
            s.id_r,
            *(pk.cert_payloads() if pk.send_cert else ()),
            *(csb.policies if self.group_mode else policies),
            kemac,
            pke,
        )
        r_msg = Message(hdr, payloads)
        key = pk.credential.private_key()
        data = sign_r_message(r_msg, msg, pk.s_type, key, pk.hash_name)
        self.last_keys, self.last_env_key = keys, env_key
        return data, csb

    @property
    def group_mode(self) -> bool:
        """Whether this responder is a group's key distributor (RsaRSettings.group)."""
        return isinstance(self.pk, RsaRSettings) and self.pk.group

    def group_csb(self, hdr: CommonHeader, policies: tuple[SecurityPolicy, ...]) -> Csb:
        """The group's CSB, made at the first member's request: a new CSB ID, the RAND, the
        TGKs, the CS ID map and the SPs every member gets (3.6)."""
        if self.group is None:
            s = self.settings
            filled = self.fill_in_ssrcs(replace(hdr, cs_map=s.cs_map, cs_count=None))
            csb_id = int.from_bytes(self.env.random(4), "big")
            rand, key_data = self.env.random(s.rand_len), s.new_key_data(self.env.random)
            self.group = Csb.initial(replace(filled, csb_id=csb_id), rand, key_data, policies)
        return self.group
