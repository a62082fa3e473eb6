"""MIKEY-RSA-R (RFC 4738) end to end, and each check's outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mikey.crypto.signature import RSA_SIGN_TYPES
from mikey.modes.rsar_common import new_csb_id
from mikey.modes.rsar_initiator import RsaRInitiator
from mikey.wire import (
    DataType,
    ErrorNo,
    Kemac,
    Pke,
    Rand,
    SecurityPolicy,
    SignType,
    decode_message,
)
from tests.modes.pk_pairs import PKI
from tests.modes.pk_pairs import make_rsar_pair as make
from tests.srtp.helpers import round_trip


@pytest.mark.parametrize("initiator_rand", [True, False])
@pytest.mark.parametrize("s_type", list(RSA_SIGN_TYPES), ids=lambda s: s.name)
def test_exchange_keys_interoperate_in_libsrtp(initiator_rand: bool, s_type: SignType) -> None:
    initiator, responder = make(initiator_rand=initiator_rand, s_type=s_type)
    i_message = initiator.start()
    reply = responder.receive(i_message)
    assert reply.outcome.accepted, reply.outcome.reason
    assert reply.message is not None
    r_msg = decode_message(reply.message)
    assert r_msg.hdr.data_type == DataType.RSA_R_RESP
    assert (r_msg.first(Rand) is None) == initiator_rand  # RAND from one side only (3.6)
    assert r_msg.first(Kemac) is not None and r_msg.first(Pke) is not None
    outcome = initiator.receive(reply.message)
    assert outcome.accepted, outcome.reason
    csb_i, csb_r = initiator.csb, responder.last_csb
    assert csb_i is not None and csb_r is not None and csb_i.key_data == csb_r.key_data
    assert round_trip(csb_i.srtp_keys(1), csb_r.srtp_keys(1)).ok


def test_i_message_has_no_key_material() -> None:
    msg = decode_message(make()[0].start())
    kinds = [type(p).__name__ for p in msg.payloads]
    assert kinds == ["Timestamp", "Rand", "Id", "Cert", "Cert", "Id", "SecurityPolicy", "Sign"]
    assert msg.hdr.data_type == DataType.RSA_R_INIT and msg.hdr.v


@pytest.mark.parametrize(
    ("bad", "error"),
    [("expired", ErrorNo.INVALID_CERT), ("unknown_ca", ErrorNo.INVALID_CERT),
     ("identity_mismatch", ErrorNo.INVALID_ID)],
)  # fmt: skip
def test_responder_refuses_untrusted_initiator_certificates(bad: str, error: ErrorNo) -> None:
    initiator, responder = make(initiator_cred=getattr(PKI.initiator, bad))
    assert responder.receive(initiator.start()).outcome.error == error


def test_responder_refuses_a_bad_signature_and_replays() -> None:
    initiator, responder = make()
    data = initiator.start()
    bad = data[:-1] + bytes([data[-1] ^ 1])
    assert responder.receive(bad).outcome.error == ErrorNo.AUTH_FAILURE
    assert responder.receive(data).outcome.accepted
    again = responder.receive(data)
    assert (again.outcome.accepted, again.outcome.error, again.message) == (False, None, None)


def test_responder_refuses_proposed_policies_it_cannot_take() -> None:
    initiator, responder = make()
    msg = initiator.compose()
    sp = msg.all(SecurityPolicy)[0]
    odd = replace(sp, params=(*sp.params[:0], replace(sp.params[0], value=b"\x09")))
    data = initiator.seal(replace(msg, payloads=tuple(odd if p is sp else p for p in msg.payloads)))
    assert responder.receive(data).outcome.error == ErrorNo.INVALID_SPPAR


@pytest.mark.parametrize("bad", ["expired", "identity_mismatch"])
def test_initiator_refuses_untrusted_responder_certificates(bad: str) -> None:
    initiator, responder = make(responder_cred=getattr(PKI.responder, bad))
    reply = responder.receive(initiator.start())
    assert reply.message is not None
    outcome = initiator.receive(reply.message)
    assert not outcome.accepted and outcome.error in (ErrorNo.INVALID_CERT, ErrorNo.INVALID_ID)


def test_initiator_refuses_a_bad_signr_and_another_exchanges_r_message() -> None:
    initiator, responder = make()
    reply = responder.receive(initiator.start())
    assert reply.message is not None
    bad = reply.message[:-1] + bytes([reply.message[-1] ^ 1])
    assert initiator.receive(bad).error == ErrorNo.AUTH_FAILURE
    other_initiator, other_responder = make(initiator_rand=False)
    other_reply = other_responder.receive(other_initiator.start())
    assert other_reply.message is not None
    outcome = initiator.receive(other_reply.message)  # another CSB ID (3.6)
    assert not outcome.accepted
    assert initiator.receive(reply.message).accepted


@pytest.mark.parametrize("initiator_rand", [True, False])
def test_group_members_get_the_one_group_csb(initiator_rand: bool) -> None:
    """Group mode (RFC 4738 3.2, 3.6): GenExt(CSB_ID) and the responder's RAND key every
    member alike, the I_MESSAGE's RAND and the HDR's CSB ID unused."""
    first, responder = make(group=True, initiator_rand=initiator_rand)
    second = RsaRInitiator(first.pk, first.env)
    csbs = []
    for member in (first, second):
        i_message = member.start()
        i_msg = decode_message(i_message)
        assert i_msg.hdr.n_cs == 0 and not i_msg.all(SecurityPolicy)
        reply = responder.receive(i_message)
        assert reply.message is not None, reply.outcome.reason
        r_msg = decode_message(reply.message)
        assert r_msg.hdr.csb_id == i_msg.hdr.csb_id and r_msg.hdr.n_cs > 0
        assert new_csb_id(r_msg) not in (None, i_msg.hdr.csb_id)
        assert r_msg.first(Rand) is not None and r_msg.first(SecurityPolicy) is not None
        outcome = member.receive(reply.message)
        assert outcome.accepted, outcome.reason
        assert member.csb is not None and member.csb.csb_id == new_csb_id(r_msg)
        csbs.append(member.csb)
    assert csbs[0] == csbs[1] == responder.group


def test_group_and_unicast_do_not_mix() -> None:
    """A group member refuses a unicast answer, a unicast initiator a group one (3.6)."""
    for asks_group in (True, False):
        initiator, _ = make(group=asks_group)
        _, other = make(group=not asks_group)
        reply = other.receive(initiator.start())
        assert reply.message is not None
        outcome = initiator.receive(reply.message)
        assert not outcome.accepted and "CSB_ID" in outcome.reason
