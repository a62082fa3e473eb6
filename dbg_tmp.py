import shutil, time
from pathlib import Path
from tests.fuzz.campaigns import campaign, findings, MUTANTS
shutil.rmtree("/tmp/dr", ignore_errors=True)
t=time.time()
w = campaign(Path("/tmp/dr/one"), f"{MUTANTS}:accepts_truncated_kemac", budget=2.5, db="redis://127.0.0.1:6399")
print(len(findings(Path("/tmp/dr/one"))), w.stats.cases, w.flaky, time.time()-t)
