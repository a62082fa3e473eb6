"""The pytest plugin that turns pytest into a MIKEY conformance suite.

It builds the SUT named by --sut, marks tests the SUT cannot take part in as
not applicable, gives each test its verdict (pass, fail, inconclusive, not-applicable,
expected-deviation, unexpected-pass, error) with the requirement IDs it cites, and appends
one journal line per finished test (schema in conformance/report).

A test whose vehicle failed (conformance/vehicle.py) is inconclusive: pytest, junit.xml
and allure see a skip whose message names the precondition, with a "root-cause" property
(junit) and label and link (Allure) naming its requirement.

A test listed in the SUT's expectations file (conformance/expectations.py)
is marked strict xfail: its failure is an expected-deviation and its pass an
unexpected-pass; pytest, junit.xml and allure see them as xfail and XPASS.

Markers a conformance test carries:
    @pytest.mark.requirement("RFC3830-5.4-replay", ...)  IDs from the catalog
    @pytest.mark.mode("PSK")                             one of MODES
    @pytest.mark.role("responder")                        the SUT's role
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import time
from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conformance import expectations
from conformance.cert_server import CertServer, cert_server
from conformance.evidence import Evidence
from conformance.report.model import JOURNAL_SCHEMA, SEVERITY, counts_as_failure, read_journal
from conformance.vehicle import INCONCLUSIVE, Blamed, Inconclusive, Running, running

if TYPE_CHECKING:
    from conformance.requirements import Requirement
from suts import SutSpecError, load_sut
from suts.base import Profile, Role, Sut, SutFailure, check_call_timeout

MODES = ("PSK", "PK", "DH", "DH-HMAC", "RSA-R", "TICKET", "IBAKE", "SAKKE", "codec")
LEVEL_RANK = {"MUST": 0, "MUST NOT": 0, "SHOULD": 1, "SHOULD NOT": 1, "MAY": 2}
PACKAGE_DIR = Path(__file__).resolve().parent
NOT_APPLICABLE = "not-applicable: "


@functools.cache
def load() -> dict[str, Requirement]:
    """The requirements catalog, read once per process."""
    from conformance.requirements import load as load_catalog

    return load_catalog()


_evidence_key = pytest.StashKey[Evidence]()
_phases_key = pytest.StashKey[list[tuple[str, str, str]]]()
_started_key = pytest.StashKey[float]()
_expectations_key = pytest.StashKey[expectations.Expectations | None]()
_deviation_key = pytest.StashKey[expectations.Deviation]()
_inconclusive_key = pytest.StashKey[Inconclusive]()
_fault_key = pytest.StashKey[str]()
_checkers_key = pytest.StashKey[dict[str, list[tuple[str, str | None, str | None]]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mikeyconf", "MIKEY conformance")
    group.addoption("--sut", default="builtin", help="SUT: builtin or module:factory")
    group.addoption("--mikey-mode", action="append", default=[], help="run only this mode")
    group.addoption("--mikey-role", action="append", default=[], help="run only this role")
    group.addoption("--mikey-strict", action="store_true", help="SHOULD-level fails count")
    group.addoption("--mikey-show-secrets", action="store_true", help="keys in evidence")
    group.addoption("--mikey-profile", default=None, help="SUT profile (PIXIT) JSON file")
    group.addoption(
        "--mikey-call-timeout",
        default=None,
        help="seconds an adapter waits for the SUT per call (over the profile's call_timeout)",
    )
    group.addoption("--mikey-journal", default=None, help="append results (JSON lines) here")
    group.addoption(
        "--mikey-expectations", default=None, help="the SUT's known deviations (JSON file)"
    )
    group.addoption(
        "--mikey-no-expectations",
        action="store_true",
        help="ignore suts/expectations/<sut>.json",
    )
    group.addoption(
        "--mikey-test", action="append", default=[], help="run only this test ID (or its prefix)"
    )
    group.addoption(
        "--mikey-requirement",
        action="append",
        default=[],
        help="run only the tests citing this requirement ID",
    )
    group.addoption(
        "--mikey-resume",
        action="store_true",
        help="skip the tests the --mikey-journal already holds a result of",
    )
    group.addoption(
        "--mikey-exitfirst",
        action="store_true",
        help="stop at the first test that makes the run fail (or errs)",
    )
    group.addoption(
        "--mikey-problems", default=None, help="append harness problems (lines) to this file"
    )


def pytest_configure(config: pytest.Config) -> None:
    for line in (
        "requirement(*ids): requirement IDs from conformance/requirements this test checks",
        "mode(name): the MIKEY mode under test",
        "role(name): the SUT's role (initiator, responder, decoder)",
    ):
        config.addinivalue_line("markers", line)
    for mode in config.getoption("--mikey-mode"):
        if mode not in MODES:
            raise pytest.UsageError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
    for role in config.getoption("--mikey-role"):
        if role not in {r.value for r in Role}:
            raise pytest.UsageError(f"unknown role {role!r}")
    path = expectations.resolve(
        config.getoption("--sut"),
        config.getoption("--mikey-expectations"),
        config.getoption("--mikey-no-expectations"),
    )
    try:
        found = None if path is None else expectations.load(path, load())
    except expectations.ExpectationsError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[_expectations_key] = found


def marker_arg(item: pytest.Item, name: str) -> str | None:
    marker = item.get_closest_marker(name)
    return str(marker.args[0]) if marker and marker.args else None


def requirement_ids(item: pytest.Item) -> list[str]:
    return [str(a) for m in item.iter_markers("requirement") for a in m.args]


def _is_conformance(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(PACKAGE_DIR)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    modes = set(config.getoption("--mikey-mode"))
    roles = set(config.getoption("--mikey-role"))
    tests = config.getoption("--mikey-test")
    cited = set(config.getoption("--mikey-requirement"))
    done = _finished_tests(config)
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    suite: list[str] = []
    checkers = config.stash.setdefault(_checkers_key, {})
    for item in items:
        if not _is_conformance(item):
            keep.append(item)
            continue
        test_id = conformance_test_id(item)
        suite.append(test_id)
        catalog = load()
        unknown = [r for r in requirement_ids(item) if r not in catalog]
        if unknown or not requirement_ids(item):
            raise pytest.UsageError(
                f"{item.nodeid}: cites unknown requirement(s) {unknown}"
                if unknown
                else f"{item.nodeid}: cites no requirement"
            )
        mode, role = marker_arg(item, "mode"), marker_arg(item, "role")
        if mode not in MODES:
            raise pytest.UsageError(f"{item.nodeid}: missing or unknown mode marker {mode!r}")
        for req_id in requirement_ids(item):
            checkers.setdefault(req_id, []).append((test_id, mode, role))
        _label(item, catalog)
        _expect(item, test_id)
        selected = (not modes or mode in modes) and (not roles or role in roles)
        selected = selected and _chosen(test_id, tests) and test_id not in done
        selected = selected and (not cited or bool(cited & set(requirement_ids(item))))
        (keep if selected else drop).append(item)
    _check_expectations(config, suite)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _chosen(test_id: str, tests: list[str]) -> bool:
    """Whether --mikey-test selects `test_id`: the same ID, or its file or function."""
    return not tests or any(test_id == t or test_id.startswith((t + "::", t + "[")) for t in tests)


def _finished_tests(config: pytest.Config) -> set[str]:
    """With --mikey-resume, the tests the journal already holds a result of."""
    path = config.getoption("--mikey-journal")
    if not config.getoption("--mikey-resume") or path is None:
        return set()
    return {r.test_id for r in read_journal(Path(path)).results}


def _expect(item: pytest.Item, test_id: str) -> None:
    """Mark a test the expectations file lists: strict xfail, failures only."""
    found = item.config.stash.get(_expectations_key, None)
    deviation = found.match(test_id) if found else None
    if found is None or deviation is None:
        return
    item.stash[_deviation_key] = deviation
    reason = f"known deviation ({found.path.name} {deviation.describe()}): {deviation.reason}"
    # A harness error (any other exception) stays an error: only failures are expected.
    item.add_marker(pytest.mark.xfail(reason=reason, strict=True, raises=_FAILURES))
    item.add_marker(pytest.mark.allure_label("expected-deviation", label_type="tag"))


def _check_expectations(config: pytest.Config, suite: list[str]) -> None:
    """An entry matching no test of the suite is a harness problem (docs/design.md)."""
    found = config.stash.get(_expectations_key, None)
    if found is None:
        return
    for deviation in found.unmatched(suite):
        harness_problem(
            config,
            f"expectations {found.path}: {deviation.describe()} matches no test in the suite",
        )


def harness_problem(config: pytest.Config, text: str) -> None:
    """Record a problem with the run itself (not with one test): --mikey-problems."""
    path = config.getoption("--mikey-problems")
    if path is None:
        raise pytest.UsageError(text)
    with open(path, "a", encoding="utf-8") as problems:
        problems.write(" ".join(text.split()) + "\n")


def _label(item: pytest.Item, catalog: dict[str, Requirement]) -> None:
    """Allure labels (epic = RFC, feature = mode, story = requirement) and junit properties."""
    ids = requirement_ids(item)
    label = pytest.mark.allure_label
    rfcs = sorted({f"RFC {catalog[i].rfc}" for i in ids})
    item.add_marker(label(*rfcs, label_type="epic"))
    item.add_marker(label(str(marker_arg(item, "mode")), label_type="feature"))
    item.add_marker(label(*ids, label_type="story"))
    item.user_properties.extend(("requirement", i) for i in ids)
    item.user_properties.append(("mode", str(marker_arg(item, "mode"))))


@pytest.fixture(scope="session")
def profile(pytestconfig: pytest.Config) -> Profile:
    """The SUT's provisioning profile (PIXIT): --mikey-profile, else defaults; with
    --mikey-call-timeout over its call_timeout."""
    path = pytestconfig.getoption("--mikey-profile")
    timeout = pytestconfig.getoption("--mikey-call-timeout")
    found = Profile()
    try:
        if path is not None:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the profile must be a JSON object")
            found = Profile.from_json(data)
    except (OSError, ValueError) as exc:
        raise pytest.UsageError(f"profile {path}: {exc}") from None
    if timeout is None:
        return found
    try:
        return replace(found, call_timeout=check_call_timeout(timeout, "--mikey-call-timeout"))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


@pytest.fixture(scope="session")
def sut_session(pytestconfig: pytest.Config, profile: Profile) -> Iterator[Sut]:
    try:
        sut = load_sut(pytestconfig.getoption("--sut"), profile)
    except SutSpecError as exc:
        raise pytest.UsageError(str(exc)) from None
    yield sut
    sut.close()


@pytest.fixture
def sut(sut_session: Sut, request: pytest.FixtureRequest) -> Iterator[Sut]:
    """The SUT, fresh for each test, after the applicability check; afterwards what its
    adapter carried over a protocol of its own (RTSP) goes to the test's evidence."""
    caps = sut_session.capabilities()
    mode, role = marker_arg(request.node, "mode"), marker_arg(request.node, "role")
    if mode is not None and mode != "codec" and mode not in caps.modes:
        pytest.skip(f"{NOT_APPLICABLE}{caps.name} does not implement mode {mode}")
    if role is not None and role not in caps.roles:
        pytest.skip(f"{NOT_APPLICABLE}{caps.name} does not play the {role} role")
    sut_session.reset()
    sut_session.transport()  # what reset() sent ends the previous test's session
    yield sut_session
    segments = sut_session.transport()
    if segments:
        request.node.stash.setdefault(_evidence_key, Evidence()).transport(segments)


@pytest.fixture(scope="session")
def certificates() -> Iterator[CertServer]:
    """The suite's HTTP server of certificates by URL (RFC 4738 3.8), started on first use."""
    with cert_server() as server:
        yield server


@pytest.fixture
def evidence(request: pytest.FixtureRequest) -> Evidence:
    """Where a test records the bytes it exchanged with the SUT."""
    found: Evidence = request.node.stash.setdefault(_evidence_key, Evidence())
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, None]:
    """Tell conformance.vehicle which test runs; label an inconclusive one for Allure."""
    if not _is_conformance(item):
        yield
        return
    checkers = item.config.stash.get(_checkers_key, {})
    test = Running(
        frozenset(requirement_ids(item)),
        marker_arg(item, "mode"),
        marker_arg(item, "role"),
        checkers,
    )
    token = running.set(test)
    try:
        outcome = yield
    finally:
        running.reset(token)
    exc = outcome.excinfo[1] if outcome.excinfo else None
    if isinstance(exc, Inconclusive):
        item.stash[_inconclusive_key] = exc
        _label_root_cause(item, exc.requirement, exc.checked_by)
    elif isinstance(exc, Blamed) and exc.requirement in test.cites:  # it names its fault
        item.stash[_fault_key] = exc.requirement
        _label_root_cause(item, exc.requirement, ())


def _label_root_cause(item: pytest.Item, requirement: str, checked_by: tuple[str, ...]) -> None:
    """junit.xml property and Allure label and link naming the rule at fault."""
    item.user_properties.append(("root-cause", requirement))
    item.user_properties.extend(("precondition-checked-by", t) for t in checked_by)
    import allure  # allure-pytest's API: a no-op unless --alluredir is given

    allure.dynamic.label("root-cause", requirement)  # type: ignore[no-untyped-call]
    entry = load().get(requirement)
    if entry is not None:
        rfc = str(entry.rfc).removeprefix("RFC").strip()
        url = f"https://www.rfc-editor.org/rfc/rfc{rfc}#section-{entry.section}"
        allure.dynamic.link(url, name=f"root cause: {requirement}")  # type: ignore[no-untyped-call]


_FAILURES = (AssertionError, SutFailure)
"""What a test raises when the SUT fails it; anything else is a harness error. A
SutFailure is the SUT's fault in every phase (a shim that dies in the fixture's reset()
too); an AssertionError only in the test itself."""


def _verdict(
    when: str, report: pytest.TestReport, call: pytest.CallInfo[None], expected: bool
) -> tuple[str, str]:
    if report.passed:
        return "pass", ""
    exc = call.excinfo
    if exc is not None and isinstance(exc.value, Inconclusive):
        return "inconclusive", str(exc.value.msg).removeprefix(INCONCLUSIVE)
    if hasattr(report, "wasxfail"):  # a failure the expectations file lists
        failure = (str(exc.value).strip() or "assertion failed") if exc else str(report.wasxfail)
        return "expected-deviation", failure
    if report.skipped:
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else "skipped"
        reason = reason.removeprefix("Skipped: ")
        return "not-applicable", reason.removeprefix(NOT_APPLICABLE)
    text = str(exc.value) if exc is not None else str(report.longrepr)
    if expected and when == "call" and exc is None:  # strict xfail: XPASS
        return "unexpected-pass", "passed, but the expectations file lists it as a deviation"
    if exc is not None and isinstance(exc.value, SutFailure):  # the SUT, in any phase
        return "fail", text.strip()
    if when == "call" and exc is not None and isinstance(exc.value, _FAILURES):
        return "fail", text.strip() or "assertion failed"
    return "error", f"{when}: {exc.typename if exc else 'error'}: {text}".strip()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not _is_conformance(item):
        return
    phases = item.stash.setdefault(_phases_key, [])
    item.stash.setdefault(_started_key, time.monotonic())
    expected = _deviation_key in item.stash
    phases.append((call.when, *_verdict(call.when, report, call, expected)))
    if call.when == "teardown":
        report.mikey_result = json.dumps(_result(item, phases))  # type: ignore[attr-defined]


def _result(item: pytest.Item, phases: list[tuple[str, str, str]]) -> dict[str, Any]:
    _, verdict, reason = max(phases, key=lambda p: SEVERITY[p[1]])
    if verdict == "pass" and any(v == "not-applicable" for _, v, _ in phases):
        verdict, reason = next((v, r) for _, v, r in phases if v == "not-applicable")
    config = item.config
    catalog: dict[str, Requirement] = load()
    ids = requirement_ids(item)
    level = min((catalog[i].level for i in ids), key=lambda lv: LEVEL_RANK.get(lv, 3))
    evidence = item.stash.get(_evidence_key, Evidence())
    test_id = conformance_test_id(item)
    sut_spec = config.getoption("--sut")
    doc = (getattr(item, "obj", None).__doc__ or "").strip().splitlines()
    deviation = item.stash.get(_deviation_key, None)
    found = config.stash.get(_expectations_key, None)
    blocked = item.stash.get(_inconclusive_key, None) if verdict == "inconclusive" else None
    return {
        "schema": JOURNAL_SCHEMA,
        "test_id": test_id,
        "title": doc[0] if doc else item.name,
        "requirements": ids,
        "level": level,
        "mode": marker_arg(item, "mode"),
        "role": marker_arg(item, "role"),
        "verdict": verdict,
        "reason": reason,
        "evidence": evidence.to_json(config.getoption("--mikey-show-secrets")),
        "replay": f"mikeyconf run --sut {shlex.quote(sut_spec)} --test {shlex.quote(test_id)}",
        "duration_s": round(time.monotonic() - item.stash[_started_key], 6),
        "sut": sut_spec,
        "worker": os.environ.get("PYTEST_XDIST_WORKER"),
        "expectation": None
        if deviation is None or found is None
        else {
            "file": str(found.path),
            "entry": deviation.number,
            "test": deviation.test,
            "requirements": list(deviation.requirements),
            "reason": deviation.reason,
        },
        "precondition": None
        if blocked is None
        else {"requirement": blocked.requirement, "checked_by": list(blocked.checked_by)},
        "fault": item.stash.get(_fault_key, None) if verdict == "fail" else None,
    }


def conformance_test_id(item: pytest.Item) -> str:
    """The test's ID relative to the conformance package: stable across checkouts."""
    rel = Path(str(item.path)).resolve().relative_to(PACKAGE_DIR).as_posix()
    return rel + item.nodeid[item.nodeid.index("::") :]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    record = getattr(report, "mikey_result", None)
    if record is None or report.when != "teardown":
        return
    if _journal_path is not None:
        with open(_journal_path, "a", encoding="utf-8") as journal:
            journal.write(record + "\n")
            journal.flush()
    if _exitfirst is not None:
        _stop_at_failure(_exitfirst, json.loads(record))


def _stop_at_failure(session: pytest.Session, result: dict[str, Any]) -> None:
    """--mikey-exitfirst: end the session after a result that fails the run or errs."""
    strict = session.config.getoption("--mikey-strict")
    verdict = result["verdict"]
    if verdict == "error" or counts_as_failure(verdict, result["level"], strict):
        session.shouldfail = f"stopped at the first failure (exitfirst): {result['test_id']}"


_journal_path: str | None = None
_exitfirst: pytest.Session | None = None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Only the controlling process writes the journal (never an xdist worker)."""
    global _journal_path, _exitfirst
    config = session.config
    _journal_path = None if hasattr(config, "workerinput") else config.getoption("--mikey-journal")
    _exitfirst = session if config.getoption("--mikey-exitfirst") else None
