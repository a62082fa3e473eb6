"""A SUT factory that kills its own process: how the resume tests interrupt a real run.

`--sut tests.cli.dying:mutant_that_dies` is the mutant skips_mac_check (so
that the run has failures as well as passes), except that with
MIKEYCONF_TEST_DIE_AFTER=N in the environment the N+1st test's reset sends
SIGKILL to the process (the `mikeyconf run` itself): no cleanup, no report,
just the journal lines written so far.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from suts.base import Profile, Sut
from suts.builtin import BuiltinSut
from tests.mutants.bank import MUTANTS

DIE_AFTER = "MIKEYCONF_TEST_DIE_AFTER"


@dataclass
class _DyingSut(BuiltinSut):
    limit: int = 0
    resets: int = 0

    def reset(self) -> None:
        self.resets += 1
        if self.limit and self.resets > self.limit:
            os.kill(os.getpid(), signal.SIGKILL)
        super().reset()


def mutant_that_dies(profile: Profile) -> Sut:
    mutant = MUTANTS["skips_mac_check"].factory(profile=profile)
    assert isinstance(mutant, BuiltinSut)
    limit = int(os.environ.get(DIE_AFTER, "0"))
    return _DyingSut(profile=profile, bindings=mutant.bindings, limit=limit)
