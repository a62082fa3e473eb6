"""The parity table against the suite: every rule, in every mode, is tested, not
applicable for a stated reason, or an explicit gap (conformance/requirements/parity.json;
docs/design.md "The parity table").

(a) every test the table names is in the suite `mikeyconf run --list` collects, with the
cell's mode and the rule's role, and cites the cell's requirement IDs; (b) a test a rule
lists in one mode that also runs in another mode fills that mode's cell too, and the gaps
are counted (GAPS: the count only goes down); (c) an update cell's tests do send an
update: run against the builtin SUT, their evidence holds one (RFC 3830 4.5: an
Initiator message without RAND).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance import cli
from conformance.listing import Listed
from tests.mutants.test_bank import run_suite

PACKAGE = Path(cli.__file__).parent / "requirements"
MESSAGES = ("initial", "update")
GAPS = 78
"""Cells the table marks "gap": a rule that applies there and no test exercising it.
Closing one lowers this number; opening one must raise it, visibly."""
INITIATOR_TYPES = frozenset(
    {"PSK_INIT", "PK_INIT", "DH_INIT", "DHHMAC_INIT", "RSA_R_INIT", "SAKKE_MSG"}
)
"""The HDR data types of the messages an Initiator sends (RFC 3830 Table 6.1.a, RFC 4650
4.1, RFC 4738 3.9.1, RFC 6509 4.1)."""

Cell = dict[str, Any]


@cache
def table() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((PACKAGE / "parity.json").read_text("utf-8"))
    return found


@cache
def suite() -> tuple[Listed, ...]:
    """The tests `mikeyconf run --list` lists: the same collection."""
    return tuple(cli.collect(cli.build_parser().parse_args(["run", "--list"])))


def cells() -> Iterator[tuple[dict[str, Any], str, str, Cell]]:
    """(rule, mode, message, cell) for every cell of the table."""
    for rule in table()["rules"]:
        for mode, by_message in rule["cells"].items():
            for message in MESSAGES:
                yield rule, mode, message, by_message[message]


def matching(ref: str, mode: str | None = None) -> list[Listed]:
    """The suite's tests a table reference names: the ID itself, or every parametrization
    of that function; of `mode` only, when given."""
    return [
        t
        for t in suite()
        if (t.test_id == ref or t.test_id.startswith(ref + "["))
        and (mode is None or t.mode == mode)
    ]


def test_table_follows_its_schema() -> None:
    schema = json.loads((PACKAGE / "parity.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(table())


def test_every_rule_has_a_cell_per_mode_and_a_unique_id() -> None:
    ids = [rule["id"] for rule in table()["rules"]]
    assert len(ids) == len(set(ids)), "duplicate rule IDs"
    for rule in table()["rules"]:
        assert rule["id"].startswith(rule["role"] + "."), f"{rule['id']}: not of its role"
        assert list(rule["cells"]) == table()["modes"], f"{rule['id']}: not one cell per mode"


def test_the_reference_code_named_exists() -> None:
    """Each rule names where the reference checks it (mikey/modes, mikey/wire)."""
    for rule in table()["rules"]:
        for name in rule["reference"]:
            module, _, qualified = name.partition(":")
            found: Any = importlib.import_module(module)
            for part in qualified.split("."):
                assert hasattr(found, part), f"{rule['id']}: {name} does not exist"
                found = getattr(found, part)


def test_listed_tests_exist_with_the_mode_role_and_requirements() -> None:
    """(a) Every test a cell names is collected, in that mode and role, and cites the
    cell's requirement IDs (each test one at least; each ID some test)."""
    problems = []
    for rule, mode, message, cell in cells():
        where = f"{rule['id']} {mode} {message}"
        found = []
        for ref in cell.get("tests", ()):
            tests = matching(ref, mode)
            if not tests:
                problems.append(f"{where}: no test {ref} in mode {mode}")
            found += tests
        wanted = set(cell.get("requirements", ()))
        for t in found:
            if t.role != rule["role"]:
                problems.append(f"{where}: {t.test_id} is a {t.role} test")
            if not wanted & set(t.requirements):
                problems.append(f"{where}: {t.test_id} cites none of {sorted(wanted)}")
        cited = {r for t in found for r in t.requirements}
        problems += [f"{where}: no test cites {r}" for r in sorted(wanted - cited)]
    assert not problems, "\n".join(problems)


def test_a_rule_tested_in_a_mode_is_listed_in_that_mode() -> None:
    """(b) A test named for one mode that also runs in another (a shared body) covers the
    rule there too: that cell cannot say "gap" or "not applicable"."""
    problems = []
    for rule in table()["rules"]:
        for message in MESSAGES:
            refs = {r for c in rule["cells"].values() for r in c[message].get("tests", ())}
            for ref in sorted(refs):
                for mode in sorted({t.mode for t in matching(ref) if t.role == rule["role"]}):
                    cell = rule["cells"][mode][message]
                    if "tests" not in cell:
                        problems.append(f"{rule['id']} {mode} {message}: {ref} runs there")
    assert not problems, "\n".join(problems)


def test_gaps_are_counted() -> None:
    """(b) Where a rule applies and no test exercises it, the table says "gap"; the count
    is pinned so that a new gap is a visible change and a closed one lowers it."""
    gaps = [f"{r['id']} {mode} {message}" for r, mode, message, cell in cells() if "gap" in cell]
    parity = [
        f"{r['id']} {mode} {message}"
        for r, mode, message, cell in cells()
        if "gap" in cell and any("tests" in c[message] for c in r["cells"].values())
    ]
    report = f"{len(gaps)} gap(s), {len(parity)} where another mode has a test:\n" + "\n".join(
        parity
    )
    assert len(gaps) == GAPS, report


def update_tests() -> dict[str, tuple[str, str]]:
    """Test ID -> (mode, role) of every test named in an update cell."""
    found = {}
    for rule, mode, message, cell in cells():
        if message == "update":
            for ref in cell.get("tests", ()):
                found.update({t.test_id: (mode, rule["role"]) for t in matching(ref, mode)})
    return found


def sends_an_update(exchanges: list[dict[str, Any]], role: str) -> bool:
    """Whether an Initiator message without RAND (an update, RFC 3830 4.5) went to the
    SUT (as responder) or came from it (as initiator)."""
    direction = "to-sut" if role == "responder" else "from-sut"
    for exchange in exchanges:
        msg = exchange["decoded"]
        if exchange["direction"] != direction or msg is None:
            continue
        kinds = {p["type"] for p in msg["payloads"]}
        if msg["hdr"]["data_type"] in INITIATOR_TYPES and "RAND" not in kinds:
            return True
    return False


def test_update_cells_send_updates(tmp_path: Path) -> None:
    """(c) The tests of an update cell, run against the builtin SUT, send an update."""
    wanted = update_tests()
    options = [o for test_id in sorted(wanted) for o in ("--test", test_id)]
    status, results, output = run_suite("builtin", tmp_path, *options)
    assert status == 0, output[-3000:]
    ran = {r["test_id"]: r for r in results["results"]}
    problems = [f"{t}: did not run" for t in sorted(set(wanted) - set(ran))]
    for test_id, (_, role) in sorted(wanted.items()):
        result = ran.get(test_id)
        if result is not None and not sends_an_update(result["evidence"]["exchanges"], role):
            problems.append(f"{test_id}: no update in its evidence ({result['verdict']})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("exchanges", "role", "expected"),
    [
        ([], "responder", False),
        ([{"direction": "to-sut", "decoded": None}], "responder", False),
        (
            [
                {
                    "direction": "to-sut",
                    "decoded": {"hdr": {"data_type": "PSK_INIT"}, "payloads": [{"type": "T"}]},
                }
            ],
            "responder",
            True,
        ),
        (
            [
                {
                    "direction": "from-sut",
                    "decoded": {"hdr": {"data_type": "PSK_INIT"}, "payloads": [{"type": "T"}]},
                }
            ],
            "responder",
            False,
        ),
        (
            [
                {
                    "direction": "from-sut",
                    "decoded": {
                        "hdr": {"data_type": "DH_INIT"},
                        "payloads": [{"type": "T"}, {"type": "RAND"}],
                    },
                }
            ],
            "initiator",
            False,
        ),
    ],
)
def test_an_update_is_an_initiator_message_without_rand(
    exchanges: list[dict[str, Any]], role: str, expected: bool
) -> None:
    assert sends_an_update(exchanges, role) is expected
