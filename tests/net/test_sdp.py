"""mikey.sdp: RFC 4567 key-mgmt framing in SDP (3.1) and the RTSP KeyMgmt header (3.2).

The published examples of RFC 4567 section 5 carry the MIKEY messages of
mikey/vectors/rfc4567-examples.json (example 1 in full; examples 2-4 print them
truncated with "...", so those are rebuilt around the full messages).
"""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mikey import vectors
from mikey.sdp import (
    KeyMgmt,
    KeyMgmtError,
    KeyMgmtSpec,
    SdpKeyMgmt,
    keymgmt_header,
    mikey_data,
    parse_keymgmt_header,
    parse_sdp_attribute,
    scan_sdp,
    sdp_attribute,
    with_key_mgmt,
)
from mikey.wire import DataType, decode_message


def _vectors() -> dict[int, dict[str, str]]:
    doc = vectors.load("rfc4567-examples.json")
    return {t["tcId"]: t for group in doc["testGroups"] for t in group["tests"]}


I_MESSAGE = _vectors()[1]
R_MESSAGE = _vectors()[2]

# RFC 4567 5.1, Alice's offer and Bob's answer, the a=key-mgmt lines joined back into one.
EXAMPLE_1_OFFER = "\r\n".join(
    [
        "v=0",
        "o=alice 2891092738 2891092738 IN IP4 w-land.example.com",
        "s=Cool stuff",
        "e=alice@w-land.example.com",
        "t=0 0",
        "c=IN IP4 w-land.example.com",
        "a=key-mgmt:mikey " + I_MESSAGE["base64"],
        "m=audio 49000 RTP/SAVP 98",
        "a=rtpmap:98 AMR/8000",
        "m=video 52230 RTP/SAVP 31",
        "a=rtpmap:31 H261/90000",
        "",
    ]
)
EXAMPLE_1_ANSWER_LINE = "a=key-mgmt:mikey " + R_MESSAGE["base64"]


def test_example_1_offer_carries_the_published_i_message() -> None:
    """RFC 4567 5.1: session level, so it applies to both media."""
    found = scan_sdp(EXAMPLE_1_OFFER)
    assert found.session == (KeyMgmt(bytes.fromhex(I_MESSAGE["message"])),)
    assert found.media == ((), ())
    for medium in (0, 1):
        effective = found.effective(medium)
        assert effective is not None
        assert effective.data.hex() == I_MESSAGE["message"]
    assert decode_message(found.session[0].data).hdr.data_type == DataType.PSK_INIT


def test_example_1_answer_line_is_rebuilt_byte_for_byte() -> None:
    parsed = parse_sdp_attribute(EXAMPLE_1_ANSWER_LINE)
    assert parsed.data.hex() == R_MESSAGE["message"]
    assert sdp_attribute(parsed) == EXAMPLE_1_ANSWER_LINE


def test_example_1_offer_is_rebuilt_from_the_description_without_key_mgmt() -> None:
    bare = "".join(
        line + "\r\n" for line in EXAMPLE_1_OFFER.split("\r\n")[:-1] if "key-mgmt" not in line
    )
    message = KeyMgmt(bytes.fromhex(I_MESSAGE["message"]))
    assert with_key_mgmt(bare, message) == EXAMPLE_1_OFFER


EXAMPLE_2 = [
    "v=0",
    "o=alice 2891092738 2891092738 IN IP4 w-land.example.com",
    "s=Cool stuff",
    "e=alice@w-land.example.com",
    "t=0 0",
    "c=IN IP4 w-land.example.com",
    "m=audio 49000 RTP/SAVP 98",
    "a=rtpmap:98 AMR/8000",
    "m=video 52230 RTP/AVP 31",
    "a=rtpmap:31 H261/90000",
]


def test_example_2_media_level_applies_to_that_medium_only() -> None:
    """RFC 4567 5.2: the key-mgmt line at media level for the audio stream only."""
    message = KeyMgmt(bytes.fromhex(I_MESSAGE["message"]))
    sdp = with_key_mgmt("\n".join(EXAMPLE_2), message, media_index=0)
    assert sdp.split("\r\n")[8] == "a=key-mgmt:mikey " + I_MESSAGE["base64"]
    found = scan_sdp(sdp)
    assert found.session == ()
    assert found.effective(0) == message
    assert found.effective(1) is None


def test_media_level_overrides_session_level() -> None:
    """RFC 4567 3.1: "if the media-level attribute is present, the session level
    attribute MUST be ignored for this media"."""
    session, audio = KeyMgmt(b"session"), KeyMgmt(b"audio only")
    sdp = with_key_mgmt(with_key_mgmt("\n".join(EXAMPLE_2), session), audio, media_index=0)
    found = scan_sdp(sdp)
    assert found.effective(0) == audio
    assert found.effective(1) == session
    assert found.effective(0, kmpid="keyp1") is None


def test_example_3_setup_header_with_its_line_fold() -> None:
    """RFC 4567 5.3: the SETUP's keymgmt header, folded as printed (the data, printed
    truncated, is Bob's full verification message, whose first bytes it shows)."""
    assert R_MESSAGE["base64"].startswith("AQEFgM0XflABAAAAAAAAAAAAAAYAyONQ6g")
    header = (
        'keymgmt: prot=mikey; uri="rtsp://movie.example.com/action";\r\n'
        f'         data="{R_MESSAGE["base64"]}"'
    )
    specs = parse_keymgmt_header(header)
    assert specs == (
        KeyMgmtSpec(
            bytes.fromhex(R_MESSAGE["message"]), "mikey", "rtsp://movie.example.com/action"
        ),
    )
    assert mikey_data(specs, "rtsp://movie.example.com/action") == specs[0].data
    assert mikey_data(specs) is None


def test_example_4_one_spec_per_medium_and_several_specs_in_one_header() -> None:
    """RFC 4567 5.4: per-medium uris; 3.2: key-mgmt-spec 0*("," key-mgmt-spec)."""
    audio = KeyMgmtSpec(b"\x01audio", uri="rtsp://movie.example.com/action/audio")
    video = KeyMgmtSpec(b"\x01video", uri="rtsp://movie.example.com/action/video")
    header = keymgmt_header([audio, video])
    assert header.startswith('KeyMgmt: prot=mikey; uri="rtsp://movie.example.com/action/audio"; ')
    assert parse_keymgmt_header(header) == (audio, video)
    assert mikey_data((audio, video), video.uri) == b"\x01video"


def test_a_spec_without_uri_applies_to_the_request_uri() -> None:
    spec = KeyMgmtSpec(b"\x01\x02")
    assert keymgmt_header([spec]) == 'KeyMgmt: prot=mikey; data="AQI="'
    assert mikey_data(parse_keymgmt_header('KEYMGMT:prot=mikey;data="AQI="')) == b"\x01\x02"


BAD_ATTRIBUTES = {
    "no data": "a=key-mgmt:mikey",
    "two spaces": "a=key-mgmt:mikey  AQI=",
    "tab": "a=key-mgmt:mikey\tAQI=",
    "bad base64 length": "a=key-mgmt:mikey AQI",
    "padding inside": "a=key-mgmt:mikey AQ==AQI=",
    "url-safe alphabet": "a=key-mgmt:mikey AQ-_",
    "kmpid with a dash": "a=key-mgmt:mi-key AQI=",
    "non-ASCII digit": "a=key-mgmt:mikey\u0661 AQI=",
    "trailing space": "a=key-mgmt:mikey AQI= ",
    "line end kept": "a=key-mgmt:mikey AQI=\n",
    "other attribute": "a=rtpmap:98 AMR/8000",
}


@pytest.mark.parametrize("line", BAD_ATTRIBUTES.values(), ids=BAD_ATTRIBUTES.keys())
def test_rejects_a_malformed_attribute(line: str) -> None:
    with pytest.raises(KeyMgmtError) as caught:
        parse_sdp_attribute(line)
    assert caught.value.section.startswith("RFC 4567 3.1")


def test_one_space_before_the_kmpid_is_allowed() -> None:
    """key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data (3.1)."""
    assert parse_sdp_attribute("a=key-mgmt: mikey AQI=") == KeyMgmt(b"\x01\x02")


def test_quoted_names_are_case_insensitive_and_kmpid_is_not() -> None:
    """ABNF strings are case-insensitive (RFC 4234 2.3); KMPID is case-sensitive (3)."""
    assert parse_sdp_attribute("a=KEY-MGMT:mikey AQI=") == KeyMgmt(b"\x01\x02")
    assert parse_sdp_attribute("a=key-mgmt:MIKEY AQI=") == KeyMgmt(b"\x01\x02", "MIKEY")
    assert scan_sdp("v=0\r\na=Key-Mgmt:mikey AQI=\r\n").session == (KeyMgmt(b"\x01\x02"),)
    specs = parse_keymgmt_header('KEYMGMT: PROT=MIKEY; URI="rtsp://a/b"; Data="AQI="')
    assert specs == (KeyMgmtSpec(b"\x01\x02", "MIKEY", "rtsp://a/b"),)
    assert mikey_data(specs, "rtsp://a/b") is None, "MIKEY is not the KMPID mikey"
    with pytest.raises(KeyMgmtError):
        parse_sdp_attribute("A=key-mgmt:mikey AQI=")


BAD_HEADERS = {
    "white space before the name": ' KeyMgmt: prot=mikey; data="AQI="',
    "line end kept": 'KeyMgmt: prot=mikey; data="AQI="\r\n',
    "no data": "KeyMgmt: prot=mikey;",
    "unquoted data": "KeyMgmt: prot=mikey; data=AQI=",
    "uri after data": 'KeyMgmt: prot=mikey; data="AQI="; uri="rtsp://a/b";',
    "uri without semicolon": 'KeyMgmt: prot=mikey; uri="rtsp://a/b" data="AQI="',
    "not a URI": 'KeyMgmt: prot=mikey; uri="no scheme"; data="AQI="',
    "bad percent-encoding": 'KeyMgmt: prot=mikey; uri="rtsp://a/%zz"; data="AQI="',
    "trailing comma": 'KeyMgmt: prot=mikey; data="AQI=",',
    "semicolon between specs": 'KeyMgmt: prot=mikey; data="AQI="; prot=mikey; data="AQI="',
    "other header": 'Transport: prot=mikey; data="AQI="',
    "unfolded line break": 'KeyMgmt: prot=mikey;\ndata="AQI="',
    "bad base64": 'KeyMgmt: prot=mikey; data="AQI"',
}


@pytest.mark.parametrize("header", BAD_HEADERS.values(), ids=BAD_HEADERS.keys())
def test_rejects_a_malformed_header(header: str) -> None:
    with pytest.raises(KeyMgmtError) as caught:
        parse_keymgmt_header(header)
    assert caught.value.section.startswith("RFC 4567")


def test_builders_refuse_what_the_grammar_does_not_allow() -> None:
    with pytest.raises(KeyMgmtError):
        sdp_attribute(KeyMgmt(b"x", kmpid="mi key"))
    with pytest.raises(KeyMgmtError):
        keymgmt_header([KeyMgmtSpec(b"x", uri='rtsp://a/"b"')])
    with pytest.raises(KeyMgmtError):
        keymgmt_header([])
    with pytest.raises(KeyMgmtError):
        with_key_mgmt("v=0\r\n", KeyMgmt(b"x"), media_index=0)


def test_two_mikey_attributes_at_one_level_are_ambiguous() -> None:
    twice = with_key_mgmt(
        with_key_mgmt("v=0\r\nm=audio 0 RTP/SAVP 0\r\n", KeyMgmt(b"a")), KeyMgmt(b"b")
    )
    with pytest.raises(KeyMgmtError, match="ambiguous"):
        scan_sdp(twice).effective(0)
    with pytest.raises(KeyMgmtError, match="no media section"):
        scan_sdp(twice).effective(1)


# -- properties ---------------------------------------------------------------------------

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
kmpids = st.text(alphabet=ALNUM, min_size=1, max_size=12)
segments = st.text(alphabet=ALNUM + "-._~", max_size=10) | st.sampled_from(["%2F", "%c3%a9"])
uris = st.builds(
    lambda host, path: f"rtsp://{host}" + "".join("/" + s for s in path),
    st.text(alphabet="abcdefghij0123456789.", min_size=1, max_size=20),
    st.lists(segments, max_size=3),
)
specs = st.builds(KeyMgmtSpec, st.binary(max_size=300), kmpids, st.none() | uris)


@given(st.binary(max_size=600), kmpids)
def test_attribute_round_trip(data: bytes, kmpid: str) -> None:
    message = KeyMgmt(data, kmpid)
    line = sdp_attribute(message)
    assert parse_sdp_attribute(line) == message
    assert sdp_attribute(parse_sdp_attribute(line)) == line


@given(st.lists(specs, min_size=1, max_size=4))
def test_header_round_trip(items: list[KeyMgmtSpec]) -> None:
    header = keymgmt_header(items)
    assert parse_keymgmt_header(header) == tuple(items)
    assert keymgmt_header(parse_keymgmt_header(header)) == header


@given(st.lists(specs, min_size=1, max_size=3), st.sampled_from([" ", "\t", "\r\n ", "\n\t"]))
def test_header_white_space_is_ignored(items: list[KeyMgmtSpec], space: str) -> None:
    """Implied linear white space around the separators (RFC 2326 15.1)."""
    spaced = (
        keymgmt_header(items)
        .replace("; ", f"{space};{space}")
        .replace(", ", f"{space},{space}")
        .replace("=", f"{space}={space}", 1)
    )
    assert parse_keymgmt_header(spaced) == tuple(items)


@given(st.lists(st.binary(max_size=80), max_size=3), st.binary(max_size=80) | st.none())
def test_sdp_levels_round_trip(per_media: list[bytes], session: bytes | None) -> None:
    sdp = "v=0\r\ns=-\r\n" + "".join(f"m=audio {i} RTP/SAVP 0\r\n" for i in range(len(per_media)))
    if session is not None:
        sdp = with_key_mgmt(sdp, KeyMgmt(session))
    for i, data in enumerate(per_media):
        if data:
            sdp = with_key_mgmt(sdp, KeyMgmt(data), media_index=i)
    found = scan_sdp(sdp)
    for i, data in enumerate(per_media):
        expected = data if data else session
        got = found.effective(i)
        assert (got.data if got else None) == expected


PARSERS = {parse_sdp_attribute: KeyMgmt, parse_keymgmt_header: tuple, scan_sdp: SdpKeyMgmt}


def only_key_mgmt_errors(text: str) -> None:
    """Each parser returns its result type or raises KeyMgmtError, never anything else."""
    for parse, result in PARSERS.items():
        try:
            got = parse(text)
        except KeyMgmtError as exc:
            assert exc.section.startswith("RFC 4")
        else:
            assert isinstance(got, result)


@given(st.text(max_size=200))
def test_parsers_raise_only_their_own_error(text: str) -> None:
    only_key_mgmt_errors(text)


@given(st.binary(max_size=60), st.text(alphabet='a=key-mgt:iKMyp ;,"\r\n\tAQI/+', max_size=60))
def test_near_miss_text_raises_only_their_own_error(data: bytes, noise: str) -> None:
    encoded = base64.b64encode(data).decode()
    only_key_mgmt_errors(f"a=key-mgmt:mikey {encoded}{noise}")
    only_key_mgmt_errors(f'KeyMgmt: prot=mikey; data="{encoded}"{noise}')
