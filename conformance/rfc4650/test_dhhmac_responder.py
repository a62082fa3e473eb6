"""DH-HMAC, the SUT as responder: the suite's reference initiator sends I_messages.

RFC 4650 3 (the exchange), 3.1 (updates), 4.1-4.4 (payload rules), 5.3 (fresh DH
values); RFC 3830 6.4 (the groups). The timestamp window and replays (RFC 4650 5.3,
RFC 3830 5.4): conformance/rfc3830/test_timing_responder.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conformance import dh_exchange_checks as checks
from conformance.checks import check_error_message, expect_rejection, strict_decode
from conformance.dh_exchange import DH_HMAC, groups
from conformance.evidence import Evidence
from conformance.reference import send_to_responder
from conformance.reference_dh import (
    OUT_OF_RANGE,
    ReferenceDhHmacInitiator,
)
from mikey.crypto import mac
from mikey.modes.dhhmac import r_message_identities
from mikey.ntp import ts_value_bytes
from mikey.wire import (
    Dh,
    DhGroup,
    EncrAlg,
    ErrorNo,
    GeneralExtension,
    GeneralExtType,
    Id,
    IdType,
    Kemac,
    MacAlg,
    Message,
    Timestamp,
)
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("DH-HMAC"), pytest.mark.role("responder")]

R_MESSAGE_KINDS = (Timestamp, Id, Dh, GeneralExtension, Kemac)
"""HDR, T, [IDr], IDi, DHr, DHi, KEMAC (RFC 4650 3); General Ext. allowed (Table 4.1.b)."""


@pytest.mark.requirement(
    "RFC4650-3-r-message-payloads",
    "RFC4650-3-hmac-coverage",
    "RFC4650-3-hmac-in-kemac",
    "RFC4650-3-group-chosen-by-initiator",
    "RFC4650-4.1-data-types",
    "RFC4650-4.2-hmac-sha-1-mandatory",
)
@pytest.mark.parametrize("group", groups())
def test_valid_i_message_gets_a_valid_r_message(
    sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> None:
    """The SUT answers in the initiator's group with an R_message the reference takes.
    OAKLEY 5 is mandatory (RFC 3830 4.2.7); the others are what the SUT says it runs."""
    checks.answers_in_the_group(DH_HMAC, sut, profile, evidence, group)


@pytest.mark.requirement(
    "RFC4650-4.2-kemac-conveys-hmac",
    "RFC4650-4.2-kemac-no-encrypted-data",
    "RFC4650-4.2-no-aes-kw",
    "RFC4650-4.2-kemac-last",
    "RFC4650-4.2-kemac-next-payload-last",
)
def test_r_message_kemac_carries_only_the_hmac(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """KEMAC is last (so its Next payload is Last payload: our strict decoder reads the
    chain to its end), with Encr alg NULL, no Encr data and the I_message's MAC alg."""
    ref = DH_HMAC.reference(profile)
    _, msg = DH_HMAC.r_message(sut, ref, ref.i_message(), evidence)
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac), f"the last payload is {type(kemac).__name__}, not KEMAC"
    assert kemac.encr_alg == EncrAlg.NULL, f"KEMAC Encr alg {kemac.encr_alg.name}, not NULL"
    assert not kemac.encr_data, f"KEMAC conveys {len(kemac.encr_data)} bytes of Encr data"
    assert kemac.mac_alg == MacAlg.HMAC_SHA_1_160, f"KEMAC MAC alg {kemac.mac_alg.name}"


@pytest.mark.requirement(
    "RFC4650-4.1-next-payload-values",
    "RFC4650-4.1-no-other-payloads",
    "RFC4650-4.3-id-not-certificate",
)
def test_r_message_holds_only_dhhmac_payloads(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Only the payloads of Table 4.1.b; identities as NAI or URI ID payloads (4.3)."""
    ref = DH_HMAC.reference(profile)
    _, msg = DH_HMAC.r_message(sut, ref, ref.i_message(), evidence)
    stray = [type(p).__name__ for p in msg.payloads if not isinstance(p, R_MESSAGE_KINDS)]
    assert not stray, f"payloads RFC 4650 Table 4.1.b does not allow: {stray}"
    kinds = {i.id_type for i in msg.all(Id)}
    assert kinds <= {IdType.NAI, IdType.URI}, f"ID types {kinds}"


@pytest.mark.requirement("RFC4650-3-responder-includes-idi")
@pytest.mark.parametrize("include_ids", [True, False], ids=["idi-sent", "idi-left-out"])
def test_r_message_carries_the_initiator_identity(
    sut: Sut, profile: Profile, evidence: Evidence, include_ids: bool
) -> None:
    """IDi is in the R_message "regardless of whether the I_message conveyed any IDi"."""
    ref = DH_HMAC.reference(profile, include_ids=include_ids)
    _, msg = DH_HMAC.r_message(sut, ref, ref.i_message(), evidence)
    id_i, _ = r_message_identities(msg)
    assert id_i == profile.id_initiator, f"R_message IDi {id_i}, want {profile.id_initiator}"


@pytest.mark.requirement("RFC4650-3-idr-in-r-message")
def test_r_message_carries_the_responder_identity(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The responder SHOULD include IDr (RFC 4650 3)."""
    ref = DH_HMAC.reference(profile)
    _, msg = DH_HMAC.r_message(sut, ref, ref.i_message(), evidence)
    _, id_r = r_message_identities(msg)
    assert id_r == profile.id_responder, f"R_message IDr {id_r}, want {profile.id_responder}"


@pytest.mark.requirement("RFC4650-1.1-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_a_dhi_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A correctly MACed I_message whose DHi is 0, 1, p-1, p or 2^n - 1 is refused."""
    checks.rejects_a_dhi_outside_the_group(DH_HMAC, sut, profile, evidence, value)


@pytest.mark.requirement("RFC4650-4.1-error-data-type", "RFC4650-3-hmac-coverage")
@pytest.mark.parametrize("where", ["mac", "dhi", "csb-id"])
def test_answers_a_failed_hmac_with_an_error_message(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """One flipped bit, in the MAC or in the bytes it covers: the HMAC fails, and the
    responder "SHALL apply the Error payload data type" (RFC 4650 4.1)."""
    ref = DH_HMAC.reference(profile)
    data = bytearray(ref.i_message())
    at = {"mac": len(data) - 1, "dhi": ref.offset_of(Dh) + 2, "csb-id": 7}[where]
    data[at] ^= 0x01
    reply = send_to_responder(sut, ref, bytes(data), evidence)
    csb_id = int.from_bytes(data[4:8], "big")
    expect_rejection(reply, evidence, csb_id, frozenset({ErrorNo.AUTH_FAILURE}))
    assert reply.message is not None, "no Error message for a failed HMAC (RFC 4650 4.1)"


@pytest.mark.requirement("RFC4650-4.1-error-data-type")
def test_answers_an_unknown_dh_group_with_an_error_message(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """DH-Group 3 is not in RFC 3830 Table 6.4: the I_message does not decode, and the
    responder answers with an Error message (Invalid DH, Table 6.12)."""
    ref = DH_HMAC.reference(profile)

    def group_3(body: bytes) -> bytes:
        at = ref.offset_of(Dh) + 1  # Next payload, then DH-Group (RFC 3830 6.4)
        return body[:at] + b"\x03" + body[at + 1 :]

    data = ref.forge_bytes(group_3)
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.INVALID_DH}))
    assert reply.message is not None, "no Error message for an I_message that does not decode"
    check_error_message(strict_decode(reply.message, "the Error message"), ref.csb_id, None)


@pytest.mark.requirement("RFC4650-3-hmac-coverage")
@pytest.mark.parametrize("how", ["mac-field-included", "ids-and-t-appended", "psk-as-key"])
def test_rejects_an_hmac_over_the_wrong_bytes(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """An HMAC that is valid for some other reading of 4650 3 is refused: over the message
    with its zero MAC field, over message || IDi || IDr || T (as a V is), or keyed with
    the pre-shared key itself instead of auth_key."""
    ref = DH_HMAC.reference(profile)
    ref.i_message()
    body = ref.peer.unsealed_bytes()
    ids_t = profile.id_initiator.data + profile.id_responder.data + ts_value_bytes(ref.timestamp)
    if how == "psk-as-key":
        tag = mac(MacAlg.HMAC_SHA_1_160, profile.psk, body)
    else:
        tag = ref.peer.mac_over(body + (bytes(20) if how == "mac-field-included" else ids_t))
    data = body + tag
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC4650-4.1-no-other-payloads")
@pytest.mark.parametrize("kind", ["CHASH", "second T"])
def test_rejects_payloads_dhhmac_does_not_use(
    sut: Sut, profile: Profile, evidence: Evidence, kind: str
) -> None:
    """A correctly MACed I_message with a payload Table 4.1.b leaves out is refused."""
    ref = DH_HMAC.reference(profile)
    data = ref.forge(ReferenceDhHmacInitiator.with_extra(kind))
    reply = send_to_responder(sut, ref, data, evidence)
    expect_rejection(reply, evidence, ref.csb_id, None)


@pytest.mark.requirement("RFC4650-4.4-general-ext-integrity")
def test_a_general_extension_is_covered_by_the_hmac(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An SDP IDs extension rides along under the HMAC: the message is taken as sent,
    and refused once one byte of the extension changes."""
    ref = DH_HMAC.reference(profile)
    ext = GeneralExtension(GeneralExtType.SDP_IDS, b"mikey")

    def add(msg: Message) -> Message:
        return replace(msg, payloads=(*msg.payloads[:-1], ext, msg.payloads[-1]))

    good = ref.forge(add)
    _, msg = DH_HMAC.r_message(sut, ref, good, evidence)
    assert msg.hdr.csb_id == ref.csb_id
    ref = DH_HMAC.reference(profile)
    data = bytearray(ref.forge(add))
    at = bytes(data).rindex(b"mikey")
    data[at] ^= 0x20
    reply = send_to_responder(sut, ref, bytes(data), evidence)
    expect_rejection(reply, evidence, ref.csb_id, frozenset({ErrorNo.AUTH_FAILURE}))


@pytest.mark.requirement("RFC4650-5.3-dh-secret-random")
def test_every_exchange_gets_a_fresh_dhr(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """xr is unpredictable: three exchanges give three different DHr."""
    checks.every_exchange_gets_a_fresh_dhr(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3.1-rekey-fresh-dhr")
def test_a_rekeying_update_gets_a_fresh_dhr(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An update with a new DHi is answered with a new DHr and that DHi (RFC 4650 3.1 a)."""
    checks.an_update_with_dhi_gets_a_fresh_dhr(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3.1-update-without-dh")
def test_an_update_without_dhi_gets_no_dh(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """An update without DHi is answered without DHr, DHi and keeps the TGK (3.1 b)."""
    checks.an_update_without_dhi_gets_no_dh(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3-tgk-dh", "RFC4650-3-tgk-processing")
def test_derived_srtp_keys_match_the_reference(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The SUT's SRTP master key and salt equal the reference initiator's: both hold
    g^(xi*xr) as TGK and derive by RFC 3830 4.1.3."""
    checks.derived_srtp_keys_match_the_reference(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-1.1-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_an_update_with_a_dhi_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A re-keying update whose DHi is 0, 1, p-1, p or 2^n - 1 is refused, as an initial
    message's would be."""
    checks.rejects_an_update_with_a_dhi_outside_the_group(DH_HMAC, sut, profile, evidence, value)
