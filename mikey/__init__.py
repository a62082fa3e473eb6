"""mikey: a strict, sans-I/O reference implementation of MIKEY (RFC 3830 and its modes)."""

__version__ = "0.1.0"
