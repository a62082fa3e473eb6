"""The GStreamer SUT: GStreamer in its worker process, hangs and rejections as findings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.checks import codec_lacks
from conformance.corpus import valid_samples
from conformance.corpus.valid import rfc4567_examples
from mikey.srtp import AES_CM_128_HMAC_SHA1_80
from mikey.wire import (
    DataType,
    EncrAlg,
    Kemac,
    KeyType,
    MacAlg,
    SecurityPolicy,
    decode_message,
    message_to_dict,
)
from mikey.wire.keydata import decode_key_data
from suts import SutSpecError, load_sut
from suts.base import ExchangeParams, Profile, Role, SutFailure
from suts.gstreamer import GStreamerSut
from suts.gstreamer.binding import LIBRARY_ENV, Gst
from suts.gstreamer.sut import CODEC

SAMPLES = {s.name: s for s in valid_samples()}
PLAIN = SAMPLES["kemac-null-mac-null"]


@pytest.fixture(scope="module")
def sut(gst: Gst) -> Iterator[GStreamerSut]:
    made = load_sut("gstreamer", Profile())
    assert isinstance(made, GStreamerSut)
    yield made
    made.close()


def test_decodes_in_its_worker_as_ours(sut: GStreamerSut) -> None:
    result = sut.decode(PLAIN.data)
    assert result.accepted and result.structure == message_to_dict(PLAIN.message)


def test_the_rfc4567_vector_makes_gstreamer_loop_and_the_worker_lives_on(
    sut: GStreamerSut,
) -> None:
    """RFC 4567 5.1's I_MESSAGE has an ID payload: gstmikey.c never returns on it."""
    vector = rfc4567_examples()["rfc4567-5.1-tc1"]
    with pytest.raises(SutFailure, match=r"GStreamer did not return after 0\.\d\d s of CPU"):
        sut.decode(vector)
    assert sut.decode(PLAIN.data).accepted


def test_null_is_a_rejection_with_the_reason(sut: GStreamerSut) -> None:
    result = sut.decode(PLAIN.data[:9])
    assert not result.accepted and result.structure is None
    assert "gst_mikey_message_new_from_data returned NULL" in result.detail


def test_the_glib_critical_is_evidence(sut: GStreamerSut) -> None:
    result = sut.decode(SAMPLES["hdr-empty-map-rfc4563"].data)
    assert not result.accepted and "gst_mikey_message_insert_cs_srtp" in result.detail


def test_encoder_round_trip(sut: GStreamerSut) -> None:
    data = sut.encode(message_to_dict(PLAIN.message))
    assert data == PLAIN.data
    assert sut.decode(data).structure == message_to_dict(PLAIN.message)


def test_an_inexpressible_message_is_a_sut_failure(sut: GStreamerSut) -> None:
    with pytest.raises(SutFailure, match="cannot express this message: a Error payload"):
        sut.encode(message_to_dict(SAMPLES["err-auth-failure"].message))


def test_initiator_sends_new_from_caps_and_to_caps_gives_its_key(sut: GStreamerSut) -> None:
    """gst_mikey_message_new_from_caps: V=0, T, RAND, SP, KEMAC(NULL, NULL) with one TEK;
    gst_mikey_message_to_caps gives that TEK back as SRTP master key and salt."""
    msg = decode_message(sut.initiate(ExchangeParams()))
    assert msg.hdr.data_type == DataType.PSK_INIT and not msg.hdr.v
    kemac = msg.first(Kemac)
    assert kemac is not None and (kemac.encr_alg, kemac.mac_alg) == (EncrAlg.NULL, MacAlg.NULL)
    (tek,) = decode_key_data(kemac.encr_data)
    assert tek.key_type == KeyType.TEK and len(tek.key) == 30
    assert msg.first(SecurityPolicy) is not None
    keys = sut.srtp_keys(Role.INITIATOR, 1)
    assert keys is not None and keys.master_key + keys.master_salt == tek.key
    assert keys.profile == AES_CM_128_HMAC_SHA1_80
    assert sut.complete(None).accepted
    with pytest.raises(SutFailure, match="no API that takes a verification message"):
        sut.complete(b"\x01")


def test_capabilities_are_what_gstreamer_does(sut: GStreamerSut) -> None:
    caps = sut.capabilities()
    assert caps.name.startswith("GStreamer 1.") and caps.modes == {"PSK"}
    assert caps.roles == {Role.INITIATOR, Role.DECODER} and not caps.updates
    assert caps.encr_algs == {EncrAlg.NULL} and caps.mac_algs == {MacAlg.NULL}
    assert caps.encoder == caps.decoder == CODEC and not CODEC.encrypted_kemac


def test_the_encoder_declares_exactly_what_its_api_cannot_express(sut: GStreamerSut) -> None:
    """A valid message needs something the encoder capabilities leave out exactly when
    GStreamer's API cannot be given it (suts.gstreamer.build raises Inexpressible)."""
    for name, s in SAMPLES.items():
        lacking = codec_lacks(sut.capabilities().encoder, s.message)
        try:
            sut.encode(message_to_dict(s.message))
            expressible = True
        except SutFailure as exc:
            assert "cannot express this message" in str(exc)
            expressible = False
        assert expressible == (not lacking), (name, lacking)


def test_the_decoder_reads_what_it_declares(sut: GStreamerSut) -> None:
    """Every valid message that needs nothing the decoder capabilities leave out is taken."""
    for name, s in SAMPLES.items():
        if not codec_lacks(sut.capabilities().decoder, s.message):
            assert sut.decode(s.data).accepted, name


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("gstreamer:speed=1", "unknown option(s) speed"),
        ("gstreamer:cpu=fast", "cpu='fast' is not a number"),
        ("gstreamer:cpu=0", "cpu must be positive"),
    ],
)
def test_bad_options_are_one_line_errors(spec: str, error: str) -> None:
    with pytest.raises(SutSpecError, match=error.replace("(", r"\(").replace(")", r"\)")):
        load_sut(spec, Profile())


def test_a_library_that_cannot_be_loaded_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIBRARY_ENV, "/nonexistent/libgstsdp-1.0.so.0")
    with pytest.raises(SutSpecError) as error:
        load_sut("gstreamer", Profile())
    message = str(error.value)
    assert message.startswith(
        "the gstreamer SUT cannot start: cannot load libgstsdp-1.0.so.0: /nonexistent/"
    )
    assert "\n" not in message
