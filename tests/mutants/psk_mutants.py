"""PSK mode mutants (the lead fills this module; created empty by the codec helper so that
tests.mutants.bank imports)."""
