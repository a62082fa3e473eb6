"""Hypothesis strategies for MIKEY payloads and messages (RFC 3830 section 6, RFC 4563).

The one set of generators, for the project's property tests and for fuzz
campaigns alike: every strategy draws *valid* values, i.e. values that
`encode_message` accepts and that `decode_message` returns unchanged. Invalid
bytes come from conformance.fuzz.mutators, which mutates these encodings.

    from conformance.fuzz.strategies import messages, PAYLOAD_STRATEGIES
"""

from __future__ import annotations

from hypothesis import strategies as st

from mikey.wire import (
    DH_VALUE_LENGTH,
    HASH_LENGTH,
    MAC_LENGTH,
    TS_VALUE_LENGTH,
    Cert,
    CertType,
    Chash,
    CommonHeader,
    CsIdMapType,
    DataType,
    Dh,
    DhGroup,
    EncrAlg,
    Error,
    ErrorNo,
    GeneralExtension,
    GeneralExtType,
    HashFunc,
    Id,
    Idr,
    IdRole,
    IdType,
    Kemac,
    KeyData,
    KeyIdEntry,
    KeyType,
    KeyValidity,
    KvInterval,
    KvNull,
    KvSpi,
    MacAlg,
    Message,
    Payload,
    Pke,
    PkeCache,
    PolicyParam,
    PrfFunc,
    ProtType,
    Rand,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpIdEntry,
    Timestamp,
    TsType,
    Verification,
    encode_key_ids,
)

u8 = st.integers(0, 0xFF)
u32 = st.integers(0, 0xFFFF_FFFF)


def blobs(max_size: int = 24, min_size: int = 0) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=min_size, max_size=max_size)


def fixed(length: int) -> st.SearchStrategy[bytes]:
    return st.binary(min_size=length, max_size=length)


# --- HDR (6.1, 6.1.1, RFC 4563 5) -------------------------------------------------

srtp_id_entries = st.builds(SrtpIdEntry, u8, u32, u32)


@st.composite
def headers(draw: st.DrawFn) -> CommonHeader:
    map_type = draw(st.sampled_from(CsIdMapType))
    if map_type == CsIdMapType.EMPTY:
        cs_map: tuple[SrtpIdEntry, ...] = ()
        cs_count: int | None = draw(u8)
    else:
        cs_map = tuple(draw(st.lists(srtp_id_entries, max_size=4)))
        cs_count = None
    return CommonHeader(
        data_type=draw(st.sampled_from(DataType)),
        csb_id=draw(u32),
        cs_map=cs_map,
        v=draw(st.booleans()),
        prf_func=draw(st.sampled_from(PrfFunc)),
        cs_id_map_type=map_type,
        cs_count=cs_count,
    )


# --- Key validity (6.14) and Key data (6.13) ----------------------------------------

key_validities: st.SearchStrategy[KeyValidity] = st.one_of(
    st.just(KvNull()),
    st.builds(KvSpi, blobs(8)),
    st.builds(KvInterval, blobs(8), blobs(8)),
)


@st.composite
def key_data(draw: st.DrawFn) -> KeyData:
    key_type = draw(st.sampled_from(KeyType))
    salted = key_type in (KeyType.TGK_SALT, KeyType.TEK_SALT)
    salt = draw(blobs(16)) if salted else None
    return KeyData(key_type, draw(blobs(40)), salt, draw(key_validities))


key_data_chains = st.lists(key_data(), max_size=4).map(tuple)

# --- Top-level payloads -------------------------------------------------------------


@st.composite
def kemacs(draw: st.DrawFn) -> Kemac:
    mac_alg = draw(st.sampled_from(MacAlg))
    return Kemac(
        draw(st.sampled_from(EncrAlg)), draw(blobs(64)), mac_alg, draw(fixed(MAC_LENGTH[mac_alg]))
    )


pkes = st.builds(Pke, st.sampled_from(PkeCache), blobs(48))


@st.composite
def dhs(draw: st.DrawFn) -> Dh:
    group = draw(st.sampled_from(DhGroup))
    return Dh(group, draw(fixed(DH_VALUE_LENGTH[group])), draw(key_validities))


signs = st.builds(Sign, st.sampled_from(SignType), blobs(64))


@st.composite
def timestamps(draw: st.DrawFn) -> Timestamp:
    ts_type = draw(st.sampled_from(TsType))
    return Timestamp(ts_type, draw(st.integers(0, (1 << (8 * TS_VALUE_LENGTH[ts_type])) - 1)))


ids = st.builds(Id, st.sampled_from(IdType), blobs(32))
certs = st.builds(Cert, st.sampled_from(CertType), blobs(48))


@st.composite
def chashes(draw: st.DrawFn) -> Chash:
    func = draw(st.sampled_from(HashFunc))
    return Chash(func, draw(fixed(HASH_LENGTH[func])))


@st.composite
def verifications(draw: st.DrawFn) -> Verification:
    alg = draw(st.sampled_from(MacAlg))
    return Verification(alg, draw(fixed(MAC_LENGTH[alg])))


policy_params = st.builds(PolicyParam, u8, blobs(8))
security_policies = st.builds(
    SecurityPolicy,
    u8,
    st.sampled_from(ProtType),
    st.lists(policy_params, max_size=6).map(tuple),
)
rands = st.builds(Rand, st.one_of(blobs(32), fixed(255)))
errors = st.builds(Error, st.sampled_from(ErrorNo))
key_id_entries = st.builds(KeyIdEntry, u8, blobs(16))
key_id_lists = st.lists(key_id_entries, max_size=4).map(tuple)
general_extensions = st.one_of(
    st.builds(
        GeneralExtension,
        st.sampled_from([GeneralExtType.VENDOR_ID, GeneralExtType.SDP_IDS]),
        blobs(32),
    ),
    key_id_lists.map(lambda e: GeneralExtension(GeneralExtType.KEY_ID, encode_key_ids(e))),
)

idrs = st.builds(Idr, st.sampled_from(IdRole), st.sampled_from(IdType), blobs(32))
sakkes = st.builds(
    Sakke, st.sampled_from(SakkeParamSet), st.sampled_from(SakkeIdScheme), blobs(300)
)

PAYLOAD_STRATEGIES: dict[str, st.SearchStrategy[Payload]] = {
    "KEMAC": kemacs(),
    "PKE": pkes,
    "DH": dhs(),
    "SIGN": signs,
    "T": timestamps(),
    "ID": ids,
    "CERT": certs,
    "CHASH": chashes(),
    "V": verifications(),
    "SP": security_policies,
    "RAND": rands,
    "ERR": errors,
    "GENERAL_EXT": general_extensions,
    "IDR": idrs,
    "SAKKE": sakkes,
}
"""One strategy per top-level payload, keyed by its Table 6.1.b name."""

chainable_payloads: st.SearchStrategy[Payload] = st.one_of(
    [s for name, s in PAYLOAD_STRATEGIES.items() if name != "SIGN"]
)
"""Any payload that may be followed by another (all but SIGN, RFC 3830 6.5)."""


@st.composite
def messages(draw: st.DrawFn, max_payloads: int = 6) -> Message:
    """A valid message: HDR, payloads, and sometimes a SIGN last."""
    body = draw(st.lists(chainable_payloads, max_size=max_payloads))
    if draw(st.booleans()):
        body.append(draw(signs))
    return Message(draw(headers()), tuple(body))
