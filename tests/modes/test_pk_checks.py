"""Each PK responder and initiator check rejects with its Table 6.12 number (RFC 3830 3.2, 5.3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.testpki import MALLORY
from mikey.crypto import mac
from mikey.crypto.envelope import envelope_encrypt
from mikey.modes.pk_common import kemac_mac_input
from mikey.wire import (
    Cert,
    CertType,
    Chash,
    ErrorNo,
    HashFunc,
    Id,
    IdType,
    Kemac,
    Message,
    PayloadType,
    Pke,
    Rand,
    Sign,
    encode_key_data_with_id,
    encode_payload,
)
from tests.modes.pairs import offset_of
from tests.modes.pk_pairs import PKI, make_pk_pair, replaced, timestamp_of


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ("expired", ErrorNo.INVALID_CERT),
        ("not_yet_valid", ErrorNo.INVALID_CERT),
        ("wrong_key_usage", ErrorNo.INVALID_CERT),
        ("unknown_ca", ErrorNo.INVALID_CERT),
        ("identity_mismatch", ErrorNo.INVALID_ID),
    ],
)
def test_bad_initiator_certificates(bad: str, error: ErrorNo) -> None:
    pair = make_pk_pair(initiator_cred=getattr(PKI.initiator, bad))
    reply = pair.responder.receive(pair.initiator.start())
    assert (reply.outcome.accepted, reply.outcome.error) == (False, error), reply.outcome.reason
    assert reply.message is not None  # reported (5.1.2), unauthenticated


def test_truncated_certificate_is_invalid_cert() -> None:
    pair = make_pk_pair()
    data = pair.forge(lambda m: replaced(m, Cert, Cert(CertType.X509V3, PKI.initiator.truncated)))
    assert pair.responder.receive(data).outcome.error == ErrorNo.INVALID_CERT


def test_bad_signature_is_auth_failure() -> None:
    pair = make_pk_pair()
    data = bytearray(pair.initiator.start())
    data[-1] ^= 1
    assert pair.responder.receive(bytes(data)).outcome.error == ErrorNo.AUTH_FAILURE


def test_signature_over_other_bytes_is_auth_failure() -> None:
    """A valid signature of the message as it was before one byte (in RAND) changed."""
    pair = make_pk_pair()
    data = bytearray(pair.initiator.start())
    data[offset_of(bytes(data), Rand) + 4] ^= 1
    assert pair.responder.receive(bytes(data)).outcome.error == ErrorNo.AUTH_FAILURE


def test_signature_by_another_key_is_auth_failure() -> None:
    """No CERTi: the responder checks SIGNi under the initiator's known certificate."""
    pair = make_pk_pair(send_cert=False)
    pair.initiator.pk = replace(pair.initiator.pk, credential=PKI.responder.good)
    assert pair.responder.receive(pair.initiator.start()).outcome.error == ErrorNo.AUTH_FAILURE


def test_unsupported_s_type_is_auth_failure() -> None:
    from mikey.wire import SignType

    pair = make_pk_pair(responder_changes={"accepted_s_types": frozenset({SignType.RSA_PSS})})
    assert pair.responder.receive(pair.initiator.start()).outcome.error == ErrorNo.AUTH_FAILURE


def test_pke_under_the_wrong_key_is_auth_failure() -> None:
    pair = make_pk_pair()

    def wrong_key(msg: Message) -> Message:
        env_key = pair.initiator.env_key
        assert env_key is not None
        data = envelope_encrypt(PKI.initiator.good.certificate.public_key(), env_key)
        return replaced(msg, Pke, Pke(msg.all(Pke)[0].cache, data))

    assert pair.responder.receive(pair.forge(wrong_key)).outcome.error == ErrorNo.AUTH_FAILURE


def test_pke_holding_an_empty_envelope_key_is_auth_failure() -> None:
    """PKCS#1 v1.5 implicit rejection can "decrypt" a foreign PKE to nothing (4.1.2)."""
    pair = make_pk_pair()

    def empty_key(msg: Message) -> Message:
        data = envelope_encrypt(PKI.responder.good.certificate.public_key(), b"")
        return replaced(msg, Pke, Pke(msg.all(Pke)[0].cache, data))

    assert pair.responder.receive(pair.forge(empty_key)).outcome.error == ErrorNo.AUTH_FAILURE


def test_encrypted_idi_that_is_not_the_expected_one_is_auth_failure() -> None:
    pair = make_pk_pair()

    def other_idi(msg: Message) -> Message:
        csb = pair.initiator.latest_csb
        assert csb is not None
        plain = encode_key_data_with_id(Id(IdType.URI, MALLORY.encode()), csb.key_data)
        kemac = pair.initiator.kemac_for(msg.hdr.csb_id, timestamp_of(msg), plain)
        return replaced(msg, Kemac, kemac)

    reply = pair.responder.receive(pair.forge(other_idi))
    assert reply.outcome.error == ErrorNo.AUTH_FAILURE
    assert "encrypted IDi" in reply.outcome.reason


def test_kemac_mac_must_be_taken_with_next_payload_zero() -> None:
    pair = make_pk_pair()

    def unzeroed(msg: Message) -> Message:
        kemac = msg.all(Kemac)[0]
        keys = pair.initiator.keys
        assert keys is not None
        covered = encode_payload(kemac, PayloadType.CHASH)[: -len(kemac.mac)]
        assert covered != kemac_mac_input(kemac)
        return replaced(msg, Kemac, replace(kemac, mac=mac(kemac.mac_alg, keys.auth_key, covered)))

    assert pair.responder.receive(pair.forge(unzeroed)).outcome.error == ErrorNo.AUTH_FAILURE


def test_chash_naming_another_certificate_is_invalid_cert() -> None:
    pair = make_pk_pair()
    data = pair.forge(lambda m: replaced(m, Chash, Chash(HashFunc.SHA_1, bytes(20))))
    assert pair.responder.receive(data).outcome.error == ErrorNo.INVALID_CERT


def test_missing_pke_is_unspecified() -> None:
    pair = make_pk_pair()
    assert pair.responder.receive(pair.forge(lambda m: replaced(m, Pke, None))).outcome.error == (
        ErrorNo.UNSPECIFIED
    )


def test_replay_is_discarded_silently() -> None:
    pair = make_pk_pair()
    data = pair.initiator.start()
    assert pair.responder.receive(data).outcome.accepted
    again = pair.responder.receive(data)
    assert (again.outcome.accepted, again.outcome.error, again.message) == (False, None, None)


def test_rejection_before_the_kemac_mac_is_not_authenticated() -> None:
    """An Error message sent before the KEMAC MAC verified carries no V (5.1.2)."""
    from mikey.wire import Verification, decode_message

    pair = make_pk_pair()
    pair.responder.settings = replace(pair.responder.settings, accepted_encr=frozenset())
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.error == ErrorNo.INVALID_EA
    assert reply.message is not None
    assert decode_message(reply.message).first(Verification) is None


def test_initiator_rejects_a_bad_verification_message() -> None:
    pair = make_pk_pair()
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.message is not None
    bad = bytearray(reply.message)
    bad[-1] ^= 1
    outcome = pair.initiator.receive(bytes(bad))
    assert (outcome.accepted, outcome.error) == (False, ErrorNo.AUTH_FAILURE)
    assert pair.initiator.receive(reply.message).accepted


def test_initiator_refuses_a_responder_certificate_it_cannot_trust() -> None:
    from mikey.modes.pk_initiator import PkInitiator

    pair = make_pk_pair()
    for bad in (PKI.responder.expired, PKI.responder.identity_mismatch):
        with pytest.raises(ValueError, match="responder's certificate"):
            PkInitiator(replace(pair.initiator.pk, peer=bad), pair.initiator.env)
    assert isinstance(pair.initiator.compose().payloads[-1], Sign)
