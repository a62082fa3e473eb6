"""MACs over whole messages (RFC 3830 5.2), error messages (5.1.2), the AES-KW key length."""

from __future__ import annotations

import hmac
from hashlib import sha1

import pytest

from mikey.modes.error_message import csb_id_of, error_header, error_message, error_numbers
from mikey.modes.psk import PskSettings
from mikey.modes.sealing import reseal, seal, verify
from mikey.modes.srtp_policy import DEFAULT_SRTP_POLICY
from mikey.wire import (
    CommonHeader,
    DataType,
    EncrAlg,
    ErrorNo,
    Kemac,
    KeyType,
    MacAlg,
    Message,
    SrtpIdEntry,
    Timestamp,
    TsType,
    Verification,
    decode_message,
    encode_key_data,
)
from tests.modes.pairs import PSK, make_pair

KEY = bytes(range(20))
T = Timestamp(TsType.NTP_UTC, 0x1122334455667788)
HDR = CommonHeader(DataType.PSK_INIT, 0xCAFEBABE, (SrtpIdEntry(0, 7, 0),), v=True)


def kemac_message() -> Message:
    return Message(HDR, (T, Kemac(EncrAlg.NULL, b"data", MacAlg.HMAC_SHA_1_160, bytes(20))))


def test_seal_macs_everything_but_the_mac_field() -> None:
    data = seal(kemac_message(), KEY)
    assert data[-20:] == hmac.new(KEY, data[:-20], sha1).digest()
    assert verify(data, decode_message(data), KEY)


def test_the_trailer_directly_follows_the_message() -> None:
    msg = Message(HDR, (T, Verification(MacAlg.HMAC_SHA_1_160, bytes(20))))
    data = seal(msg, KEY, b"trailer")
    assert data[-20:] == hmac.new(KEY, data[:-20] + b"trailer", sha1).digest()
    assert verify(data, msg, KEY, b"trailer")
    assert not verify(data, msg, KEY, b"trailes")


def test_every_bit_counts() -> None:
    data = seal(kemac_message(), KEY)
    for i in range(len(data)):
        flipped = data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]
        assert not verify(flipped, kemac_message(), KEY), i


def test_a_mac_field_moved_up_is_left_out_of_what_the_mac_covers() -> None:
    """A forgery with KEMAC before T: the MAC covers everything but the MAC field."""
    kemac = Kemac(EncrAlg.NULL, b"data", MacAlg.HMAC_SHA_1_160, bytes(20))
    data = seal(Message(HDR, (kemac, T)), KEY)
    end = len(data) - 10  # T (Next payload, TS type, 8-byte TS value) follows the MAC
    tag, rest = data[end - 20 : end], data[end:]
    assert tag == hmac.new(KEY, data[: end - 20] + rest, sha1).digest()
    assert verify(data, decode_message(data), KEY)


def test_reseal_gives_any_bytes_a_valid_mac() -> None:
    data = bytearray(seal(kemac_message(), KEY))
    data[4] ^= 0xFF
    resealed = reseal(bytes(data), MacAlg.HMAC_SHA_1_160, KEY)
    assert verify(resealed, decode_message(resealed), KEY)


def test_a_sealed_message_ends_with_kemac_or_v() -> None:
    with pytest.raises(ValueError, match="KEMAC or V"):
        seal(Message(HDR, (T,)), KEY)


def test_error_message_layout() -> None:
    """5.1.2: HDR, T, {ERR}, {SP}, [V]; data type Error, V flag clear."""
    hdr = error_header(HDR, None)
    data = error_message(hdr, T, (ErrorNo.INVALID_SPPAR,), (DEFAULT_SRTP_POLICY,))
    msg = decode_message(data)
    assert msg.hdr.data_type == DataType.ERROR and not msg.hdr.v
    assert msg.hdr.csb_id == HDR.csb_id and msg.hdr.cs_map == HDR.cs_map
    assert [type(p).__name__ for p in msg.payloads] == ["Timestamp", "Error", "SecurityPolicy"]
    assert error_numbers(msg) == (ErrorNo.INVALID_SPPAR,)


def test_authenticated_error_message() -> None:
    hdr = error_header(None, 0x01020304)
    data = error_message(hdr, T, (ErrorNo.UNSPECIFIED,), (), (MacAlg.HMAC_SHA_1_160, KEY))
    assert isinstance(decode_message(data).payloads[-1], Verification)
    assert verify(data, decode_message(data), KEY)
    assert decode_message(data).hdr.csb_id == 0x01020304


def test_csb_id_from_raw_bytes() -> None:
    assert csb_id_of(b"\x01\x07\x05\x00\xde\xad\xbe\xef") == 0xDEADBEEF
    assert csb_id_of(b"\x01\x07\x05\x00\xde\xad\xbe") is None
    assert csb_id_of(b"\x02\x07\x05\x00\xde\xad\xbe\xef") is None


@pytest.mark.parametrize(("key_type", "length"), [(KeyType.TGK, 20), (KeyType.TGK_SALT, 20)])
def test_aes_kw_lengthens_the_tgk_to_whole_blocks(key_type: KeyType, length: int) -> None:
    settings = PskSettings(psk=PSK, encr_alg=EncrAlg.AES_KW_128, key_type=key_type)
    assert settings.key_len == length
    assert len(encode_key_data(settings.new_key_data(bytes))) % 8 == 0
    pair = make_pair(encr_alg=EncrAlg.AES_KW_128, key_type=key_type)
    reply = pair.responder.receive(pair.initiator.start())
    assert reply.outcome.accepted and reply.message is not None
    assert pair.initiator.receive(reply.message).accepted


@pytest.mark.parametrize("key_type", [KeyType.TEK, KeyType.TEK_SALT])
def test_aes_kw_refuses_a_tek_that_cannot_fill_whole_blocks(key_type: KeyType) -> None:
    with pytest.raises(ValueError, match="64-bit blocks"):
        PskSettings(psk=PSK, encr_alg=EncrAlg.AES_KW_128, key_type=key_type)


def test_other_encryptions_keep_16_byte_keys() -> None:
    assert PskSettings(psk=PSK).key_len == 16
    assert PskSettings(psk=PSK, encr_alg=EncrAlg.AES_KW_128, tgk_len=28).key_len == 28


def test_the_initiator_exposes_its_mac_for_forgeries() -> None:
    pair = make_pair()
    data = pair.initiator.start()
    unsealed = pair.initiator.unsealed_bytes()
    assert unsealed == data[:-20]
    assert unsealed + pair.initiator.mac_over(unsealed) == data
    assert pair.initiator.unsealed_message().hdr == decode_message(data).hdr
