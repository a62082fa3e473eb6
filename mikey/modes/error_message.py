"""Error messages: HDR, T, {ERR}, {SP}, [V|SIGNr] (RFC 3830 5.1.2).

Choices where RFC 3830 leaves them open (RFC 6043 5.4 settles some for TICKET):

- HDR: data type Error (Table 6.1.a), V = 0; version, PRF func, CSB ID and
  the CS ID map are those of the offending message when it could be decoded.
  When it could not, the CSB ID is read from its raw HDR bytes (6.1: octets
  4-7) when present, else 0; the map is empty.
- T: the initiator's timestamp when it could be read, so the initiator can
  match the error to its message; else the responder's clock (NTP-UTC).
- ERR: the Table 6.12 number of the fault.
- SP: for Invalid SP / Invalid SPpar, the responder's supported policies
  ("the error message SHOULD include the supported parameters", 5.1.2).
- V: only once the offending message has been authenticated: it is then a MAC
  (the message's MAC algorithm and auth_key) over the Error message except the
  MAC field. Before authentication the Error message is not authenticated,
  as 5.1.2 recommends after a failed authentication.

`error_no_for` (mikey.wire) maps a DecodeError to its Table 6.12 number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mikey.modes.sealing import seal
from mikey.wire import (
    MAC_LENGTH,
    CommonHeader,
    DataType,
    Error,
    ErrorNo,
    MacAlg,
    Message,
    Payload,
    SecurityPolicy,
    Timestamp,
    Verification,
    encode_message,
)

HDR_MIN_LEN = 8  # version, data type, next payload, V|PRF, CSB ID (RFC 3830 6.1)


def csb_id_of(data: bytes) -> int | None:
    """The CSB ID in the raw HDR of a message that may not decode (6.1), if present."""
    if len(data) < HDR_MIN_LEN or data[0] != 1:
        return None
    return int.from_bytes(data[4:8], "big")


def error_header(offending: CommonHeader | None, csb_id: int | None) -> CommonHeader:
    """The HDR of an Error message answering a message with header `offending`."""
    if offending is None:
        return CommonHeader(DataType.ERROR, csb_id if csb_id is not None else 0)
    return replace(offending, data_type=DataType.ERROR, v=False)


def error_message(
    hdr: CommonHeader,
    t: Timestamp,
    errors: Sequence[ErrorNo],
    policies: Sequence[SecurityPolicy] = (),
    auth: tuple[MacAlg, bytes] | None = None,
) -> bytes:
    """The Error message HDR, T, {ERR}, {SP}, [V] (5.1.2); `auth` = (MAC alg, auth_key)."""
    payloads: list[Payload] = [t, *(Error(e) for e in errors), *policies]
    if auth is None or auth[0] == MacAlg.NULL:
        return encode_message(Message(hdr, tuple(payloads)))
    alg, key = auth
    payloads.append(Verification(alg, bytes(MAC_LENGTH[alg])))
    return seal(Message(hdr, tuple(payloads)), key)


def error_numbers(msg: Message) -> tuple[ErrorNo, ...]:
    """The Table 6.12 numbers an Error message names."""
    return tuple(e.error_no for e in msg.all(Error))
