"""DH-HMAC, the SUT as initiator: the suite's reference responder takes its I_messages.

RFC 4650 3 (the exchange), 3.1 (updates), 4.1-4.3 (payload rules), 5.3 (fresh DH
values); RFC 3830 6.4 (the groups).
"""

from __future__ import annotations

import pytest

from conformance import dh_exchange_checks as checks
from conformance.dh_exchange import DH_HMAC
from conformance.evidence import Evidence
from conformance.reference_dh import (
    OUT_OF_RANGE,
)
from mikey.modes.dhhmac import i_message_identities
from mikey.wire import (
    Dh,
    DhGroup,
    EncrAlg,
    GeneralExtension,
    Id,
    IdType,
    Kemac,
    MacAlg,
    Rand,
    SecurityPolicy,
    Timestamp,
)
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("DH-HMAC"), pytest.mark.role("initiator")]

I_MESSAGE_KINDS = (Timestamp, Rand, Id, SecurityPolicy, Dh, GeneralExtension, Kemac)
"""HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC (RFC 4650 3); General Ext. (Table 4.1.b)."""


@pytest.mark.requirement(
    "RFC4650-3-i-message-payloads",
    "RFC4650-3-hmac-coverage",
    "RFC4650-3-hmac-in-kemac",
    "RFC4650-4.1-data-types",
    "RFC4650-4.2-hmac-sha-1-mandatory",
)
@pytest.mark.parametrize("group", [DhGroup.OAKLEY_5, DhGroup.OAKLEY_1, DhGroup.OAKLEY_2])
def test_i_message_is_taken_by_the_reference_responder(
    sut: Sut, profile: Profile, evidence: Evidence, group: DhGroup
) -> None:
    """The SUT's I_message in each group decodes strictly and authenticates under
    auth_key from the pre-shared secret."""
    checks.i_message_in_group(DH_HMAC, sut, profile, evidence, group)


@pytest.mark.requirement(
    "RFC4650-3-i-message-payloads",
    "RFC4650-4.1-next-payload-values",
    "RFC4650-4.1-no-other-payloads",
    "RFC4650-4.3-id-not-certificate",
)
def test_i_message_holds_the_payloads_of_figure_1(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """T, RAND, IDr, DHi and KEMAC are there, nothing Table 4.1.b leaves out, and the
    identities are NAI or URI ID payloads (4.3)."""
    _, msg = DH_HMAC.i_message(sut, evidence)
    kinds = [type(p).__name__ for p in msg.payloads]
    for kind in (Timestamp, Rand, Id, Dh, Kemac):
        assert msg.first(kind) is not None, f"no {kind.__name__} payload: {kinds}"
    stray = [
        k for p, k in zip(msg.payloads, kinds, strict=True) if not isinstance(p, I_MESSAGE_KINDS)
    ]
    assert not stray, f"payloads RFC 4650 Table 4.1.b does not allow: {stray}"
    assert {i.id_type for i in msg.all(Id)} <= {IdType.NAI, IdType.URI}


@pytest.mark.requirement(
    "RFC4650-4.2-kemac-conveys-hmac",
    "RFC4650-4.2-kemac-no-encrypted-data",
    "RFC4650-4.2-no-aes-kw",
    "RFC4650-4.2-kemac-last",
    "RFC4650-4.2-kemac-next-payload-last",
)
def test_i_message_kemac_carries_only_the_hmac(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """KEMAC last (its Next payload Last payload), Encr alg NULL, no Encr data."""
    _, msg = DH_HMAC.i_message(sut, evidence)
    kemac = msg.payloads[-1]
    assert isinstance(kemac, Kemac), f"the last payload is {type(kemac).__name__}, not KEMAC"
    assert kemac.encr_alg == EncrAlg.NULL, f"KEMAC Encr alg {kemac.encr_alg.name}, not NULL"
    assert not kemac.encr_data, f"KEMAC conveys {len(kemac.encr_data)} bytes of Encr data"
    assert kemac.mac_alg == MacAlg.HMAC_SHA_1_160, f"KEMAC MAC alg {kemac.mac_alg.name}"


@pytest.mark.requirement("RFC4650-3-initiator-includes-idr")
@pytest.mark.parametrize("include_ids", [True, False], ids=["all-ids", "fewest-ids"])
def test_i_message_carries_the_responder_identity(
    sut: Sut, profile: Profile, evidence: Evidence, include_ids: bool
) -> None:
    """IDr is always there, also when the SUT sends as few identities as it may."""
    _, msg = DH_HMAC.i_message(sut, evidence, include_ids=include_ids)
    _, id_r = i_message_identities(msg)
    assert id_r == profile.id_responder, f"I_message IDr {id_r}, want {profile.id_responder}"


@pytest.mark.requirement("RFC4650-3-ids-in-i-message")
def test_i_message_carries_both_identities(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """The initiator SHOULD include IDi and IDr (RFC 4650 3)."""
    _, msg = DH_HMAC.i_message(sut, evidence)
    id_i, id_r = i_message_identities(msg)
    assert (id_i, id_r) == (profile.id_initiator, profile.id_responder), f"IDs {id_i}, {id_r}"


@pytest.mark.requirement("RFC4650-5.3-dh-secret-random")
def test_every_i_message_has_a_fresh_dhi(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """xi is unpredictable: three I_messages give three different DHi."""
    checks.every_i_message_has_a_fresh_dhi(DH_HMAC, sut, evidence)


@pytest.mark.requirement("RFC4650-3-tgk-dh", "RFC4650-3-tgk-processing")
def test_takes_a_valid_r_message_and_derives_the_reference_keys(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The reference R_message is taken, and the SUT's SRTP keys are the reference's."""
    checks.takes_a_valid_r_message(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3-hmac-coverage")
@pytest.mark.parametrize("where", ["mac", "dhr"])
def test_rejects_an_r_message_whose_hmac_fails(
    sut: Sut, profile: Profile, evidence: Evidence, where: str
) -> None:
    """One flipped bit in the MAC, or in DHr after the MAC was made: refused."""
    checks.rejects_a_flipped_r_message(
        DH_HMAC, sut, profile, evidence, in_dhr=where == "dhr", what="HMAC"
    )


@pytest.mark.requirement("RFC4650-1.1-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_a_dhr_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """A correctly MACed R_message whose DHr is 0, 1, p-1, p or 2^n - 1 is refused."""
    checks.rejects_a_dhr_outside_the_group(DH_HMAC, sut, profile, evidence, value)


@pytest.mark.requirement("RFC4650-3-group-chosen-by-initiator")
def test_rejects_a_dhr_of_another_group(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """A correctly MACed R_message whose DHr is a valid value of OAKLEY 2, answering a DHi
    of OAKLEY 5: the group is the initiator's to choose, so the answer is refused."""
    checks.rejects_a_dhr_of_another_group(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3-r-message-payloads")
def test_rejects_an_r_message_that_does_not_echo_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """R_message = ..., DHr, DHi, KEMAC: a correctly MACed answer whose DHi is not the
    SUT's (here: DHr twice) answers no I_message of the SUT's and is refused."""
    checks.rejects_an_r_message_that_does_not_echo_dhi(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-3-responder-includes-idi")
@pytest.mark.parametrize("how", ["left-out", "another"])
def test_rejects_an_r_message_without_its_idi(
    sut: Sut, profile: Profile, evidence: Evidence, how: str
) -> None:
    """IDi "SHALL always" be in the R_message: an answer, correctly MACed, that leaves
    it out or names another initiator is refused."""
    checks.rejects_an_r_message_without_its_idi(DH_HMAC, sut, profile, evidence, how)


@pytest.mark.requirement("RFC4650-3.1-rekey-fresh-dhi")
def test_a_rekeying_update_carries_a_fresh_dhi(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """A re-keying update carries a new DHi (RFC 4650 3.1 a)."""
    checks.rekeying_update(DH_HMAC, sut, profile, evidence)


@pytest.mark.requirement("RFC4650-1.1-dh-value-in-group")
@pytest.mark.parametrize("value", sorted(OUT_OF_RANGE))
def test_rejects_an_update_answer_with_a_dhr_outside_the_group(
    sut: Sut, profile: Profile, evidence: Evidence, value: str
) -> None:
    """The answer to a re-keying update whose DHr is 0, 1, p-1, p or 2^n - 1 is refused,
    as an initial answer's would be."""
    checks.rejects_an_update_answer_with_a_dhr_outside_the_group(
        DH_HMAC, sut, profile, evidence, value
    )
