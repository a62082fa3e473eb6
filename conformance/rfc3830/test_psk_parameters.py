"""PSK mode: the parameters an exchange carries besides its keys.

Timestamp and ID types (RFC 3830 6.6, 6.7), security policies and their
parameters (5.1.1, 5.1.2, 5.3, 6.10, 6.10.1) and the CS ID map (6.1.1).
The SUT is the responder unless the test says initiator.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from conformance.checks import strict_decode
from conformance.evidence import Evidence
from conformance.forge import (
    in_form,
    policy_with,
    with_settings,
)
from conformance.plugin import NOT_APPLICABLE
from conformance.policy_checks import send_unsupported_sp
from conformance.reference import (
    HarnessError,
    ReferenceInitiator,
    exchange_params,
    initiate,
    send_to_responder,
)
from conformance.vehicle import t_not_refused, vehicle
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.srtp import srtp_keys
from mikey.wire import (
    DataType,
    IdType,
    ProtType,
    SecurityPolicy,
    SrtpIdEntry,
    SrtpParam,
    TsType,
)
from suts import load_sut
from suts.base import ExchangeParams, Profile, Role, Sut

pytestmark = [pytest.mark.mode("PSK")]


def exchange(
    sut: Sut, ref: ReferenceInitiator, evidence: Evidence, what: str, t_checked: bool = False
) -> None:
    """Send the reference's fresh I_MESSAGE (V=1); the SUT must answer with a verification
    message the reference initiator takes (3.1, 5.2). Unless the test checks T itself
    (`t_checked`), a refusal of its current T makes the test inconclusive (5.4's rule)."""
    reply = send_to_responder(sut, ref, ref.i_message(), evidence)
    if not t_checked:
        with vehicle():
            t_not_refused(reply)
    assert reply.accepted is not False, f"the SUT rejected {what}: {reply.detail}"
    assert reply.message is not None, f"V=1 but the SUT sent no verification message for {what}"
    outcome = ref.take_response(reply.message)
    reason = outcome.reason
    assert outcome.accepted, (
        f"the SUT's answer to {what} is no valid verification message: {reason}"
    )


def require_key_export(sut: Sut) -> None:
    if not sut.capabilities().exports_keys:
        pytest.skip("not-applicable: the SUT cannot export its SRTP keys")


# -- 6.6, 6.7: the mandatory TS and ID types --------------------------------------------


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC3830-6.6-ts-types-mandatory")
@pytest.mark.parametrize("ts_type", [TsType.NTP_UTC, TsType.NTP], ids=lambda t: t.name)
def test_takes_the_mandatory_timestamp_types(
    sut: Sut, profile: Profile, evidence: Evidence, ts_type: TsType
) -> None:
    """NTP-UTC (0) and NTP (1) timestamps are mandatory (Table 6.6): an I_MESSAGE stamped
    with either is taken."""
    ref = with_settings(ReferenceInitiator(profile, exchange_params()), ts_type=ts_type)
    what = f"an I_MESSAGE with TS type {ts_type.name} ({ts_type.value})"
    exchange(sut, ref, evidence, what, t_checked=True)


@contextmanager
def provisioned(sut: Sut, config: pytest.Config, profile: Profile) -> Iterator[Sut]:
    """The SUT provisioned with `profile` (its PIXIT): the session's SUT when that is its
    profile, else a second instance of the same --sut built with it, closed afterwards."""
    if profile == sut.profile:
        yield sut
        return
    caps = sut.capabilities()
    if not caps.provisionable:
        pytest.skip(f"{NOT_APPLICABLE}{caps.name} cannot be provisioned with other identities")
    other = load_sut(str(config.getoption("--sut")), profile)
    try:
        yield other
    finally:
        other.close()


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC3830-6.7-id-types-mandatory")
@pytest.mark.parametrize("id_type", [IdType.NAI, IdType.URI], ids=lambda t: t.name)
def test_takes_the_mandatory_id_types(
    sut: Sut,
    profile: Profile,
    evidence: Evidence,
    pytestconfig: pytest.Config,
    id_type: IdType,
) -> None:
    """IDs of type NAI (0) and URI (1) are mandatory (Table 6.7.a): an I_MESSAGE whose IDi
    and IDr are of either type is taken. The pre-shared key is bound to the identities,
    so the SUT is provisioned with the profile's identities in that form."""
    ids = replace(
        profile,
        id_initiator=in_form(profile.id_initiator, id_type),
        id_responder=in_form(profile.id_responder, id_type),
    )
    evidence.note(f"IDi {ids.id_initiator.data!r}, IDr {ids.id_responder.data!r} ({id_type.name})")
    ref = ReferenceInitiator(ids, exchange_params(include_ids=True))
    with provisioned(sut, pytestconfig, ids) as peer:
        exchange(peer, ref, evidence, f"an I_MESSAGE with IDs of type {id_type.name}")


# -- 5.1.2, 5.3, 6.10.1: security policies the responder does not support -----------------


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC3830-5.1.2-error-supported-params")
def test_error_message_offers_the_supported_policies(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An Error message about unsupported SP parameters SHOULD include the supported ones
    (5.1.2, 5.1.1): it carries SP payloads, and an I_MESSAGE proposing them is taken."""
    ref = ReferenceInitiator(profile, exchange_params())
    _, answer = send_unsupported_sp(ref, sut, evidence, "srtp-encr-alg-9")
    if answer is None:
        pytest.skip("not-applicable: the SUT rejected silently; no Error message to inspect")
    offered = tuple(strict_decode(answer, "the Error message").all(SecurityPolicy))
    assert offered, (
        "the Error message (Invalid SPpar) carries no SP payload; RFC 3830 5.1.2: it SHOULD "
        "include the parameters the responder supports"
    )
    bad = [p.policy_no for p in offered if (SrtpParam.ENCR_ALG, b"\x09") in _params(p)]
    assert not bad, f"the SP(s) {bad} offered as supported carry the rejected encr alg 9"
    first = offered[0].policy_no
    params = exchange_params(policies=offered, cs_map=(SrtpIdEntry(first, 0, 0),))
    ref = ReferenceInitiator(profile, params)
    exchange(sut, ref, evidence, "an I_MESSAGE proposing the SPs the Error message offered")


def _params(policy: SecurityPolicy) -> set[tuple[int, bytes]]:
    return {(p.type, p.value) for p in policy.params}


# -- 6.10.1, 6.1.1: the SRTP keys the SUT derives -----------------------------------------


def compare_keys(
    sut: Sut, ref: ReferenceInitiator, evidence: Evidence, expected_policy: SecurityPolicy | None
) -> None:
    """The SUT's SRTP keys per crypto session equal the reference's (and, with
    `expected_policy`, the keys that policy gives from the same Key data)."""
    csb = ref.peer.csb
    if csb is None:
        raise HarnessError("no CSB on the reference side")
    for cs_id in ref.cs_ids:
        ours, theirs = ref.srtp_keys(cs_id), sut.srtp_keys(Role.RESPONDER, cs_id)
        if expected_policy is not None:
            spelled = srtp_keys(csb.key_for(cs_id), csb.csb_id, cs_id, csb.rand, expected_policy)
            if ours != spelled:
                raise HarnessError(f"the reference's keys are not those of {expected_policy}")
        evidence.srtp_keys(cs_id, ours, theirs)
        assert theirs is not None, f"crypto session {cs_id}: the SUT exports no SRTP keys"
        same = theirs == ours  # not in the assert: the keys stay out of the report
        assert same, (
            f"crypto session {cs_id}: SRTP master key, salt or profile differ from the "
            f"reference's (SUT profile {theirs.profile}, reference {ours.profile})"
        )


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC3830-6.10.1-default-params")
def test_a_policy_without_parameters_takes_the_srtp_defaults(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """An SP with no parameters leaves every Type at SRTP's default (6.10.1; RFC 3711
    8.2: AES-CM, 128-bit master key, 112-bit salt, HMAC-SHA1 with an 80-bit tag): the
    SUT's SRTP keys are those of RFC 3711's default policy."""
    require_key_export(sut)
    bare = SecurityPolicy(DEFAULT_SRTP_POLICY.policy_no, ProtType.SRTP, ())
    ref = ReferenceInitiator(profile, exchange_params(policies=(bare,)))
    exchange(sut, ref, evidence, "an I_MESSAGE whose SP has no parameters")
    compare_keys(sut, ref, evidence, DEFAULT_SRTP_POLICY)


TWO_STREAMS = (SrtpIdEntry(0, 0x5EED0002, 0), SrtpIdEntry(0, 0x5EED0001, 0))
"""Two crypto sessions whose SSRCs' low bytes (2, 1) are the other session's index."""


@pytest.mark.role("responder")
@pytest.mark.requirement("RFC3830-6.1.1-cs-id-index")
def test_crypto_session_ids_count_the_map_entries(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """The stream of the i-th SRTP-ID entry has crypto session ID i, not its SSRC (6.1.1),
    and i enters the TEK derivation (4.1.3): with two sessions, the SUT's keys per
    cs_id equal the reference's."""
    require_key_export(sut)
    ref = ReferenceInitiator(profile, exchange_params(cs_map=TWO_STREAMS))
    exchange(sut, ref, evidence, "an I_MESSAGE with two crypto sessions")
    if ref.srtp_keys(1) == ref.srtp_keys(2):
        raise HarnessError("both reference crypto sessions have the same keys")
    compare_keys(sut, ref, evidence, None)


# -- the SUT as initiator: 6.1.1 ROC, 6.10 Policy no -------------------------------------


@pytest.mark.role("initiator")
@pytest.mark.requirement("RFC3830-6.1.1-roc-initial")
def test_fresh_i_message_has_zero_rocs(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """ROC_i is 0 for an SRTP stream that has not started (6.1.1): in a new CSB's
    I_MESSAGE every SRTP-ID entry has ROC 0."""
    msg = strict_decode(initiate(sut, exchange_params(), evidence), "the I_MESSAGE")
    assert msg.hdr.data_type == DataType.PSK_INIT, f"data type {msg.hdr.data_type.name}"
    if not msg.hdr.cs_map:
        pytest.skip("not-applicable: the I_MESSAGE has no SRTP-ID map, so no ROC")
    rocs = [e.roc for e in msg.hdr.cs_map]
    assert rocs == [0] * len(rocs), (
        f"ROCs {rocs} in a fresh I_MESSAGE; RFC 3830 6.1.1: 'If the SRTP session has not "
        "started, this field is set to 0'"
    )


TWO_POLICIES = (
    DEFAULT_SRTP_POLICY,
    replace(policy_with(DEFAULT_SRTP_POLICY, SrtpParam.AUTH_TAG_LEN, 4), policy_no=1),
)


@pytest.mark.role("initiator")
@pytest.mark.requirement("RFC3830-6.10-policy-no-distinct")
def test_security_policies_have_distinct_numbers(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Each SP payload a peer sends in one MIKEY session has its own Policy no (6.10):
    asked to offer two policies for two streams, the SUT numbers its SPs apart."""
    cs_map = (SrtpIdEntry(0, 0, 0), SrtpIdEntry(1, 0, 0))
    params: ExchangeParams = exchange_params(policies=TWO_POLICIES, cs_map=cs_map)
    msg = strict_decode(initiate(sut, params, evidence), "the I_MESSAGE")
    numbers = [p.policy_no for p in msg.all(SecurityPolicy)]
    if len(numbers) < 2:
        pytest.skip(f"not-applicable: the SUT sent {len(numbers)} SP payload(s), not two")
    assert len(set(numbers)) == len(numbers), (
        f"SP payloads numbered {numbers}; RFC 3830 6.10: each security policy payload must "
        "be given a distinct number"
    )
