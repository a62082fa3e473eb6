"""The interop matrix (matrix.json, see conformance/matrix.py) as HTML and as text.

Autobahn-style: one table per mode, a row per initiator and a column per
responder; each cell shows its verdict, and a failed cell its reason. The
page is self-contained (the report's CSS inlined) and escapes everything a
SUT can say.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from string import Template
from typing import Any

from conformance.report.html import CSS_PATH, esc, verdict_cell

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MIKEY interop matrix: run $run_id</title>
<style>
$css</style>
</head>
<body>
<h1>MIKEY interop matrix</h1>
<p>Run $run_id, $started to $finished (UTC). Rows initiate, columns respond; each cell is
one exchange through the SUT interface, then the two sides' SRTP keys compared$srtp.</p>
$suts
$tables
</body>
</html>
""")

SHORT = {"pass": "pass", "fail": "FAIL", "not-applicable": "n/a"}


def _label(n: int) -> str:
    return f"[{n + 1}]"


def _cells(document: dict[str, Any], mode: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["initiator"], c["responder"]): c for c in document["cells"] if c["mode"] == mode}


def _sut_table(suts: Sequence[dict[str, Any]]) -> str:
    rows = "\n".join(
        f"<tr><th>{_label(n)}</th><td><code>{esc(s['spec'])}</code></td><td>{esc(s['name'])}"
        f"</td><td>{esc(', '.join(s['modes']))}</td><td>{esc(', '.join(s['roles']))}</td>"
        f"<td>{'yes' if s['exports_keys'] else 'no'}</td></tr>"
        for n, s in enumerate(suts)
    )
    head = "<tr><th></th><th>SUT</th><th>Name</th><th>Modes</th><th>Roles</th><th>Exports keys"
    return f'<table class="meta">\n{head}</th></tr>\n{rows}\n</table>'


def _mode_table(document: dict[str, Any], mode: str) -> str:
    suts = [s["spec"] for s in document["suts"]]
    cells = _cells(document, mode)
    head = "".join(f'<th title="{esc(s)}">{_label(n)}</th>' for n, s in enumerate(suts))
    rows = [f"<tr><th>initiator \\ responder</th>{head}</tr>"]
    for i, initiator in enumerate(suts):
        tds = []
        for responder in suts:
            cell = cells[(initiator, responder)]
            detail = f"<small>{esc(cell['reason'])}</small>" if cell["verdict"] != "pass" else ""
            if cell["verdict"] == "pass":
                detail = f"<small>keys {esc(cell['keys'])}, SRTP {esc(cell['srtp'])}</small>"
            tds.append(verdict_cell(cell["verdict"], detail))
        rows.append(f'<tr><th title="{esc(initiator)}">{_label(i)}</th>{"".join(tds)}</tr>')
    return f"<h2>Mode {esc(mode)}</h2>\n" + (
        '<table class="matrix">\n' + "\n".join(rows) + "\n</table>"
    )


def render_matrix_html(document: dict[str, Any]) -> str:
    tables = "\n".join(_mode_table(document, m) for m in document["modes"])
    return PAGE.substitute(
        run_id=esc(document["run_id"]),
        started=esc(document["started"]),
        finished=esc(document["finished"]),
        srtp=", and SRTP round trips through libsrtp" if document["srtp_checked"] else "",
        css=CSS_PATH.read_text(encoding="utf-8"),
        suts=_sut_table(document["suts"]),
        tables=tables or "<p>No mode to play: no SUT implements one.</p>",
    )


def format_matrix(document: dict[str, Any], run_dir: Path) -> str:
    """The compact text matrix `mikeyconf matrix` prints, with the failed cells' reasons."""
    suts = [s["spec"] for s in document["suts"]]
    labels = [_label(n) for n in range(len(suts))]
    width = max(len(x) for x in [*labels, "FAIL", "n/a", "pass"])
    lines = ["SUTs:", *(f"  {label} {spec}" for label, spec in zip(labels, suts, strict=True))]
    failed = []
    for mode in document["modes"]:
        cells = _cells(document, mode)
        lines += ["", f"Mode {mode} (rows initiate, columns respond):"]
        head = "  " + " " * width + "  " + "  ".join(x.ljust(width) for x in labels)
        lines.append(head.rstrip())
        for label, initiator in zip(labels, suts, strict=True):
            row = [cells[(initiator, r)] for r in suts]
            marks = "  ".join(SHORT[c["verdict"]].ljust(width) for c in row)
            lines.append(f"  {label.ljust(width)}  {marks}".rstrip())
            failed += [c for c in row if c["verdict"] == "fail"]
    if not document["modes"]:
        lines += ["", "No mode to play: no SUT implements one."]
    if failed:
        lines += ["", "Failed cells:"]
        for c in failed:
            pair = f"{labels[suts.index(c['initiator'])]} -> {labels[suts.index(c['responder'])]}"
            lines.append(f"  {c['mode']} {pair}: {' '.join(c['reason'].split())}")
    totals = document["totals"]
    lines += [
        "",
        f"{totals['pass']} passed, {totals['fail']} failed, {totals['not-applicable']} n/a.",
        f"Matrix: {run_dir / 'matrix.html'} (and matrix.json)",
        f"Exit status {document['exit_status']}.",
    ]
    return "\n".join(lines)
