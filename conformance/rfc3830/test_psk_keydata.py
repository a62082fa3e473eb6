"""PSK mode, the SUT as responder: malformed Key data inside a valid KEMAC.

The KEMAC plaintext is a chain of Key data sub-payloads (RFC 3830 6.2, 6.13,
6.14). Each test corrupts one field of the chain the reference initiator would
send, then encrypts it with the exchange's KEMAC keys (AES-CM-128, IV per
4.2.3) and MACs the message (5.2): the message authenticates and decrypts,
and only the key data is wrong. The responder must not take it (5.3). Table
6.12 has no number for malformed key data, so an Error message, if sent, says
Unspecified error (12).
"""

from __future__ import annotations

import pytest

from conformance.checks import expect_rejection
from conformance.evidence import Evidence
from conformance.forge import KEY_DATA_FAULTS, forge_key_data
from conformance.reference import ReferenceInitiator, exchange_params, send_to_responder
from mikey.wire import EncrAlg, ErrorNo
from suts.base import Profile, Sut

pytestmark = [pytest.mark.mode("PSK"), pytest.mark.role("responder")]

UNSPECIFIED = frozenset({ErrorNo.UNSPECIFIED})


def reject_forged_key_data(sut: Sut, profile: Profile, evidence: Evidence, fault: str) -> None:
    """Send an authenticated I_MESSAGE whose Key data carries `fault`; it must be rejected."""
    forgery = KEY_DATA_FAULTS[fault]
    params = exchange_params(encr_alg=EncrAlg.AES_CM_128, key_type=forgery.key_type)
    ref = ReferenceInitiator(profile, params)
    message, decoder_says = forge_key_data(ref, forgery)
    evidence.note(f"forged KEMAC plaintext: {forgery.what}; our decoder: {decoder_says}")
    reply = send_to_responder(sut, ref, message, evidence)
    assert reply.accepted is not True, (
        f"the SUT took an I_MESSAGE whose KEMAC decrypts to malformed Key data ({forgery.what})"
        f"; RFC 3830 6.13 makes it no Key data sub-payload, so the message must be rejected "
        f"(5.3). SUT: {reply.detail}"
    )
    expect_rejection(reply, evidence, ref.csb_id, UNSPECIFIED)


@pytest.mark.requirement("RFC3830-6.2-key-data-chain-end")
@pytest.mark.parametrize("fault", ["next-key-data", "next-rand"])
def test_rejects_a_key_data_chain_that_does_not_end(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """The last Key data sub-payload has Next payload Last payload (0) (6.2); one that
    announces another sub-payload, or another payload, ends no valid chain."""
    reject_forged_key_data(sut, profile, evidence, fault)


@pytest.mark.requirement("RFC3830-6.13-key-type")
def test_rejects_an_unassigned_key_data_type(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Key data Type is one of Table 6.13.a (TGK, TGK+SALT, TEK, TEK+SALT); 7 is none."""
    reject_forged_key_data(sut, profile, evidence, "key-type")


@pytest.mark.requirement("RFC3830-6.13-key-data-len")
def test_rejects_a_key_data_len_past_the_plaintext(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Key data len is the length of the Key data field (6.13); one byte more runs past
    the end of the decrypted KEMAC."""
    reject_forged_key_data(sut, profile, evidence, "key-data-len")


@pytest.mark.requirement("RFC3830-6.13-salt-presence")
@pytest.mark.parametrize("fault", ["salt-missing", "salt-unannounced"])
def test_rejects_salt_fields_that_disagree_with_the_type(
    sut: Sut, profile: Profile, evidence: Evidence, fault: str
) -> None:
    """Salt len and Salt data are there exactly when the Type says salt (6.13): TGK+SALT
    without them, or TGK with them, is malformed."""
    reject_forged_key_data(sut, profile, evidence, fault)


@pytest.mark.requirement("RFC3830-6.13-salt-len")
def test_rejects_a_salt_len_past_the_plaintext(
    sut: Sut, profile: Profile, evidence: Evidence
) -> None:
    """Salt len is the salt key length in bytes (6.13); one byte more runs past the end
    of the decrypted KEMAC."""
    reject_forged_key_data(sut, profile, evidence, "salt-len")


@pytest.mark.requirement("RFC3830-6.13-kv-data-presence")
def test_rejects_kv_spi_without_kv_data(sut: Sut, profile: Profile, evidence: Evidence) -> None:
    """KV data is there exactly when KV is not NULL (6.13), in its KV type's form (6.14):
    KV SPI without SPI length and SPI is malformed."""
    reject_forged_key_data(sut, profile, evidence, "kv-spi-without-data")
