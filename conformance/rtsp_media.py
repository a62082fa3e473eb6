"""Reading what an RTSP client sends back about the media it took in (RFC 3550, RFC 3711).

Shared by conformance/rfc4567/test_rtsp_client.py and `mikeyconf serve --rtsp`:
the client's SRTCP is read under the keys it was sent with, the CSB's crypto
sessions or a key the client sent in the clear in its own KeyMgmt message
(KEMAC Encr alg NULL; a TEK longer than a master key is read as master key ||
salt, as GStreamer writes it), and its receiver reports say what it received.
"""

from __future__ import annotations

from collections.abc import Sequence

from mikey.modes.srtp_policy import MASTER_KEY_LEN, MASTER_SALT_LEN
from mikey.srtp import SrtpKeys, UnsupportedSrtpPolicy, libsrtp_session
from mikey.wire import DecodeError, EncrAlg, Kemac, decode_key_data, decode_message
from suts.rtp import report_blocks


def cleartext_keys(message: bytes | None) -> list[SrtpKeys]:
    """Keys the client sent in the clear in its own KeyMgmt message (KEMAC Encr alg NULL)."""
    try:
        kemac = decode_message(message).first(Kemac) if message else None
        if kemac is None or kemac.encr_alg != EncrAlg.NULL:
            return []
        found = []
        for data in decode_key_data(kemac.encr_data):
            key, salt = data.key, data.salt
            if salt is None and len(key) > MASTER_KEY_LEN:
                key, salt = key[:MASTER_KEY_LEN], key[MASTER_KEY_LEN:]
            found.append(SrtpKeys(key, salt or bytes(MASTER_SALT_LEN)))
        return found
    except DecodeError:
        return []


def reported_sequences(packets: Sequence[bytes], keys: Sequence[SrtpKeys], ssrc: int) -> list[int]:
    """The extended highest sequence numbers the reports among `packets` (SRTCP under any
    of `keys`) give for `ssrc` (RFC 3550 6.4.1)."""
    import pylibsrtp

    highest = []
    for key in keys:
        try:
            session = libsrtp_session(key, pylibsrtp.Policy.SSRC_ANY_INBOUND)
        except UnsupportedSrtpPolicy:
            continue
        for packet in packets:
            try:
                plain = session.unprotect_rtcp(packet)
            except pylibsrtp.Error:
                continue
            highest += [b.highest_seq for b in report_blocks(plain) if b.ssrc == ssrc]
    return highest
