"""Mutation testing of the SUT side: cosmic-ray mutates a copy of `mikey` that only the
SUT (the reference shim) imports, and `mikeyconf run` from the clean tree judges it.
docs/mutation.md is the manual; `python -m tools.mutation --help` the options.
"""
