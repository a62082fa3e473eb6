"""The project's own tools (not part of the installed mikeyconf product)."""
