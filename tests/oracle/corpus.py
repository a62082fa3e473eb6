"""Messages of every kind for the Wireshark oracle, built with the codec.

`codec_corpus()` covers every payload of RFC 3830 section 6 (and RFC 4563's Key ID
extension and empty CS ID map) in the message shapes the modes use (RFC 3830 5.1, 5.2):
PSK, PK and DH initiator and responder messages, Error messages, update messages, the
published RFC 4567 example, and MIKEY-SAKKE I_MESSAGEs (RFC 6509: IDR, SAKKE, ECCSI
SIGN). They need not be valid exchanges, only valid encodings. HDR, SP and KEMAC are
built as the codec corpus builds them (conformance/corpus/valid.py); the identities and
RAND are the oracle's own (an NAI IDr among them). `deviation_corpus()` holds one
message per known tshark deviation (conformance/oracle/known_deviations.py).
"""

from __future__ import annotations

from conformance.corpus.valid import (
    NTP,
    T_NTP,
    der_certificate,
    header,
    kemac,
    rfc4567_examples,
    srtp_policy,
)
from mikey.wire import (
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
    IdType,
    Kemac,
    KeyData,
    KeyIdEntry,
    KeyIdType,
    KeyType,
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
    SecurityPolicy,
    Sign,
    SignType,
    SrtpParam,
    Timestamp,
    TsType,
    Verification,
    encode_key_data,
    encode_key_ids,
    encode_message,
)
from tests.oracle.sakke_corpus import sakke_corpus

# RFC 4567 section 5.1, example 1: Alice's PSK I_MESSAGE and Bob's verification message,
# read from the vectors file (one transcription, shared with the codec corpus).
_RFC4567 = rfc4567_examples()
RFC4567_I_MESSAGE = _RFC4567["rfc4567-5.1-tc1"]
RFC4567_R_MESSAGE = _RFC4567["rfc4567-5.1-tc2"]

RAND = Rand(bytes(range(100, 116)))
ID_I = Id(IdType.URI, b"sip:alice@example.org")
ID_R = Id(IdType.NAI, b"bob@example.org")
V_HMAC = Verification(MacAlg.HMAC_SHA_1_160, b"\xc3" * 20)


def _msg(hdr: CommonHeader, *payloads: Payload) -> bytes:
    return encode_message(Message(hdr, payloads))


def codec_corpus() -> dict[str, bytes]:
    """Named encodings covering every payload type and the mode message shapes."""
    cert = Cert(CertType.X509V3, der_certificate())
    key_ids = encode_key_ids(
        [
            KeyIdEntry(KeyIdType.MBMS_SERVICE_KEY_ID, b"\x00\x01\x02\x03"),
            KeyIdEntry(KeyIdType.MBMS_TRAFFIC_KEY_ID, b"\x0a\x0b"),
        ]
    )
    psk_i, psk_r = DataType.PSK_INIT, DataType.PSK_RESP
    corpus = {
        "rfc4567-i-message": RFC4567_I_MESSAGE,
        "rfc4567-verification": RFC4567_R_MESSAGE,
        "psk-i-null-null": _msg(
            header(psk_i), T_NTP, RAND, srtp_policy(0), kemac(EncrAlg.NULL, MacAlg.NULL)
        ),
        "psk-i-null-hmac-ids": _msg(
            header(psk_i, v=True),
            T_NTP,
            RAND,
            ID_I,
            ID_R,
            srtp_policy(0),
            kemac(EncrAlg.NULL, MacAlg.HMAC_SHA_1_160),
        ),
        "psk-i-aescm-hmac-3cs": _msg(
            header(psk_i, n_cs=3, v=True),
            T_NTP,
            RAND,
            ID_I,
            ID_R,
            srtp_policy(0),
            srtp_policy(1, encr=2),
            srtp_policy(2, encr=0, tag_len=4),
            kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
        ),
        "psk-i-aeskw-hmac": _msg(
            header(psk_i, n_cs=2),
            T_NTP,
            RAND,
            srtp_policy(0),
            kemac(EncrAlg.AES_KW_128, MacAlg.HMAC_SHA_1_160),
        ),
        "psk-i-aescm-null-mac": _msg(
            header(psk_i), T_NTP, RAND, kemac(EncrAlg.AES_CM_128, MacAlg.NULL)
        ),
        "psk-update-no-rand": _msg(
            header(psk_i, n_cs=2, v=True),
            Timestamp(TsType.COUNTER, 0x0102_0304),
            srtp_policy(1),
            kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
        ),
        "psk-update-ntp-null-kemac": _msg(
            header(psk_i),
            Timestamp(TsType.NTP, NTP + 1),
            srtp_policy(0),
            kemac(EncrAlg.NULL, MacAlg.NULL),
        ),
        "psk-verification": _msg(header(psk_r), T_NTP, ID_R, V_HMAC),
        "psk-verification-null": _msg(header(psk_r, n_cs=0), T_NTP, Verification(MacAlg.NULL, b"")),
        "error-several": _msg(
            header(DataType.ERROR),
            T_NTP,
            Error(ErrorNo.AUTH_FAILURE),
            Error(ErrorNo.INVALID_SP),
            Error(ErrorNo.INVALID_SPPAR),
            V_HMAC,
        ),
        "ext-vendor-sdp-keyid": _msg(
            header(psk_i),
            T_NTP,
            RAND,
            GeneralExtension(GeneralExtType.VENDOR_ID, b"\x00\x00\x5e\x00vendor-data"),
            GeneralExtension(GeneralExtType.SDP_IDS, b"1 2 3"),
            GeneralExtension(GeneralExtType.KEY_ID, key_ids),
            kemac(EncrAlg.AES_KW_128, MacAlg.HMAC_SHA_1_160),
        ),
        "rfc4563-empty-map": encode_message(
            Message(
                CommonHeader(psk_i, 0x4563, (), cs_id_map_type=CsIdMapType.EMPTY, cs_count=2),
                (
                    T_NTP,
                    RAND,
                    GeneralExtension(GeneralExtType.KEY_ID, key_ids),
                    kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
                ),
            )
        ),
        "pk-i-message": _msg(
            header(DataType.PK_INIT, n_cs=2, v=True),
            T_NTP,
            RAND,
            ID_I,
            cert,
            Cert(CertType.X509V3_SIGN, der_certificate()),
            ID_R,
            srtp_policy(0),
            kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
            Pke(PkeCache.CACHE_FOR_CSB, bytes(range(128))),
            Sign(SignType.RSA_PKCS1_1_5, b"\x99" * 128),
        ),
        "pk-verification": _msg(header(DataType.PK_RESP), T_NTP, ID_R, V_HMAC),
        # RFC 4738 3.1: HDR, T, [RAND], [IDi|CERTi], [IDr], {SP}, SIGNi
        "rsa-r-i-message": _msg(
            header(DataType.RSA_R_INIT, v=True),
            T_NTP,
            RAND,
            ID_I,
            cert,
            ID_R,
            srtp_policy(0),
            Sign(SignType.RSA_PKCS1_1_5, b"\x98" * 128),
        ),
        # HDR, [GenExt(CSB_ID)], T, [RAND], [IDr|CERTr], [SP], KEMAC, PKE, SIGNr
        "rsa-r-r-message": _msg(
            header(DataType.RSA_R_RESP),
            T_NTP,
            ID_R,
            cert,
            srtp_policy(0),
            kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
            Pke(PkeCache.NO_CACHE, bytes(range(128))),
            Sign(SignType.RSA_PSS, b"\x97" * 128),
        ),
        # group mode (3.2): HDR, GenExt(CSB_ID), T, RAND, [IDr|CERTr], SP, KEMAC, PKE, SIGNr
        "rsa-r-group-r-message": _msg(
            header(DataType.RSA_R_RESP),
            GeneralExtension(GeneralExtType.CSB_ID, b"\x47\x52\x4f\x50"),
            T_NTP,
            RAND,
            ID_R,
            srtp_policy(0),
            kemac(EncrAlg.AES_CM_128, MacAlg.HMAC_SHA_1_160),
            Pke(PkeCache.NO_CACHE, bytes(range(128))),
            Sign(SignType.RSA_PKCS1_1_5, b"\x96" * 128),
        ),
        "dh-i-message": _msg(
            header(DataType.DH_INIT, n_cs=2),
            T_NTP,
            RAND,
            ID_I,
            Cert(CertType.X509V3_ENCR, der_certificate()),
            srtp_policy(0),
            Dh(DhGroup.OAKLEY_5, b"\x05" * 192),
            Sign(SignType.RSA_PSS, b"\x77" * 256),
        ),
        "dh-r-message-oakley1": _msg(
            header(DataType.DH_RESP),
            T_NTP,
            ID_R,
            cert,
            Dh(DhGroup.OAKLEY_1, b"\x01" * 96),
            Dh(DhGroup.OAKLEY_2, b"\x02" * 128, KvNull()),
            Sign(SignType.RSA_PKCS1_1_5, b"\x42" * 96),
        ),
        # RFC 4650 3: DHHMAC init/resp (data types 7, 8), KEMAC with no Encr data (4.2)
        "dhhmac-i-message": _msg(
            header(DataType.DHHMAC_INIT),
            T_NTP,
            RAND,
            ID_I,
            ID_R,
            srtp_policy(0),
            Dh(DhGroup.OAKLEY_2, b"\x02" * 128),
            Kemac(EncrAlg.NULL, b"", MacAlg.HMAC_SHA_1_160, b"\x5a" * 20),
        ),
        "dhhmac-r-message": _msg(
            header(DataType.DHHMAC_RESP),
            T_NTP,
            ID_R,
            ID_I,
            Dh(DhGroup.OAKLEY_1, b"\x03" * 96),
            Dh(DhGroup.OAKLEY_1, b"\x01" * 96),
            Kemac(EncrAlg.NULL, b"", MacAlg.HMAC_SHA_1_160, b"\x5a" * 20),
        ),
    }
    corpus["error-invalid-sp-with-policies"] = _msg(
        header(DataType.ERROR, n_cs=2),
        T_NTP,
        Error(ErrorNo.INVALID_SP),
        srtp_policy(0),
        srtp_policy(1, encr=2),
        V_HMAC,
    )
    for no in ErrorNo:
        corpus[f"error-{no.name.lower()}"] = _msg(
            header(DataType.ERROR, n_cs=0), T_NTP, Error(no), V_HMAC
        )
    for cache in (PkeCache.NO_CACHE, PkeCache.CACHE):
        corpus[f"pk-i-{cache.name.lower()}"] = _msg(
            header(DataType.PK_INIT),
            T_NTP,
            RAND,
            kemac(EncrAlg.AES_KW_128, MacAlg.HMAC_SHA_1_160),
            Pke(cache, bytes(range(256))),
            Sign(SignType.RSA_PSS, b"\x98" * 256),
        )
    corpus.update(sakke_corpus())  # RFC 6509: IDR, SAKKE, SIGN of S type ECCSI
    return corpus


def deviation_corpus() -> dict[str, bytes]:
    """One message per known tshark 4.0 deviation, keyed by the deviation's key."""
    hdr = header(DataType.PSK_INIT)
    kd_empty_salt = encode_key_data([KeyData(KeyType.TEK_SALT, b"\x11" * 16, b"")])
    return {
        "t-counter-value-hidden": _msg(hdr, Timestamp(TsType.COUNTER, 42), RAND),
        "chash-not-dissected": _msg(
            header(DataType.PK_INIT),
            T_NTP,
            RAND,
            Chash(HashFunc.SHA_1, b"\x0c" * 20),
            Chash(HashFunc.MD5, b"\x0d" * 16),
            ID_R,
        ),
        "dh-kv-data-not-dissected": _msg(
            header(DataType.DH_INIT),
            T_NTP,
            RAND,
            Dh(DhGroup.OAKLEY_1, b"\x01" * 96, KvSpi(b"\xab\xcd")),
            ID_I,
        ),
        "cert-len-wrong-offset": _msg(
            header(DataType.PK_INIT), T_NTP, Cert(CertType.X509V3, der_certificate())
        ),
        "cert-url-parsed-as-der": _msg(
            header(DataType.PK_INIT),
            T_NTP,
            Cert(CertType.X509V3_URL, b"https://example.org/alice.crt"),
            RAND,
        ),
        "key-data-empty-salt-hidden": _msg(
            hdr, T_NTP, RAND, Kemac(EncrAlg.NULL, kd_empty_salt, MacAlg.NULL, b"")
        ),
        "sp-srtp-param-empty-value": _msg(
            hdr,
            T_NTP,
            RAND,
            SecurityPolicy(
                0,
                ProtType.SRTP,
                (PolicyParam(SrtpParam.ENCR_ALG, b""), PolicyParam(SrtpParam.AUTH_ALG, b"\x01")),
            ),
        ),
        "sp-srtp-param-long-value": _msg(
            hdr,
            T_NTP,
            RAND,
            SecurityPolicy(
                0,
                ProtType.SRTP,
                (PolicyParam(SrtpParam.KEY_DERIVATION_RATE, b"\x00\x00\x00\x00\x10"),),
            ),
        ),
        "kemac-first-key-data-only": _msg(hdr, T_NTP, RAND, kemac(EncrAlg.NULL, MacAlg.NULL)),
    }
