"""A MIKEY message: HDR, then payloads chained by Next payload (RFC 3830 5.2, 6.1).

Decoding walks the chain in a loop (never recursion), so no input can exhaust
the stack, and is strict: `decode_message` returns a Message or raises
DecodeError, nothing else. Structural rules enforced here:

- the HDR comes first (6.1) and its version is 1;
- every Next payload value is in Table 6.1.b and is not Key data (20), which
  only occurs inside KEMAC Encr data (6.13);
- SIGN has no Next payload field and is the last payload (6.5): a byte after it
  is an error, and so is encoding a Message with SIGN elsewhere than last;
- the last Next payload is Last payload (0) and no bytes follow the message.

Whether a payload may appear in a given message (per mode) is for the modes.
KEMAC Encr data is kept as bytes: it is usually encrypted; once decrypted,
`decode_key_data` reads it with the same strictness.
"""

from __future__ import annotations

from mikey.wire.auth import SIGN_SPEC, V_SPEC
from mikey.wire.basic import ERR_SPEC, RAND_SPEC, T_SPEC
from mikey.wire.errors import EncodeError
from mikey.wire.extension import EXT_SPEC
from mikey.wire.header import TOP_LEVEL_NEXT, decode_header, encode_header
from mikey.wire.ibe import IDR_SPEC, SAKKE_SPEC
from mikey.wire.identity import CERT_SPEC, CHASH_SPEC, ID_SPEC
from mikey.wire.keytransport import DH_SPEC, KEMAC_SPEC, PKE_SPEC
from mikey.wire.payloads import Message, Payload
from mikey.wire.policy import SP_SPEC
from mikey.wire.reader import Reader
from mikey.wire.registry import PayloadType
from mikey.wire.spec import PayloadSpec

SPECS: dict[PayloadType, PayloadSpec] = {
    s.kind: s
    for s in (
        KEMAC_SPEC,
        PKE_SPEC,
        DH_SPEC,
        SIGN_SPEC,
        T_SPEC,
        ID_SPEC,
        CERT_SPEC,
        CHASH_SPEC,
        V_SPEC,
        SP_SPEC,
        RAND_SPEC,
        ERR_SPEC,
        EXT_SPEC,
        IDR_SPEC,
        SAKKE_SPEC,
    )
}
"""Every top-level payload of RFC 3830 section 6 (all but HDR and Key data), and IDR
(RFC 6043 6.6) and SAKKE (RFC 6509 4.2)."""

SPEC_BY_CLASS: dict[type, PayloadSpec] = {s.cls: s for s in SPECS.values()}


def spec_of(payload: Payload) -> PayloadSpec:
    """The PayloadSpec for a payload value, or EncodeError for a non-payload."""
    spec = SPEC_BY_CLASS.get(type(payload))
    if spec is None:
        raise EncodeError(f"{type(payload).__name__} is not a MIKEY payload")
    return spec


def encode_payload(payload: Payload, next_payload: int) -> bytes:
    """One payload with its Next payload field (SIGN has none, RFC 3830 6.5)."""
    spec = spec_of(payload)
    body = spec.encode(payload)
    if spec.kind == PayloadType.SIGN:
        return body
    return bytes([next_payload]) + body


def encode_message(msg: Message) -> bytes:
    """The wire form of `msg`; EncodeError if a field does not fit its width."""
    kinds = [spec_of(p).kind for p in msg.payloads]
    if PayloadType.SIGN in kinds[:-1]:
        raise EncodeError("SIGN must be the last payload (RFC 3830 6.5)")
    nexts = [*kinds[1:], PayloadType.LAST] if kinds else []
    parts = [encode_header(msg.hdr, kinds[0] if kinds else PayloadType.LAST)]
    parts.extend(encode_payload(p, n) for p, n in zip(msg.payloads, nexts, strict=True))
    return b"".join(parts)


def payload_offsets(msg: Message) -> list[int]:
    """The byte offset of each payload of `msg` in `encode_message(msg)`."""
    offset = len(encode_header(msg.hdr, PayloadType.LAST))
    offsets = []
    for p in msg.payloads:
        offsets.append(offset)
        offset += len(encode_payload(p, PayloadType.LAST))
    return offsets


def decode_message(data: bytes) -> Message:
    """The Message in `data`; raises DecodeError (and nothing else) if it is not valid."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"decode_message needs bytes, not {type(data).__name__}")
    r = Reader(bytes(data), "HDR", "RFC 3830 6.1")
    hdr, following = decode_header(r)
    payloads: list[Payload] = []
    last_name = "HDR"
    while following != PayloadType.LAST:
        spec = SPECS[following]
        last_name = spec.name
        with r.scope(spec.name, spec.section):
            if following == PayloadType.SIGN:
                payloads.append(spec.decode(r))
                if not r.at_end:
                    r.fail(f"{r.remaining} bytes follow SIGN, which must be the last payload")
                following = PayloadType.LAST
            else:
                following = r.next_payload(TOP_LEVEL_NEXT)
                payloads.append(spec.decode(r))
    if not r.at_end:
        with r.scope(last_name, "RFC 3830 6.1"):
            r.fail(f"{r.remaining} bytes follow the last payload (Next payload 0)")
    return Message(hdr, tuple(payloads))
