"""One test that did not pass, as report.html shows it: a card with the requirement
quoted, the reason, each message (decoded as a tree, and in hex), its packets and
the command that replays it. Every string from a run is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from conformance.report.captures import Capture
from conformance.report.model import Result, Summary

HEX_BYTES_PER_LINE = 32
UNFOLDED = frozenset({"error", "fail", "unexpected-pass"})
"""Verdicts whose messages show decoded at once; the others' fold (inconclusive tests
are many when a vehicle breaks, and their root cause has its own card)."""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def verdict_cell(verdict: str, extra: str = "", tag: str = "td") -> str:
    return f'<{tag} class="v v-{esc(verdict)}">{esc(verdict)}{extra}</{tag}>'


def filter_attrs(result: Result) -> str:
    """The data- attributes the report's filters (report.js) select on."""
    return (
        f'data-mode="{esc(result.mode or "-")}" data-verdict="{esc(result.verdict)}" '
        f'data-level="{esc(result.level or "?")}"'
    )


def wrap_hex(hex_text: str) -> str:
    step = 2 * HEX_BYTES_PER_LINE
    return "\n".join(hex_text[i : i + step] for i in range(0, len(hex_text), step))


def _node_label(name: str, value: object) -> str:
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return f"{name}: {value['type']}"
    return name


def _is_leaf(value: object) -> bool:
    return not isinstance(value, dict | list) or not value


def _inline(value: dict[str, Any]) -> str:
    """A flat object (every field a scalar) on one line."""
    return ", ".join(f'<span class="k">{esc(k)}</span> = {tree(v)}' for k, v in value.items())


def tree(value: object) -> str:
    """A decoded message (our decoder's JSON form) as nested lists: payloads, then fields;
    an object of scalars only takes one line."""
    items: Iterable[tuple[str, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(n), v) for n, v in enumerate(value))
    else:
        return f"<code>{esc(json.dumps(value))}</code>"
    rows = []
    for name, child in items:
        label = esc(_node_label(str(name), child))
        if isinstance(child, dict) and child and all(map(_is_leaf, child.values())):
            rows.append(f'<li><span class="k">{label}</span>: {_inline(child)}</li>')
        elif not _is_leaf(child):
            rows.append(f'<li><span class="k">{label}</span>{tree(child)}</li>')
        else:
            rows.append(f'<li><span class="k">{esc(name)}</span> = {tree(child)}</li>')
    return '<ul class="tree">' + "".join(rows) + "</ul>"


def exchange_block(exchange: object, unfold: bool = True) -> str:
    """One message: its decoded tree (unfolded when `unfold`) and its hex (folded)."""
    if not isinstance(exchange, dict):
        return f"<pre>{esc(json.dumps(exchange))}</pre>"
    arrow = "suite &rarr; SUT" if exchange.get("direction") == "to-sut" else "SUT &rarr; suite"
    hex_text = str(exchange.get("hex", ""))
    decoded = exchange.get("decoded")
    decoded_html = (
        f"<details{' open' if unfold else ''}><summary>decoded</summary>{tree(decoded)}</details>"
        if decoded is not None
        else "<p><em>does not decode (the strict decoder rejects it)</em></p>"
    )
    return (
        f"<h4>{arrow}: {esc(exchange.get('label', ''))} ({len(hex_text) // 2} bytes)</h4>\n"
        f"{decoded_html}\n<details><summary>hex</summary>"
        f'<pre class="hex">{esc(wrap_hex(hex_text))}</pre></details>'
    )


def capture_link(capture: Capture | None) -> str:
    """A link to the test's pcap, and where its packets are in run.pcap."""
    if capture is None:
        return ""
    if not capture.frames:
        return f'<a href="{esc(capture.file)}">pcap</a> (no packets)'
    first, last = capture.frames[0], capture.frames[-1]
    return (
        f'<a class="pcap" href="{esc(capture.file)}">{esc(capture.file)}</a> '
        f"({len(capture.frames)} packet(s); in run.pcap: <code>{esc(capture.display_filter)}"
        f"</code>, frames {first}&ndash;{last})"
    )


def requirement_quotes(result: Result, summary: Summary) -> str:
    quotes = []
    for req_id in result.requirements:
        req = summary.requirements.get(req_id)
        text = f"<q>{esc(req.text)}</q>" if req and req.text else "<em>not in the catalog</em>"
        level = esc(req.level if req and req.level else "?")
        quotes.append(
            f'<li><a href="#req-{esc(req_id)}"><code>{esc(req_id)}</code></a> ({level}): '
            f"{text}</li>"
        )
    return '<ul class="quotes">' + "".join(quotes) + "</ul>"


def test_detail(
    result: Result, anchor: str, summary: Summary, captures: Mapping[str, Capture]
) -> str:
    evidence: Mapping[str, Any] = result.evidence
    exchanges = evidence.get("exchanges") or []
    notes = evidence.get("notes") or []
    capture = capture_link(captures.get(result.test_id))
    parts = [
        f'<div class="test v-{esc(result.verdict)}" id="{anchor}" {filter_attrs(result)}>',
        f"<h3>{verdict_cell(result.verdict, tag='span')} {esc(result.title)}</h3>",
        f"<p><code>{esc(result.test_id)}</code><br>mode {esc(result.mode or '-')}, "
        f"role {esc(result.role or '-')}, level {esc(result.level or '?')}</p>",
        requirement_quotes(result, summary),
        f'<p>Reason:</p><pre class="reason">{esc(result.reason or "(none given)")}</pre>',
    ]
    if result.precondition:
        req_id = str(result.precondition.get("requirement", ""))
        checked = ", ".join(map(str, result.precondition.get("checked_by") or [])) or "none"
        parts.append(
            f'<p>Inconclusive: its vehicle failed; precondition <a href="#req-{esc(req_id)}">'
            f"{esc(req_id)}</a>, checked by <code>{esc(checked)}</code>.</p>"
        )
    if capture:
        parts.append(f"<p>Packets: {capture}</p>")
    if isinstance(exchanges, list) and exchanges:
        unfold = result.verdict in UNFOLDED
        parts += [exchange_block(x, unfold) for x in exchanges]
    if isinstance(notes, list) and notes:
        parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    if result.replay:
        parts.append(f'<p>Replay:</p><pre class="replay">{esc(result.replay)}</pre>')
    parts.append("</div>")
    return "\n".join(parts)
