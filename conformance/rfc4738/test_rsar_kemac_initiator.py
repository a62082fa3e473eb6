"""RSA-R, the SUT as initiator: R_MESSAGEs whose KEMAC it must refuse.

RFC 4738 3.6: KEMAC = E(encr_key, IDr || {TGK}) || MAC, under the keys of the envelope
key in PKE; 3.4: an Initiator whose policy wants a specific responder accepts an
R_MESSAGE only from it. The reference responder's R_MESSAGE gets a KEMAC sealed anew
(with a changed IDr, without TGK, or with a bad MAC), then SIGNr anew, so only the KEMAC
rule tells it from a valid answer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance.answer_checks import expect_refused
from conformance.evidence import Evidence
from conformance.reference import HarnessError, initiate
from conformance.reference_rsar import RSA_R, RsaRReferenceResponder
from conformance.refusal_checks import OTHER_RESPONDER
from conformance.vehicle import reference_took, vehicle
from mikey.modes.pk_common import sealed_kemac
from mikey.ntp import ts_value_64
from mikey.wire import Id, Kemac, KeyData, Timestamp, decode_message, encode_key_data_with_id
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("RSA-R"), pytest.mark.role("initiator")]


def kemac_resealed(
    ref: RsaRReferenceResponder,
    answer: bytes,
    id_r: Id | None = None,
    key_data: tuple[KeyData, ...] | None = None,
    bad_mac: bool = False,
) -> bytes:
    """The R_MESSAGE with its KEMAC sealed anew over `id_r` || `key_data` (default: the
    reference's), its MAC's first bit flipped if `bad_mac`, and SIGNr made anew."""
    csb, keys, own = ref.peer.last_csb, ref.peer.last_keys, ref.pk.transport.id_r
    if csb is None or keys is None or own is None:
        raise HarnessError("no R_MESSAGE made yet")
    msg = decode_message(answer)
    old, t = msg.all(Kemac)[0], msg.all(Timestamp)[0]
    plain = encode_key_data_with_id(id_r or own, csb.key_data if key_data is None else key_data)
    kemac = sealed_kemac(old.encr_alg, old.mac_alg, keys, csb.csb_id, ts_value_64(t), plain)
    if bad_mac:
        kemac = replace(kemac, mac=bytes([kemac.mac[0] ^ 0x80]) + kemac.mac[1:])
    return ref.resigned(answer, tuple(kemac if isinstance(p, Kemac) else p for p in msg.payloads))


def _answered(
    sut: Sut, profile: Profile, evidence: Evidence
) -> tuple[RsaRReferenceResponder, bytes]:
    ref = RsaRReferenceResponder(profile)
    with vehicle():  # refused for its T: the clock rule's (RFC 3830 5.4)
        reply = ref.take(initiate(sut, RSA_R, evidence))
        reference_took(reply.outcome, "the SUT's I_MESSAGE")
        assert reply.message is not None, f"reference responder: {reply.outcome.reason}"
    return ref, reply.message


@pytest.mark.requirement("RFC4738-3.6-kemac")
@pytest.mark.parametrize("fault", ["bad-mac", "no-tgk"])
def test_an_r_message_whose_kemac_is_not_idr_and_tgk_under_its_mac_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """A KEMAC whose MAC does not verify, or that carries IDr and no TGK: refused (3.6)."""
    ref, answer = _answered(sut, profile, evidence)
    if fault == "bad-mac":
        forged = kemac_resealed(ref, answer, bad_mac=True)
    else:
        forged = kemac_resealed(ref, answer, key_data=())
    expect_refused(sut, evidence, f"the R_MESSAGE ({fault})", forged)


@pytest.mark.requirement("RFC4738-3.4-idr-policy")
def test_an_r_message_whose_encrypted_idr_is_another_party_is_refused(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A KEMAC whose encrypted IDr names another party than the responder the SUT
    addressed (its configured IDr): refused (3.4, 3.6)."""
    ref, answer = _answered(sut, profile, evidence)
    own = ref.pk.transport.id_r
    assert own is not None
    forged = kemac_resealed(ref, answer, id_r=replace(own, data=OTHER_RESPONDER))
    expect_refused(sut, evidence, "the R_MESSAGE with another encrypted IDr", forged)
