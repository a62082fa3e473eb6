"""MIKEY-SAKKE, the SUT as initiator: the suite's reference responder judges its I_MESSAGE.

RFC 6509 2.2.1 (the I_MESSAGE), 3.1 (SSV = TGK), 3.2 (Identifiers), 4.2 (the SAKKE
payload); RFC 6508 4 (the form of the Encapsulated Data).
"""

from __future__ import annotations

import pytest

from conformance.checks import strict_decode
from conformance.evidence import Evidence
from conformance.reference import initiate
from conformance.rfc6509.reference import SakkeReferenceResponder, params
from conformance.vehicle import reference_took, vehicle
from mikey.crypto.sakke import PARAMETER_SET_1
from mikey.wire import (
    Cert,
    DataType,
    Idr,
    IdRole,
    Message,
    Rand,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    Sign,
    SignType,
    Timestamp,
    TsType,
)
from suts.base import Profile, Role, Sut

pytestmark = [pytest.mark.mode("SAKKE"), pytest.mark.role("initiator")]


def i_message(sut: Sut, evidence: Evidence, **changes: object) -> tuple[bytes, Message]:
    data = initiate(sut, params(**changes), evidence)
    return data, strict_decode(data, "the SUT's I_MESSAGE")


@pytest.mark.requirement(
    "RFC6509-2.2.1-signed",
    "RFC6509-2.1.1-p256-sha256",
    "RFC6509-3.2-identifier-form",
    "RFC6509-3.2-identifier-month",
)
@pytest.mark.parametrize("idr", [True, False], ids=["with-idr", "without-idr"])
def test_i_message_is_taken_by_the_reference_responder(
    sut: Sut, profile: Profile, evidence: Evidence, idr: bool
) -> None:
    """The reference responder takes the I_MESSAGE: signed with ECCSI on P-256/SHA-256
    under the initiator's Identifier of the month of T, SAKKE data for the responder's."""
    data, msg = i_message(sut, evidence, include_ids=idr)
    assert isinstance(msg.payloads[-1], Sign), "the I_MESSAGE does not end with SIGN (2.2.1)"
    with vehicle():  # refused for its T: the clock rule's (RFC 3830 5.4), else this test's
        reference_took(SakkeReferenceResponder(profile).take(data), "the I_MESSAGE")


@pytest.mark.requirement("RFC6509-3.1-ssv-is-tgk")
def test_srtp_keys_agree_with_the_reference(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The SSV is the TGK (3.1): the SUT's SRTP keys are those the reference responder
    derives from the SSV it decapsulates (RFC 3830 4.1.3)."""
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")
    data, _ = i_message(sut, evidence)
    ref = SakkeReferenceResponder(profile)
    with vehicle():
        reference_took(ref.take(data), "the I_MESSAGE")
    theirs, ours = sut.srtp_keys(Role.INITIATOR, 1), ref.srtp_keys(1)
    evidence.srtp_keys(1, ours, theirs)
    same = theirs == ours  # not in the assert: the keys stay out of the report
    assert same, "SRTP keys differ from the reference's: the SSV is not the TGK (3.1)"


@pytest.mark.requirement("RFC6509-2.2.1-v-bit-zero")
def test_header_is_a_sakke_message_with_v_clear(sut: Sut, evidence: Evidence) -> None:
    """HDR: data type SAKKE msg (26, 4.1) and V = 0 (2.2.1)."""
    _, msg = i_message(sut, evidence)
    assert msg.hdr.data_type == DataType.SAKKE_MSG, f"data type {msg.hdr.data_type.name}"
    assert not msg.hdr.v, "V is set: a response is not expected in this mode (2.2.1)"


@pytest.mark.requirement("RFC6509-2.2.1-hdr-and-timestamp", "RFC6509-2.2.1-ts-type-ntp")
def test_timestamp_is_ntp(sut: Sut, evidence: Evidence) -> None:
    """One T payload, of TS type NTP-UTC or NTP (2.2.1)."""
    _, msg = i_message(sut, evidence)
    stamps = msg.all(Timestamp)
    assert len(stamps) == 1, f"{len(stamps)} T payloads (2.2.1)"
    assert stamps[0].ts_type in (TsType.NTP_UTC, TsType.NTP), f"TS type {stamps[0].ts_type.name}"


@pytest.mark.requirement("RFC6509-2.2.1-rand")
def test_rand_is_present(sut: Sut, evidence: Evidence) -> None:
    """A RAND payload (2.2.1) of at least 128 bits (RFC 3830 6.11)."""
    _, msg = i_message(sut, evidence)
    rands = msg.all(Rand)
    assert len(rands) == 1, f"{len(rands)} RAND payloads (2.2.1)"
    assert len(rands[0].rand) >= 16, f"RAND of {len(rands[0].rand)} bytes"


@pytest.mark.requirement("RFC6509-2.2.1-no-cert-with-eccsi")
def test_no_cert_payload_with_eccsi(sut: Sut, evidence: Evidence) -> None:
    """An ECCSI-signed I_MESSAGE carries no CERT payload (2.2.1)."""
    _, msg = i_message(sut, evidence)
    sign = msg.payloads[-1]
    if isinstance(sign, Sign) and sign.s_type == SignType.ECCSI:
        assert not msg.all(Cert), "a CERT payload with an ECCSI signature (2.2.1)"


@pytest.mark.requirement("RFC6509-2.2.1-idr-roles", "RFC6509-3.2-idr-carries-uri")
def test_idr_payloads_carry_roles_and_uris(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """IDRi (role 1) carries the initiator's tel URI, IDRr (role 2) the responder's, not
    the dated Identifiers (2.2.1, 3.2); the roles are 1, 2, 6 or 7."""
    _, msg = i_message(sut, evidence)
    community = profile.sakke
    expected = {IdRole.IDRI: community.uri_initiator, IdRole.IDRR: community.uri_responder}
    for idr in msg.all(Idr):
        assert idr.id_role in (*expected, IdRole.IDRKMSI, IdRole.IDRKMSR), idr.id_role.name
        if idr.id_role in expected:
            assert idr.data == expected[idr.id_role], (
                f"{idr.id_role.name} carries {idr.data!r}, not {expected[idr.id_role]!r}"
            )


@pytest.mark.requirement("RFC6509-4.2-sakke-data-format", "RFC6508-4-point-format")
def test_sakke_payload_holds_encapsulated_data(sut: Sut, evidence: Evidence) -> None:
    """SAKKE: parameter set 1, ID scheme 1, and R_(b,S) = 0x04 || x || y on E followed by
    H, 2L + 1 + n/8 = 273 octets (4.2; RFC 6508 4)."""
    _, msg = i_message(sut, evidence)
    payloads = msg.all(Sakke)
    assert len(payloads) == 1, f"{len(payloads)} SAKKE payloads (2.2.1)"
    sakke = payloads[0]
    assert sakke.sakke_params == SakkeParamSet.PARAMETER_SET_1
    assert sakke.id_scheme == SakkeIdScheme.TEL_URI_MONTHLY
    curve = PARAMETER_SET_1.curve
    point = 2 * curve.octets + 1
    assert len(sakke.data) == point + PARAMETER_SET_1.ssv_octets, (
        f"SAKKE data of {len(sakke.data)} octets, not {point + PARAMETER_SET_1.ssv_octets}"
    )
    assert sakke.data[0] == 0x04, "R_(b,S) is not in uncompressed form (RFC 6508 4)"
    x = int.from_bytes(sakke.data[1 : 1 + curve.octets], "big")
    y = int.from_bytes(sakke.data[1 + curve.octets : point], "big")
    assert curve.contains((x, y)), "R_(b,S) is not a point of E (RFC 6508 4)"
