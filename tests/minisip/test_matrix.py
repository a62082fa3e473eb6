"""`mikeyconf matrix --sut builtin --sut minisip`: where minisip interoperates, and where not.

minisip with itself agrees on every key in all five modes (the SRTP keys of both
ends are equal). With the reference it interoperates in no mode, each cell failing
for a deviation listed in suts/expectations/minisip.json: its verification MAC
leaves out the identities (RFC 3830 5.2), its responders stamp a new T (5.2), its PK
parser aborts on CHASH (6.8), its PRF drops the last 256-bit block of a 192-byte
TGK (4.1.2), its DH-HMAC messages lack IDi/IDr (RFC 4650 3) and its RSA-R SIGNr
covers the R_MESSAGE's identities only (RFC 4738 3.6). Should minisip be fixed, a
cell here fails and tells.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.minisip.conftest import MinisipBuild
from tests.subprocess_cli import mikeyconf

MODES = ("PSK", "PK", "DH", "DH-HMAC", "RSA-R")
CROSS_FAILURE = {
    ("builtin", "minisip", "PSK"): "T is not the I_MESSAGE's",
    ("minisip", "builtin", "PSK"): "MAC mismatch",
    ("builtin", "minisip", "PK"): "SIGABRT",
    ("minisip", "builtin", "PK"): "MAC mismatch",
    ("builtin", "minisip", "DH"): "R_MESSAGE payloads",
    ("minisip", "builtin", "DH"): "SRTP master key and master salt differ",
    ("builtin", "minisip", "DH-HMAC"): "R_message payloads",
    ("minisip", "builtin", "DH-HMAC"): "no IDr",
    ("builtin", "minisip", "RSA-R"): "T is not the I_MESSAGE's",
    ("minisip", "builtin", "RSA-R"): "authenticate() failed",
}


def test_minisip_agrees_with_itself_and_fails_with_the_reference_as_listed(
    minisip: MinisipBuild, tmp_path: Path
) -> None:
    args = ["matrix", "--sut", "builtin", "--sut", "minisip", "--out", str(tmp_path)]
    done = mikeyconf(*args, "--run-id", "mx", *(a for m in MODES for a in ("--mode", m)))
    assert done.returncode == 1, done.stdout + done.stderr
    matrix = json.loads((tmp_path / "mx" / "matrix.json").read_text(encoding="utf-8"))
    cells = {(c["initiator"], c["responder"], c["mode"]): c for c in matrix["cells"]}
    for mode in MODES:
        for pair in (("minisip", "minisip"), ("builtin", "builtin")):
            cell = cells[(*pair, mode)]
            assert cell["verdict"] == "pass", cell
            assert cell["keys"] == "equal", cell
    for key, reason in CROSS_FAILURE.items():
        cell = cells[key]
        assert cell["verdict"] == "fail" and reason in cell["reason"], cell
