"""PSK mutants for Key data and exchange parameters: one rule of RFC 3830 broken each.

Key data (6.2, 6.13, 6.14): a responder whose KEMAC plaintext decoding tolerates
one fault. It decrypts as the reference does; when the strict decoder rejects the
plaintext for that one fault, it repairs exactly that fault the way a lax
implementation would (read on to the end, take the field as it is, read a
missing length as zero) and decodes the rest strictly; any other fault is still
rejected. Parameters (5.1.2, 5.3, 6.1.1, 6.6, 6.7, 6.10, 6.10.1): a responder or
initiator with one check or behaviour changed. The conformance tests in
conformance/rfc3830/test_psk_keydata.py and test_psk_parameters.py must fail each
one on the requirement named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mikey.crypto import KemacKeys, kemac_decrypt
from mikey.modes.base import Rejection
from mikey.modes.csb import Csb
from mikey.modes.psk_initiator import PskInitiator
from mikey.modes.psk_responder import PskResponder
from mikey.srtp import SrtpKeys, srtp_keys
from mikey.wire import (
    CommonHeader,
    DecodeError,
    ErrorNo,
    Id,
    IdType,
    Kemac,
    KeyData,
    KeyType,
    Message,
    PolicyParam,
    SecurityPolicy,
    SrtpParam,
    Timestamp,
    TsType,
    decode_key_data,
    encode_key_data,
)
from mikey.wire.keydata import NAME, SECTION, decode_one
from mikey.wire.reader import Reader
from suts.base import Profile, Role, Sut
from suts.builtin import BuiltinSut
from tests.mutants.bank import mutant
from tests.mutants.psk_mutants import with_initiator, with_responder

Repair = Callable[[bytes, DecodeError], bytes | None]
"""Given a KEMAC plaintext the strict decoder rejects and its error: the repaired
plaintext, or None when the fault is not the one tolerated."""


def lax_key_data(repair: Repair) -> type[PskResponder]:
    """A responder whose Key data decoding tolerates the one fault `repair` repairs."""

    class LaxKeyData(PskResponder):
        def decrypt_kemac(self, msg: Message, keys: KemacKeys) -> tuple[KeyData, ...]:
            try:
                return super().decrypt_kemac(msg, keys)
            except Rejection as rejection:
                kemac, t = msg.all(Kemac)[-1], msg.first(Timestamp)
                if t is None:
                    raise
                csb_id = msg.hdr.csb_id
                plain = kemac_decrypt(kemac.encr_alg, keys, csb_id, t.value, kemac.encr_data)
                try:
                    decode_key_data(plain)
                except DecodeError as err:
                    fixed = repair(plain, err)
                    if fixed is None:
                        raise rejection from None
                    try:
                        return decode_key_data(fixed)
                    except DecodeError:
                        raise rejection from None
                raise

    return LaxKeyData


def _put(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value) :]


def _read_to_the_end(plain: bytes, err: DecodeError) -> bytes | None:
    """6.2 tolerated: Next payload is ignored; sub-payloads are read until the data ends."""
    if err.field != "next payload":
        return None
    r = Reader(plain, NAME, SECTION)
    items: list[KeyData] = []
    try:
        while not r.at_end:
            r.u8("next payload")
            items.append(decode_one(r))
    except DecodeError:
        return None
    return encode_key_data(items)


def _unknown_type_as_tgk(plain: bytes, err: DecodeError) -> bytes | None:
    """6.13 tolerated: an unassigned Key data Type is read as TGK."""
    if err.field != "Type":
        return None
    return _put(plain, err.offset, bytes([KeyType.TGK << 4 | plain[err.offset] & 0x0F]))


def _clamp(field: str) -> Repair:
    """6.13 tolerated: a 16-bit `field` past the end is read as "the rest of the data"."""

    def repair(plain: bytes, err: DecodeError) -> bytes | None:
        if err.field != field or "runs past the end" not in err.reason:
            return None
        return _put(plain, err.offset, (len(plain) - err.offset - 2).to_bytes(2, "big"))

    return repair


def _missing_as_zero(field: str, width: int) -> Repair:
    """6.13/6.14 tolerated: a length `field` the data ends before is read as 0."""

    def repair(plain: bytes, err: DecodeError) -> bytes | None:
        if err.field != field or err.offset != len(plain):
            return None
        return plain + bytes(width)

    return repair


def _cut_trailing(plain: bytes, err: DecodeError) -> bytes | None:
    """6.13 tolerated: bytes after the last Key data sub-payload are ignored."""
    if "follow the last Key data" not in err.reason:
        return None
    return plain[: err.offset]


@mutant("RFC3830-6.2-key-data-chain-end", "reads Key data to the end, ignoring Next payload")
def reads_key_data_to_the_end(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_read_to_the_end))


@mutant("RFC3830-6.13-key-type", "takes an unassigned Key data Type as TGK")
def unknown_key_type_as_tgk(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_unknown_type_as_tgk))


@mutant("RFC3830-6.13-key-data-len", "reads a Key data len past the end as the rest")
def clamps_key_data_len(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_clamp("Key data len")))


@mutant("RFC3830-6.13-salt-presence", "takes TGK+SALT without salt fields (empty salt)")
def missing_salt_as_empty(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_missing_as_zero("Salt len", 2)))


@mutant("RFC3830-6.13-salt-presence", "ignores salt fields after a TGK (trailing bytes)")
def ignores_unannounced_salt(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_cut_trailing))


@mutant("RFC3830-6.13-salt-len", "reads a Salt len past the end as the rest")
def clamps_salt_len(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_clamp("Salt len")))


@mutant("RFC3830-6.13-kv-data-presence", "takes KV SPI without KV data (empty SPI)")
def missing_kv_data_as_empty(profile: Profile) -> Sut:
    return with_responder(profile, lax_key_data(_missing_as_zero("SPI Length", 1)))


# -- timestamps and identities (6.6, 6.7) -----------------------------------------------


class _NtpUtcOnly(PskResponder):
    ts_types = frozenset({TsType.NTP_UTC})


@mutant("RFC3830-6.6-ts-types-mandatory", "takes NTP-UTC timestamps only, not NTP")
def ntp_utc_only(profile: Profile) -> Sut:
    return with_responder(profile, _NtpUtcOnly)


class _UriOnly(PskResponder):
    def check_identity(self, msg: Message) -> bytes:
        if any(i.id_type == IdType.NAI for i in msg.all(Id)):
            raise Rejection(ErrorNo.INVALID_ID, "ID type NAI not implemented")
        return super().check_identity(msg)


@mutant("RFC3830-6.7-id-types-mandatory", "rejects IDs of type NAI")
def rejects_nai_ids(profile: Profile) -> Sut:
    return with_responder(profile, _UriOnly)


# -- security policies (5.1.2, 5.3, 6.10, 6.10.1) -----------------------------------------


class _KeysBeforePolicyCheck(PskResponder):
    def check_key_data(
        self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None
    ) -> None:
        super().check_key_data(msg, key_data, prior)
        self.establish(msg, key_data, prior)  # before check_policies: not aborted (5.3)


@mutant("RFC3830-5.3-abort-on-error", "establishes the CSB before it checks the policies")
def keys_before_policy_check(profile: Profile) -> Sut:
    return with_responder(profile, _KeysBeforePolicyCheck)


class _AnySrtpParams(PskResponder):
    def check_policies(self, msg: Message) -> None:
        return None


@mutant("RFC3830-6.10.1-param-types", "takes SRTP policies with parameters it does not know")
def takes_any_srtp_params(profile: Profile) -> Sut:
    return with_responder(profile, _AnySrtpParams)


class _NoSupportedPolicies(PskResponder):
    def supported_policies(self) -> tuple[SecurityPolicy, ...]:
        return ()


@mutant("RFC3830-5.1.2-error-supported-params", "Invalid SPpar Error messages carry no SP")
def error_without_supported_policies(profile: Profile) -> Sut:
    return with_responder(profile, _NoSupportedPolicies)


SHORT_TAG = PolicyParam(SrtpParam.AUTH_TAG_LEN, bytes([4]))
"""A 32-bit SRTP authentication tag, where RFC 3711's default is 80 bits."""


class _ShortTagByDefault(PskResponder):
    def establish(self, msg: Message, key_data: tuple[KeyData, ...], prior: Csb | None) -> Csb:
        payloads = tuple(
            replace(p, params=(SHORT_TAG,)) if isinstance(p, SecurityPolicy) and not p.params else p
            for p in msg.payloads
        )
        return super().establish(replace(msg, payloads=payloads), key_data, prior)


@mutant("RFC3830-6.10.1-default-params", "takes a 32-bit SRTP auth tag when no tag length is set")
def short_tag_by_default(profile: Profile) -> Sut:
    return with_responder(profile, _ShortTagByDefault)


# -- the CS ID map (6.1.1) --------------------------------------------------------------


class _FirstCsIdOnly(BuiltinSut):
    def srtp_keys(self, role: Role, cs_id: int) -> SrtpKeys | None:
        csb = self._responder.last_csb if self._responder else None
        if role is not Role.RESPONDER or csb is None:
            return super().srtp_keys(role, cs_id)
        # cs_id 1 in the TEK and salt labels (4.1.3) for every crypto session
        return srtp_keys(csb.key_for(cs_id), csb.csb_id, 1, csb.rand, csb.policy_for(cs_id))


@mutant("RFC3830-6.1.1-cs-id-index", "derives every crypto session's keys with cs_id 1")
def cs_id_always_one(profile: Profile) -> Sut:
    return _FirstCsIdOnly(profile=profile)


class _RocStartsAtOne(PskInitiator):
    def _header(self, csb_id: int) -> CommonHeader:
        hdr = super()._header(csb_id)
        return replace(hdr, cs_map=tuple(replace(e, roc=1) for e in hdr.cs_map))


@mutant("RFC3830-6.1.1-roc-initial", "sends ROC 1 for streams that have not started")
def roc_starts_at_one(profile: Profile) -> Sut:
    return with_initiator(profile, _RocStartsAtOne)


class _PoliciesAllZero(PskInitiator):
    def compose(self, csb_id: int | None = None) -> Message:
        msg = super().compose(csb_id)
        payloads = tuple(
            replace(p, policy_no=0) if isinstance(p, SecurityPolicy) else p for p in msg.payloads
        )
        return replace(msg, payloads=payloads)


@mutant("RFC3830-6.10-policy-no-distinct", "numbers every SP payload 0")
def policies_all_numbered_zero(profile: Profile) -> Sut:
    return with_initiator(profile, _PoliciesAllZero)
