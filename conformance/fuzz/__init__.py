"""Fuzz campaigns against a SUT's MIKEY decoder or responder (docs/design.md, issue 6).

Modules, in the order a case flows through them: `strategies` (valid messages
by construction), `layout` (where a message's fields lie), `mutators` (the
mutation engine), `cases` (what one test sends, as a recipe), `oracles` and
`blame` (is the answer wrong, which requirement breaks), `minimise` (delta
reduction), `findings` (signatures and files), `campaign` and `session` (the
workers, as a pytest-xdist session, here or across hosts), `outbox` (how findings
and counters reach the run directory), `corpusdb` (the shared example
database), `progress` (the live line), `cli` (`mikeyconf fuzz`, `replay`);
`atheris_decoder` is a coverage-guided harness for the reference decoder.
"""
