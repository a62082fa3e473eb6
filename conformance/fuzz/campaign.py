"""One campaign worker: Hypothesis draws cases until the budget is spent, oracles judge them.

The worker runs Hypothesis in batches of a hundred cases, each with its own
seed (from the campaign seed and the worker's number), all under one
database key, so every worker and every run shares one corpus. A case whose
finding is new (its signature is neither known to this worker nor on file)
fails the Hypothesis test: Hypothesis shrinks it, then the worker reduces the
shrunk case further (ddmin over the bytes of a decoder case, over the
mutations of a responder case, whose bytes must stay sealed and fresh) and
files the finding. The loop goes on with the next batch until the deadline.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.database import ExampleDatabase
from hypothesis.errors import HypothesisException

from conformance.fuzz.cases import (
    DecoderCase,
    ResponderCase,
    decoder_cases,
    kinds_of,
    responder_cases,
    seed_layout,
)
from conformance.fuzz.corpusdb import open_database
from conformance.fuzz.findings import Finding, finding_document, write_finding
from conformance.fuzz.minimise import ddmin, ddmin_bytes
from conformance.fuzz.oracles import judge_decoder, judge_responder
from conformance.fuzz.progress import FINDINGS, PROGRESS, Stats
from conformance.fuzz.roles import DECODER
from suts import load_sut
from suts.base import Profile, Sut

CONFIG = "campaign.json"
BATCH_EXAMPLES = 100
REUSE_EVERY = 60.0
"""Seconds between replays of the shared corpus (other workers' finds)."""
GRACE_SECONDS = 10.0
"""How long past the budget a finding made just before it may still be shrunk and reduced:
at most this, or a tenth of the budget. Then the smallest failing case so far is filed."""

Case = DecoderCase | ResponderCase


@dataclass(frozen=True)
class CampaignConfig:
    """What every worker of one campaign needs; the CLI writes it to <run>/campaign.json."""

    sut: str
    role: str
    seed: int
    budget: float
    deadline: float
    db: str
    run_dir: str
    profile: dict[str, Any] | None = None
    max_cases: int | None = None
    """Stop after this many cases per worker (tests); None: only the budget counts."""
    max_findings: int | None = None
    """Stop once the campaign has filed this many findings; None: only the budget counts."""
    minimise_seconds: float = 20.0
    """Time for Hypothesis to shrink one finding, and again for delta reduction."""
    corpus_only: bool = False
    """Only replay the shared corpus (the database's examples), once: a regression run."""

    def save(self) -> Path:
        path = Path(self.run_dir) / CONFIG
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: Path) -> CampaignConfig:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def sut_profile(self) -> Profile:
        return Profile.from_json(self.profile) if self.profile else Profile()


class StopBatch(BaseException):
    """Raised inside the Hypothesis test to end the batch now: not an Exception, so
    Hypothesis lets it through at once (as it does KeyboardInterrupt), shrinking or not."""


class BudgetSpent(StopBatch):
    """The campaign's budget is spent."""


class ShrinkSpent(StopBatch):
    """Shrinking this batch's finding has had its time (CampaignConfig.minimise_seconds)."""


class NewFinding(Exception):
    """Raised inside the Hypothesis test for a case with a finding not seen before."""

    def __init__(self, finding: Finding, case: Case) -> None:
        super().__init__(finding.signature)
        self.finding = finding
        self.case = case


def judge(sut: Sut, case: Case, profile: Profile) -> tuple[Finding | None, frozenset[int]]:
    """The oracles' verdict on one case, and the payload types it carried."""
    if isinstance(case, DecoderCase):
        return judge_decoder(sut, case), frozenset(int(k) for k in case.kinds)
    finding, _ = judge_responder(sut, case, profile)
    return finding, frozenset(int(k) for k in kinds_of(seed_layout("psk-i-message")))


def signature_of(sut: Sut, case: Case, profile: Profile) -> str | None:
    finding, _ = judge(sut, case, profile)
    return finding.signature if finding else None


def minimise(sut: Sut, case: Case, profile: Profile, signature: str, stop: float) -> Case:
    """A smaller case with the same finding signature (ddmin, until `stop`)."""

    def same(candidate: Case) -> bool:
        return time.time() < stop and signature_of(sut, candidate, profile) == signature

    if isinstance(case, DecoderCase):
        data = ddmin_bytes(case.data, lambda d: same(replace(case, data=d)))
        return replace(case, data=data)
    ops = ddmin(case.ops, lambda o: same(replace(case, ops=tuple(o))))
    return replace(case, ops=tuple(ops))


class Worker:
    """Runs one worker's share of a campaign."""

    def __init__(self, config: CampaignConfig, name: str, index: int) -> None:
        self.config = config
        self.index = index
        self.profile = config.sut_profile()
        self.sut = load_sut(config.sut, self.profile)
        self.db: ExampleDatabase = open_database(config.db)
        self.run_dir = Path(config.run_dir)
        self.stats = Stats(name, self.run_dir / PROGRESS / f"{name}.json")
        self.known: set[str] = set()
        self.flaky = 0
        self.pending: NewFinding | None = None
        self.shrink_stop = 0.0
        self.hard_stop = config.deadline + min(GRACE_SECONDS, 0.1 * config.budget)
        strategy: st.SearchStrategy[Any] = (
            decoder_cases() if config.role == DECODER else responder_cases(self.profile)
        )
        self.strategy = strategy

    def is_new(self, signature: str) -> bool:
        return (
            signature not in self.known
            and not (self.run_dir / FINDINGS / f"{signature}.json").exists()
        )

    def check(self, case: Case) -> None:
        """The Hypothesis test body: judge, count, and fail on a new finding."""
        now = time.time()
        if now > self.hard_stop or (now > self.config.deadline and self.pending is None):
            raise BudgetSpent
        if self.pending is not None and now > self.shrink_stop:
            raise ShrinkSpent
        finding, kinds = judge(self.sut, case, self.profile)
        self.stats.count(kinds, tuple(o.name for o in case.ops))
        if finding is not None and self.is_new(finding.signature):
            if self.pending is None:
                self.shrink_stop = now + self.config.minimise_seconds
            self.pending = NewFinding(finding, case)  # the smallest yet, while shrinking
            raise self.pending

    def batch(self, batch_seed: int, examples: int, reuse: bool) -> None:
        phases = [Phase.shrink] if self.config.corpus_only else [Phase.generate, Phase.shrink]
        config = settings(
            database=self.db,
            max_examples=examples,
            deadline=None,
            phases=[Phase.reuse, *phases] if reuse else phases,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
            verbosity=Verbosity.quiet,
            print_blob=False,
        )

        @config  # outermost: @seed alone would switch the database off
        @seed(batch_seed)
        @given(self.strategy)
        def run(case: Case) -> None:
            self.check(case)

        # One key for every batch, worker and run of this role: one shared corpus.
        run._hypothesis_internal_database_key = f"mikeyconf-fuzz/{self.config.role}/1".encode()  # type: ignore[attr-defined]
        run()

    def record(self, found: NewFinding) -> None:
        """Reduce the case further, file the finding (first writer wins)."""
        stop = min(time.time() + self.config.minimise_seconds, self.hard_stop)
        case = minimise(self.sut, found.case, self.profile, found.finding.signature, stop)
        finding, _ = judge(self.sut, case, self.profile)
        if finding is None or finding.signature != found.finding.signature:
            case, finding = found.case, found.finding  # the reduction did not hold up
        self.known.add(finding.signature)
        doc = finding_document(finding, case.to_dict(), sut=self.config.sut,
                               seed=self.config.seed, run=self.run_dir.name)  # fmt: skip
        if write_finding(self.run_dir / FINDINGS, doc):
            self.stats.findings += 1

    def corpus_left(self) -> bool:
        """In a corpus-only run: whether the last replay stopped at a new finding (go on)."""
        return self.pending is not None

    def batch_seed(self, n: int) -> int:
        """The seed of batch `n`: distinct per campaign seed, worker and batch."""
        return self.config.seed * 1_000_003 + self.index * 7919 + n

    def run(self) -> None:
        """Batches until the deadline (or max_cases); findings go to <run>/findings/.

        Batches have a fixed size, so a campaign seed gives the same cases every time
        (given the same corpus); a batch still running at the deadline is cut short.
        """
        last_reuse = 0.0
        n = 0
        try:
            while time.time() < self.config.deadline:
                if self.config.max_cases is not None and self.stats.cases >= self.config.max_cases:
                    break
                started = time.time()
                reuse = self.config.corpus_only or started - last_reuse >= REUSE_EVERY
                last_reuse = started if reuse else last_reuse
                self.pending = None
                try:
                    self.batch(self.batch_seed(n), BATCH_EXAMPLES, reuse)
                except NewFinding as found:
                    self.record(found)
                except StopBatch as stop:
                    if self.pending is not None:  # cut short while shrinking: the smallest yet
                        self.record(self.pending)
                    if isinstance(stop, BudgetSpent):
                        break
                except HypothesisException:
                    self.flaky += 1  # the shrunk case passed when replayed: file it anyway
                    if self.pending is not None:
                        self.record(self.pending)
                n += 1
                if self.config.corpus_only and not self.corpus_left():
                    break
                if self.config.max_findings is not None and (
                    len(list((self.run_dir / FINDINGS).glob("*.json"))) >= self.config.max_findings
                ):
                    break
        finally:
            self.stats.write()
            self.sut.close()


def run_worker(config_path: Path, name: str, index: int) -> Worker:
    worker = Worker(CampaignConfig.load(config_path), name, index)
    worker.run()
    return worker
