"""RFC 4567 key management framing: MIKEY messages in SDP and in the RTSP KeyMgmt header.

SDP (RFC 4567 3.1)::

    key-mgmt-attribute = key-mgmt-att-field ":" key-mgmt-att-value
    key-mgmt-att-field = "key-mgmt"
    key-mgmt-att-value = 0*1SP prtcl-id SP keymgmt-data
    prtcl-id           = KMPID                 ; e.g., "mikey"
    keymgmt-data       = base64

The attribute may sit at session level, media level or both; for a medium,
its media-level attribute overrides the session-level one (3.1), which
`SdpKeyMgmt.effective` implements.

RTSP (RFC 4567 3.2)::

    KeyMgmt       = "KeyMgmt" ":" key-mgmt-spec 0*("," key-mgmt-spec)
    key-mgmt-spec = "prot" "=" KMPID ";" ["uri" "=" %x22 URI %x22 ";"]

The printed grammar stops there, but the key management data has to travel
somewhere, and the RFC's own examples (5.3, 5.4) end every spec with
`data="<base64>"`. We read the spec as the examples write it::

    key-mgmt-spec = "prot" "=" KMPID ";" ["uri" "=" %x22 URI %x22 ";"]
                    "data" "=" %x22 base64 %x22

with RTSP's implied linear white space (RFC 2326 15.1, after HTTP/1.1 2.1)
allowed around "=", ";" and ",", and header folding (a line break followed
by white space, as example 5.3 prints it) read as white space. The quoted
names of both grammars ("key-mgmt", "KeyMgmt", "prot", "uri", "data") are
case-insensitive, as ABNF strings are (RFC 4234 2.3; example 5.3 writes
"keymgmt"); KMPID = 1*(ALPHA / DIGIT) is case-sensitive (3), and so is
SDP's "a=" (%x61, RFC 4566 9). base64 is SDP's (RFC 4566 9, which RFC 4567
3 cites): whole 4-character units, the last one padded with "=" or "==".
URI is RFC 3986's: a scheme, ":", then only characters a URI may hold (3986
2), "%" only as a percent-encoding; the hier-part structure itself is not
checked.

Parsing is strict and raises only `KeyMgmtError`, whatever the input.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

MIKEY = "mikey"
"""The KMPID RFC 4567 registers for MIKEY (9.2.1)."""

ATTRIBUTE = "key-mgmt"
HEADER = "KeyMgmt"

_KMPID = r"[A-Za-z0-9]+"
_BASE64 = r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
_LWS = r"[ \t]*"
_URI_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*"
_URI_CHAR = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"

_ATTRIBUTE_RE = re.compile(rf"a=(?i:key-mgmt):( ?)({_KMPID}) ({_BASE64})")
_KMPID_RE = re.compile(_KMPID)
_URI_RE = re.compile(rf"{_URI_SCHEME}:{_URI_CHAR}*")
_SPEC_RE = re.compile(
    rf"{_LWS}(?i:prot){_LWS}={_LWS}(?P<prot>{_KMPID}){_LWS};"
    rf"(?:{_LWS}(?i:uri){_LWS}={_LWS}\"(?P<uri>[^\"]*)\"{_LWS};)?"
    rf"{_LWS}(?i:data){_LWS}={_LWS}\"(?P<data>{_BASE64})\"{_LWS}"
)
_HEADER_RE = re.compile(rf"([A-Za-z]+){_LWS}:(.*)", re.DOTALL)
_FOLD_RE = re.compile(r"\r?\n[ \t]")


class KeyMgmtError(ValueError):
    """Text is not the key management framing RFC 4567 defines.

    `reason` says what is wrong, `section` which rule it breaks (e.g. "RFC 4567
    3.1"), `text` is the offending line, header or value.
    """

    def __init__(self, reason: str, section: str, text: str) -> None:
        self.reason = reason
        self.section = section
        self.text = text
        shown = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(f"{reason} ({section}): {shown!r}")


@dataclass(frozen=True)
class KeyMgmt:
    """One key management message: its protocol identifier (KMPID) and its data."""

    data: bytes
    kmpid: str = MIKEY


@dataclass(frozen=True)
class KeyMgmtSpec:
    """One key-mgmt-spec of an RTSP KeyMgmt header (RFC 4567 3.2)."""

    data: bytes
    kmpid: str = MIKEY
    uri: str | None = None
    """The context the data applies to; None: the RTSP request URI's (3.2)."""


def _check_kmpid(kmpid: str) -> None:
    if not _KMPID_RE.fullmatch(kmpid):
        raise KeyMgmtError("KMPID is 1*(ALPHA / DIGIT)", "RFC 4567 3", kmpid)


def _b64decode(text: str) -> bytes:
    # The regexes have already held `text` to SDP's base64 grammar, so this cannot fail.
    return base64.b64decode(text, validate=True)


# -- SDP (RFC 4567 3.1) -----------------------------------------------------------------


def sdp_attribute(message: KeyMgmt) -> str:
    """The SDP attribute line `a=key-mgmt:<kmpid> <base64>` (3.1), without a line end."""
    _check_kmpid(message.kmpid)
    return f"a={ATTRIBUTE}:{message.kmpid} {base64.b64encode(message.data).decode('ascii')}"


def parse_sdp_attribute(line: str) -> KeyMgmt:
    """The message of one `a=key-mgmt:` line (without its line end), strictly per 3.1."""
    found = _ATTRIBUTE_RE.fullmatch(line)
    if found is None:
        raise KeyMgmtError(
            'not "a=key-mgmt:" 0*1SP prtcl-id SP base64', "RFC 4567 3.1, RFC 4566 9", line
        )
    return KeyMgmt(_b64decode(found.group(3)), found.group(2))


def _is_key_mgmt(line: str) -> bool:
    name = line[2:].partition(":")[0]
    return line.startswith("a=") and name.lower() == ATTRIBUTE


@dataclass(frozen=True)
class SdpKeyMgmt:
    """The key-mgmt attributes of one session description, by level (3.1)."""

    session: tuple[KeyMgmt, ...]
    media: tuple[tuple[KeyMgmt, ...], ...]
    """One tuple per m= section, in order."""

    def effective(self, media_index: int, kmpid: str = MIKEY) -> KeyMgmt | None:
        """The message for medium `media_index`: its media-level attribute when it has
        one, else the session level's ("if the media-level attribute is present, the
        session level attribute MUST be ignored for this media", 3.1). Two of one
        KMPID at one level are ambiguous and rejected."""
        if not 0 <= media_index < len(self.media):
            raise KeyMgmtError(
                f"no media section {media_index} ({len(self.media)} m= lines)", "RFC 4566 5", ""
            )
        for level in (self.media[media_index], self.session):
            found = [m for m in level if m.kmpid == kmpid]
            if len(found) > 1:
                raise KeyMgmtError(
                    f"ambiguous: {len(found)} {kmpid} key-mgmt attributes at one level",
                    "RFC 4567 3.1",
                    sdp_attribute(found[1]),
                )
            if found:
                return found[0]
        return None


def _sdp_lines(sdp: str) -> list[str]:
    """The lines of a session description (CRLF, or a bare LF as RFC 4566 5 tolerates)."""
    lines = sdp.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if "\r" in line:
            raise KeyMgmtError("a bare CR inside a line", "RFC 4566 5", line)
    return lines


def scan_sdp(sdp: str) -> SdpKeyMgmt:
    """Every key-mgmt attribute of a session description, at session and media level.

    Only key-mgmt lines are checked; the rest of the description is the SDP
    parser's business (a media section starts at each "m=" line, RFC 4566 5).
    """
    session: list[KeyMgmt] = []
    media: list[list[KeyMgmt]] = []
    for line in _sdp_lines(sdp):
        if line.startswith("m="):
            media.append([])
        elif _is_key_mgmt(line):
            (media[-1] if media else session).append(parse_sdp_attribute(line))
    return SdpKeyMgmt(tuple(session), tuple(tuple(m) for m in media))


def with_key_mgmt(sdp: str, message: KeyMgmt, media_index: int | None = None) -> str:
    """The description with an `a=key-mgmt` line added: at session level (None; after
    the session's other lines, before the first m=) or at the end of media section
    `media_index` (3.1). Lines end with CRLF (RFC 4566 5)."""
    lines = _sdp_lines(sdp)
    starts = [i for i, line in enumerate(lines) if line.startswith("m=")]
    if media_index is None:
        at = starts[0] if starts else len(lines)
    elif 0 <= media_index < len(starts):
        at = starts[media_index + 1] if media_index + 1 < len(starts) else len(lines)
    else:
        raise KeyMgmtError(
            f"no media section {media_index} ({len(starts)} m= lines)", "RFC 4566 5", sdp
        )
    lines.insert(at, sdp_attribute(message))
    return "".join(line + "\r\n" for line in lines)


# -- RTSP (RFC 4567 3.2) ----------------------------------------------------------------


def keymgmt_header(specs: Sequence[KeyMgmtSpec]) -> str:
    """The RTSP header line `KeyMgmt: prot=..; [uri=".."; ]data=".."[, ...]` (3.2),
    without a line end."""
    if not specs:
        raise KeyMgmtError("a KeyMgmt header has at least one key-mgmt-spec", "RFC 4567 3.2", "")
    parts = []
    for spec in specs:
        _check_kmpid(spec.kmpid)
        uri = ""
        if spec.uri is not None:
            if not _URI_RE.fullmatch(spec.uri):
                raise KeyMgmtError("not a URI", "RFC 4567 3.2, RFC 3986 3", spec.uri)
            uri = f'uri="{spec.uri}"; '
        data = base64.b64encode(spec.data).decode("ascii")
        parts.append(f'prot={spec.kmpid}; {uri}data="{data}"')
    return f"{HEADER}: " + ", ".join(parts)


def parse_keymgmt_header(header: str) -> tuple[KeyMgmtSpec, ...]:
    """The key-mgmt-specs of one KeyMgmt header field ("KeyMgmt: ...", without its line
    end; folded lines allowed), strictly per 3.2 as the module docstring reads it."""
    found = _HEADER_RE.fullmatch(header)
    if found is None or found.group(1).lower() != HEADER.lower():
        raise KeyMgmtError('not a "KeyMgmt:" header field', "RFC 4567 3.2", header)
    return parse_keymgmt_value(found.group(2))


def parse_keymgmt_value(value: str) -> tuple[KeyMgmtSpec, ...]:
    """The key-mgmt-specs of a KeyMgmt header's value: key-mgmt-spec 0*("," key-mgmt-spec)."""
    text = _FOLD_RE.sub(" ", value)
    specs: list[KeyMgmtSpec] = []
    at = 0
    while True:
        found = _SPEC_RE.match(text, at)
        if found is None:
            raise KeyMgmtError(
                'not a key-mgmt-spec: prot=KMPID; [uri="URI";] data="base64"',
                "RFC 4567 3.2, 5.3",
                text[at:],
            )
        uri = found.group("uri")
        if uri is not None and not _URI_RE.fullmatch(uri):
            raise KeyMgmtError("the uri parameter is not a URI", "RFC 4567 3.2, RFC 3986 3", uri)
        specs.append(KeyMgmtSpec(_b64decode(found.group("data")), found.group("prot"), uri))
        at = found.end()
        if at == len(text):
            return tuple(specs)
        if text[at] != ",":
            raise KeyMgmtError('key-mgmt-specs are separated by ","', "RFC 4567 3.2", text[at:])
        at += 1


def mikey_data(specs: tuple[KeyMgmtSpec, ...], uri: str | None = None) -> bytes | None:
    """The MIKEY message a KeyMgmt header carries for the context `uri` (None: the
    spec without a uri parameter, which applies to the request URI, 3.2)."""
    found = [s for s in specs if s.kmpid == MIKEY and s.uri == uri]
    if len(found) > 1:
        raise KeyMgmtError(
            f"{len(found)} mikey key-mgmt-specs for one context", "RFC 4567 3.2", str(uri)
        )
    return found[0].data if found else None
