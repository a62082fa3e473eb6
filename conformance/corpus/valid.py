"""The valid corpus: named MIKEY messages covering every payload of RFC 3830 section 6.

Each sample is a well-formed encoding (RFC 3830 section 6, RFC 4563), built with
the payload model in the message shapes of RFC 3830 5.1 / 5.2 where that costs
nothing; samples need not be a valid exchange (a decoder test checks encoding
only). Coverage, one sample at least for each: HDR with 0, 1 and 3 SRTP-ID
entries and RFC 4563's Empty map; every data type; KEMAC with each Encr alg x
MAC alg; PKE with each cache type; DH with each group x key validity type; SIGN
and T of each type; ID, CERT, CHASH of each type; V with each Auth alg; SP with
every SRTP policy parameter of Table 6.10.1.a; RAND; ERR with each Error no;
General Extension Vendor ID, SDP IDs and Key ID (RFC 4563); IDR of each ID Role
(RFC 6043 6.6, RFC 6509 4.4) and a MIKEY-SAKKE I_MESSAGE (RFC 6509 2.1); and the two
published messages of RFC 4567 section 5.1 (mikey/vectors/rfc4567-examples.json).
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from enum import IntEnum

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from mikey import vectors
from mikey.wire import (
    DH_VALUE_LENGTH,
    HASH_LENGTH,
    MAC_LENGTH,
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
    KeyIdType,
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
    ProtType,
    Rand,
    Sakke,
    SakkeIdScheme,
    SakkeParamSet,
    SecurityPolicy,
    Sign,
    SignType,
    SrtpIdEntry,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    decode_message,
    encode_key_data,
    encode_key_ids,
    encode_message,
)


@dataclass(frozen=True)
class Sample:
    """One valid message: its name, its value, and its canonical encoding."""

    name: str
    message: Message
    data: bytes
    source: str = "built with the payload model"


def slug(code: IntEnum) -> str:
    """A readable test-ID fragment for a registry code: AES_CM_128 -> aes-cm-128."""
    return code.name.lower().replace("_", "-")


def der_certificate() -> bytes:
    """A deterministic self-signed X.509v3 certificate in DER (Ed25519 signs deterministically)."""
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mikey-conformance corpus")])
    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(3830)
        .not_valid_before(when)
        .not_valid_after(when.replace(year=2034))
        .sign(key, None)
    )
    return cert.public_bytes(serialization.Encoding.DER)


NTP = 0xE8A1_2B3C_8000_0001  # an NTP-UTC time, 64 bits (RFC 3830 6.6)
T_NTP = Timestamp(TsType.NTP_UTC, NTP)
RAND = Rand(bytes(range(0x40, 0x50)))
ID_I = Id(IdType.URI, b"sip:alice@mikey.test")
ID_R = Id(IdType.URI, b"sip:bob@mikey.test")
KEY_DATA = (
    KeyData(KeyType.TGK, bytes(range(16))),
    KeyData(KeyType.TGK_SALT, b"\x11" * 16, b"\x12" * 14, KvSpi(b"\x01\x02\x03\x04")),
    KeyData(KeyType.TEK, b"\x21" * 16, None, KvInterval(bytes(6), b"\xff" * 6)),
    KeyData(KeyType.TEK_SALT, b"\x31" * 16, b"\x32" * 14),
)
KEY_VALIDITY: dict[str, KeyValidity] = {
    "null": KvNull(),
    "spi": KvSpi(b"\xa0\xa1"),
    "interval": KvInterval(bytes(6), b"\x00\x00\xff\xff\xff\xff"),
}
KEY_IDS = encode_key_ids([KeyIdEntry(t, bytes([0xC0 + t]) * (t + 2)) for t in KeyIdType])


def header(data_type: DataType, n_cs: int = 1, v: bool = False) -> CommonHeader:
    """A HDR with `n_cs` SRTP-ID entries (6.1.1): policy i, SSRC 0x5500000i, ROC 7i."""
    cs_map = tuple(SrtpIdEntry(i, 0x5500_0000 + i, 7 * i) for i in range(n_cs))
    return CommonHeader(data_type, 0xC5B0_0000 + n_cs, cs_map, v=v)


def srtp_policy(no: int = 0, encr: int = 1, tag_len: int = 10) -> SecurityPolicy:
    """An SRTP SP carrying every parameter of Table 6.10.1.a, in type order: AES-CM
    (`encr` 1; 0 NULL, 2 AES-F8) and an authentication tag of `tag_len` bytes."""
    values = (encr, 16, 1, 20, 14, 0, 0, 1, 1, 0, 1, tag_len, 0)  # indexed by SrtpParam value
    return SecurityPolicy(
        no, ProtType.SRTP, tuple(PolicyParam(int(t), bytes([values[t]])) for t in SrtpParam)
    )


def kemac(encr: EncrAlg, mac: MacAlg = MacAlg.HMAC_SHA_1_160) -> Kemac:
    """A KEMAC: the Key data chain in clear for NULL, ciphertext-shaped bytes otherwise."""
    plain = encode_key_data(KEY_DATA)
    data = {EncrAlg.NULL: plain, EncrAlg.AES_CM_128: bytes(b ^ 0x5C for b in plain)}.get(
        encr,
        bytes(range(40)),  # AES-KW output: a multiple of 8 bytes (RFC 3394)
    )
    return Kemac(encr, data, mac, b"\x5a" * MAC_LENGTH[mac])


def sign(s_type: SignType = SignType.RSA_PKCS1_1_5) -> Sign:
    return Sign(s_type, bytes([0x90 + s_type]) * 128)


def psk_i(*payloads: Payload, n_cs: int = 1) -> Message:
    """A pre-shared key I_MESSAGE (5.1): HDR, T, RAND, [IDi, IDr], {SP}, KEMAC."""
    return Message(header(DataType.PSK_INIT, n_cs, v=True), (T_NTP, RAND, *payloads))


def pk_i(*payloads: Payload) -> Message:
    """A public-key I_MESSAGE (5.1): HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, PKE, SIGNi."""
    return Message(header(DataType.PK_INIT, v=True), (T_NTP, RAND, *payloads))


def dh_i(*payloads: Payload) -> Message:
    """A DH I_MESSAGE (5.1): HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, DHi, SIGNi."""
    return Message(header(DataType.DH_INIT), (T_NTP, RAND, *payloads))


def sakke_i(*payloads: Payload) -> Message:
    """A MIKEY-SAKKE I_MESSAGE (RFC 6509 2.1): HDR, T, RAND, [IDRi], [IDRr], [IDRkmsi],
    [IDRkmsr], {SP}, SAKKE, SIGN; the SAKKE data is Encapsulated Data's length (RFC 6508 4)."""
    data = b"\x04" + bytes(range(256)) + b"\x5c" * 16
    sakke = Sakke(SakkeParamSet.PARAMETER_SET_1, SakkeIdScheme.TEL_URI_MONTHLY, data)
    return Message(
        header(DataType.SAKKE_MSG), (T_NTP, RAND, *payloads, sakke, sign(SignType.ECCSI))
    )


def verification(data_type: DataType, alg: MacAlg) -> Message:
    """A verification message (5.1): HDR, T, [IDr], V."""
    v = Verification(alg, b"\xc3" * MAC_LENGTH[alg])
    return Message(header(data_type), (T_NTP, ID_R, v))


def built() -> dict[str, Message]:
    """The samples built with the payload model, by name."""
    cert = Cert(CertType.X509V3, der_certificate())
    pke = Pke(PkeCache.CACHE_FOR_CSB, bytes(range(128)))
    dhmac = Kemac(EncrAlg.NULL, b"", MacAlg.HMAC_SHA_1_160, b"\x4d" * 20)
    msgs = {
        "hdr-srtp-id-0-cs": psk_i(srtp_policy(), kemac(EncrAlg.AES_CM_128), n_cs=0),
        "hdr-srtp-id-1-cs": psk_i(srtp_policy(), kemac(EncrAlg.AES_CM_128), n_cs=1),
        "hdr-srtp-id-3-cs": psk_i(
            ID_I,
            ID_R,
            srtp_policy(0),
            srtp_policy(1),
            srtp_policy(2),
            kemac(EncrAlg.AES_CM_128),
            n_cs=3,
        ),
        "hdr-empty-map-rfc4563": Message(
            CommonHeader(
                DataType.PSK_INIT, 0x4563, (), cs_id_map_type=CsIdMapType.EMPTY, cs_count=2
            ),
            (
                T_NTP,
                RAND,
                GeneralExtension(GeneralExtType.KEY_ID, KEY_IDS),
                kemac(EncrAlg.AES_CM_128),
            ),
        ),  # no SP with the Empty map (RFC 4563 5)
        "sp-no-params": psk_i(SecurityPolicy(0, ProtType.SRTP), kemac(EncrAlg.AES_CM_128)),
        "rand-32-bytes": psk_i(Rand(b"\x77" * 32), kemac(EncrAlg.AES_CM_128)),
        "kemac-update-no-key-data": psk_i(
            Kemac(EncrAlg.NULL, b"", MacAlg.HMAC_SHA_1_160, b"\x5a" * 20)
        ),  # 6.2: Encr data len 0
        "ext-vendor-id": psk_i(
            GeneralExtension(GeneralExtType.VENDOR_ID, b"\x00\x00\x5e\x00vnd"),
            kemac(EncrAlg.AES_CM_128),
        ),
        "ext-sdp-ids": psk_i(
            GeneralExtension(GeneralExtType.SDP_IDS, b"mikey"), kemac(EncrAlg.AES_CM_128)
        ),
        "ext-key-id-rfc4563": psk_i(
            GeneralExtension(GeneralExtType.KEY_ID, KEY_IDS), kemac(EncrAlg.AES_CM_128)
        ),
        "pk-i-message": pk_i(cert, ID_R, srtp_policy(), kemac(EncrAlg.AES_CM_128), pke, sign()),
        "pk-i-chash": pk_i(
            ID_I, Chash(HashFunc.SHA_1, b"\x0c" * 20), kemac(EncrAlg.AES_KW_128), pke, sign()
        ),
        "dh-r-message": Message(
            header(DataType.DH_RESP),
            (
                T_NTP,
                ID_R,
                cert,
                ID_I,
                Dh(DhGroup.OAKLEY_5, b"\x05" * 192),
                Dh(DhGroup.OAKLEY_5, b"\x06" * 192),
                sign(),
            ),
        ),
        # RFC 4738 3.1: I_MESSAGE = HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi
        "rsa-r-i-message": Message(
            header(DataType.RSA_R_INIT), (T_NTP, RAND, ID_I, cert, ID_R, srtp_policy(), sign())
        ),
        # R_MESSAGE = HDR, [GenExt(CSB_ID)], T, [RAND], [IDr|CERTr], [SP], KEMAC, PKE, SIGNr
        "rsa-r-r-message": Message(
            header(DataType.RSA_R_RESP),
            (T_NTP, ID_R, cert, srtp_policy(), kemac(EncrAlg.AES_CM_128), pke, sign()),
        ),
        # RFC 4738 3.2, group mode: HDR, GenExt(CSB_ID), T, RAND, [IDr|CERTr], SP, KEMAC, PKE, SIGNr
        "rsa-r-group-r-message": Message(
            header(DataType.RSA_R_RESP),
            (
                GeneralExtension(GeneralExtType.CSB_ID, b"\x47\x52\x4f\x50"),
                T_NTP,
                RAND,
                ID_R,
                srtp_policy(),
                kemac(EncrAlg.AES_CM_128),
                pke,
                sign(),
            ),
        ),
        # RFC 4650 3: I_message = HDR, T, RAND, [IDi], IDr, {SP}, DHi, KEMAC (no Encr data, 4.2)
        "dhhmac-i-message": Message(
            header(DataType.DHHMAC_INIT),
            (T_NTP, RAND, ID_I, ID_R, srtp_policy(), Dh(DhGroup.OAKLEY_2, b"\x07" * 128), dhmac),
        ),
        # R_message = HDR, T, [IDr], IDi, DHr, DHi, KEMAC
        "dhhmac-r-message": Message(
            header(DataType.DHHMAC_RESP),
            (
                T_NTP,
                ID_R,
                ID_I,
                Dh(DhGroup.OAKLEY_2, b"\x08" * 128),
                Dh(DhGroup.OAKLEY_2, b"\x07" * 128),
                dhmac,
            ),
        ),
    }
    for encr in EncrAlg:
        for mac in MacAlg:
            msgs[f"kemac-{slug(encr)}-mac-{slug(mac)}"] = psk_i(srtp_policy(), kemac(encr, mac))
    for cache in PkeCache:
        msgs[f"pke-{slug(cache)}"] = pk_i(
            ID_I, kemac(EncrAlg.AES_KW_128), Pke(cache, b"\xe0" * 64), sign()
        )
    for group in DhGroup:
        for kv_name, kv in KEY_VALIDITY.items():
            value = bytes([0x20 + group]) * DH_VALUE_LENGTH[group]
            msgs[f"dh-{slug(group)}-kv-{kv_name}"] = dh_i(
                ID_I, srtp_policy(), Dh(group, value, kv), sign()
            )
    for s_type in SignType:
        msgs[f"sign-{slug(s_type)}"] = dh_i(Dh(DhGroup.OAKLEY_1, b"\x01" * 96), sign(s_type))
    for ts_type in TsType:
        t = Timestamp(ts_type, NTP if ts_type != TsType.COUNTER else 0x0102_0304)
        msgs[f"t-{slug(ts_type)}"] = Message(
            header(DataType.PSK_INIT), (t, RAND, kemac(EncrAlg.AES_CM_128))
        )
    for id_type, text in ((IdType.NAI, b"alice@mikey.test"), (IdType.URI, b"sip:a@mikey.test")):
        msgs[f"id-{slug(id_type)}"] = psk_i(Id(id_type, text), kemac(EncrAlg.AES_CM_128))
    for cert_type in CertType:
        body = b"https://mikey.test/a.crt" if cert_type == CertType.X509V3_URL else cert.data
        msgs[f"cert-{slug(cert_type)}"] = pk_i(
            Cert(cert_type, body), kemac(EncrAlg.AES_CM_128), pke, sign()
        )
    for hash_func in HashFunc:
        chash = Chash(hash_func, bytes([0xD0 + hash_func]) * HASH_LENGTH[hash_func])
        msgs[f"chash-{slug(hash_func)}"] = pk_i(chash, kemac(EncrAlg.AES_CM_128), pke, sign())
    for alg in MacAlg:
        msgs[f"v-psk-{slug(alg)}"] = verification(DataType.PSK_RESP, alg)
    msgs["v-pk-hmac-sha-1-160"] = verification(DataType.PK_RESP, MacAlg.HMAC_SHA_1_160)
    for role in IdRole:
        idr = Idr(role, IdType.URI, b"tel:+447700900123")
        msgs[f"idr-{slug(role)}"] = sakke_i(idr, srtp_policy())
    msgs["sakke-i-message-rfc6509"] = sakke_i(
        Idr(IdRole.IDRI, IdType.URI, b"tel:+447700900123"),
        Idr(IdRole.IDRR, IdType.URI, b"tel:+447700900456"),
        Idr(IdRole.IDRKMSI, IdType.URI, b"kms.mikey.test"),
        Idr(IdRole.IDRKMSR, IdType.URI, b"kms.mikey.test"),
        srtp_policy(),
    )
    for no in ErrorNo:
        msgs[f"err-{slug(no)}"] = Message(
            header(DataType.ERROR, n_cs=0),
            (T_NTP, Error(no), Verification(MacAlg.HMAC_SHA_1_160, b"\xe5" * 20)),
        )
    return msgs


def rfc4567_examples() -> dict[str, bytes]:
    """The published messages of RFC 4567 section 5.1, from mikey/vectors/rfc4567-examples.json."""
    doc = vectors.load("rfc4567-examples.json")
    tests = [t for group in doc["testGroups"] for t in group["tests"] if t["result"] == "valid"]
    return {f"rfc4567-5.1-tc{t['tcId']}": bytes.fromhex(t["message"]) for t in tests}


@functools.cache
def valid_samples() -> tuple[Sample, ...]:
    """Every valid sample: the RFC 4567 vectors first, then the built ones."""
    samples = [
        Sample(name, decode_message(data), data, "rfc4567-examples.json, RFC 4567 section 5.1")
        for name, data in rfc4567_examples().items()
    ]
    for name, msg in built().items():
        data = encode_message(msg)
        samples.append(Sample(name, decode_message(data), data))  # as our decoder reads it
    return tuple(samples)


@functools.cache
def _by_name() -> dict[str, Sample]:
    return {s.name: s for s in valid_samples()}


def sample(name: str) -> Sample:
    """The valid sample called `name` (KeyError if there is none)."""
    return _by_name()[name]
