"""Every kind of message the reference PK mode emits (RFC 3830 3.2), made by its own classes.

Initiator: initial I_MESSAGEs with PKCS#1 v1.5 and PSS signatures, AES-CM and
NULL KEMAC encryption, with and without CHASH (tshark 4.0 stops dissecting at
a CHASH, so the variants without it are the ones whose PKE and SIGN it
checks), CERTi in place of IDi, no certificate at all, V clear, salted TGKs;
update messages (4.5); RSA-R (RFC 4738) I_ and R_MESSAGEs. Responder: the
verification message (PK ver msg) and the Error messages its certificate and
authentication checks give. RSA
encryption and PSS are randomized, so the bytes differ per run; the shapes do not.
"""

from __future__ import annotations

from typing import Any

from conformance.testpki import MALLORY
from mikey.modes.pk_initiator import PkInitiator
from mikey.wire import Id, IdType, KeyType, SignType
from tests.modes.pk_pairs import PKI, make_pk_pair, make_rsar_pair

VARIANTS: dict[str, dict[str, Any]] = {
    "pkcs1": {},
    "pss": {"s_type": SignType.RSA_PSS},
    "no-chash": {"send_chash": False},
    "no-chash-pss-null": {
        "send_chash": False,
        "s_type": SignType.RSA_PSS,
        "transport": {"encr_alg": 0, "mac_alg": 1},
    },
    "certi-for-idi": {"send_chash": False, "transport": {"id_i": None}},
    "no-cert": {"send_cert": False, "send_chash": False},
    "v-clear": {"send_chash": False, "transport": {"v": False}},
    "tgk-salt": {"send_chash": False, "transport": {"key_type": KeyType.TGK_SALT}},
}
"""Initiator settings per variant (pk_pairs.make_pk_pair keyword arguments)."""

ERROR_CASES = {
    "invalid-cert": PKI.initiator.expired,
    "invalid-id": PKI.initiator.identity_mismatch,
}


def pk_corpus() -> dict[str, bytes]:
    """Name -> message bytes for every PK message shape the reference emits."""
    corpus: dict[str, bytes] = {}
    for name, changes in VARIANTS.items():
        pair = make_pk_pair(**changes)
        i_message = corpus[f"pk-{name}-i-message"] = pair.initiator.start()
        reply = pair.responder.receive(i_message)
        assert reply.outcome.accepted, (name, reply.outcome.reason)
        if reply.message is not None:
            corpus[f"pk-{name}-r-message"] = reply.message
            assert pair.initiator.receive(reply.message).accepted
        corpus[f"pk-{name}-update"] = pair.initiator.start_update()
    for name, credential in ERROR_CASES.items():
        pair = make_pk_pair(initiator_cred=credential, send_chash=False)
        corpus[f"pk-error-{name}"] = _error(pair.responder.receive(pair.initiator.start()).message)
    pair = make_pk_pair(send_chash=False)
    forged = pair.forge(lambda m: m)
    data = bytearray(forged)
    data[-1] ^= 1
    corpus["pk-error-auth-failure"] = _error(pair.responder.receive(bytes(data)).message)
    corpus["pk-error-encrypted-idi"] = _encrypted_idi_error(make_pk_pair(send_chash=False))
    return {**corpus, **rsar_corpus()}


def rsar_corpus() -> dict[str, bytes]:
    """RSA-R (RFC 4738) I_MESSAGE and R_MESSAGE, with the RAND on either side."""
    corpus: dict[str, bytes] = {}
    for name, initiator_rand in (("rand-in-i", True), ("rand-in-r", False)):
        initiator, responder = make_rsar_pair(initiator_rand=initiator_rand)
        i_message = corpus[f"rsar-{name}-i-message"] = initiator.start()
        reply = responder.receive(i_message)
        assert reply.message is not None, reply.outcome.reason
        corpus[f"rsar-{name}-r-message"] = reply.message
        assert initiator.receive(reply.message).accepted
    return corpus


def _encrypted_idi_error(pair: Any) -> bytes:
    """The authenticated Error message (with V) for an encrypted IDi that is not IDi."""
    initiator: PkInitiator = pair.initiator

    def other_idi(msg: Any) -> Any:
        from dataclasses import replace

        from mikey.wire import Kemac, Timestamp, encode_key_data_with_id

        csb, t = initiator.latest_csb, msg.first(Timestamp)
        assert csb is not None and t is not None
        plain = encode_key_data_with_id(Id(IdType.URI, MALLORY.encode()), csb.key_data)
        kemac = initiator.kemac_for(msg.hdr.csb_id, t, plain)
        return replace(
            msg, payloads=tuple(kemac if isinstance(p, Kemac) else p for p in msg.payloads)
        )

    return _error(pair.responder.receive(pair.forge(other_idi)).message)


def _error(message: bytes | None) -> bytes:
    assert message is not None, "the reference responder sent no Error message"
    return message
