"""The roles a campaign fuzzes (a module of its own: the CLI names them before Hypothesis loads)."""

DECODER = "decoder"
RESPONDER = "responder"
ROLES = (DECODER, RESPONDER)
