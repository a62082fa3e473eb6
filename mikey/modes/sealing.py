"""MACs over whole messages: sealing and checking (RFC 3830 5.2).

"Calculate the MAC/signature over the entire MIKEY message, except the
MAC/Signature field, and add the MAC/signature in the field" (5.2). The MAC
field is the last field of the message (KEMAC's MAC in the pre-shared key
method, 6.2; V's Ver data, 6.9). A verification message also covers a
`trailer` (Identity_i || Identity_r || Timestamp, 5.2) that directly follows
the message.

`covered` and `reseal` work on bytes with a trailing MAC field, so a test can
corrupt any field of a message and still give it a valid MAC.
"""

from __future__ import annotations

from dataclasses import replace

from mikey.crypto import mac, mac_verify
from mikey.wire import (
    MAC_LENGTH,
    Kemac,
    MacAlg,
    Message,
    PayloadType,
    Verification,
    encode_message,
    encode_payload,
    payload_offsets,
)


def _mac_payload(msg: Message) -> tuple[int, Kemac | Verification]:
    """The payload that carries the MAC, the last KEMAC or V, and its index."""
    for index in range(len(msg.payloads) - 1, -1, -1):
        p = msg.payloads[index]
        if isinstance(p, Kemac | Verification):
            return index, p
    raise ValueError("no KEMAC or V payload to carry a MAC (RFC 3830 5.2, 6.2, 6.9)")


def mac_alg_of(msg: Message) -> MacAlg:
    """The MAC algorithm of the message's MAC-carrying payload (KEMAC or V)."""
    _, p = _mac_payload(msg)
    return p.mac_alg if isinstance(p, Kemac) else p.auth_alg


def mac_span(msg: Message) -> tuple[int, int]:
    """Where the MAC field lies in `encode_message(msg)`: the end of its KEMAC or V."""
    index, p = _mac_payload(msg)
    end = payload_offsets(msg)[index] + len(encode_payload(p, PayloadType.LAST))
    return end - MAC_LENGTH[mac_alg_of(msg)], end


def seal(msg: Message, auth_key: bytes, trailer: bytes = b"") -> bytes:
    """The encoding of `msg` with its MAC computed under `auth_key`.

    The MAC field is that of the last KEMAC or V payload, normally the last
    field of the message. In a forgery it may sit elsewhere (KEMAC moved up):
    the MAC then covers everything before and after the field.
    """
    index, p = _mac_payload(msg)
    n = MAC_LENGTH[mac_alg_of(msg)]
    zero = replace(p, mac=bytes(n)) if isinstance(p, Kemac) else replace(p, ver_data=bytes(n))
    placeholder = replace(msg, payloads=(*msg.payloads[:index], zero, *msg.payloads[index + 1 :]))
    data = encode_message(placeholder)
    start, end = mac_span(placeholder)
    tag = mac(mac_alg_of(msg), auth_key, data[:start] + data[end:] + trailer)
    return data[:start] + tag + data[end:]


def verify(data: bytes, msg: Message, auth_key: bytes, trailer: bytes = b"") -> bool:
    """Whether message `data` (decoded: `msg`) carries a valid MAC (constant time).

    The MAC field is found where `seal` puts it, so only the payload-order
    checks decide whether KEMAC or V may sit elsewhere than last.
    """
    start, end = mac_span(msg)
    alg = mac_alg_of(msg)
    return mac_verify(alg, auth_key, data[:start] + data[end:] + trailer, data[start:end])


def covered(data: bytes, alg: MacAlg) -> bytes:
    """Message bytes but their trailing MAC field (for byte-level forgeries)."""
    return data[: len(data) - MAC_LENGTH[alg]]


def reseal(data: bytes, alg: MacAlg, auth_key: bytes, trailer: bytes = b"") -> bytes:
    """Message bytes with their trailing MAC field replaced by a valid MAC under `auth_key`."""
    body = covered(data, alg)
    return body + mac(alg, auth_key, body + trailer)
