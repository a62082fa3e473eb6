"""The codec's one error type."""

from __future__ import annotations


class DecodeError(Exception):
    """A byte string is not a valid MIKEY message.

    Attributes name where and why: `offset` is the byte offset in the input
    where the fault was detected, `payload` the payload being read (e.g.
    "HDR", "KEMAC", "Key data"), `section` the RFC section whose encoding
    rule is broken (e.g. "RFC 3830 6.1"), `reason` a one-line explanation.
    `field` names the registry field whose value is unknown, when that is
    the fault (e.g. "data type", "PRF func", "Encr alg", "MAC alg"), so a
    responder can pick the matching Error number; `value` is that value.
    """

    def __init__(
        self,
        reason: str,
        *,
        offset: int,
        payload: str,
        section: str,
        field: str | None = None,
        value: int | None = None,
    ) -> None:
        self.reason = reason
        self.offset = offset
        self.payload = payload
        self.section = section
        self.field = field
        self.value = value
        super().__init__(f"{payload} at byte {offset}: {reason} ({section})")


class EncodeError(ValueError):
    """A payload value cannot be encoded (a field does not fit its width)."""
