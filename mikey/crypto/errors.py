"""The one error type of `mikey.crypto`.

`CryptoError` says an input cannot be processed as the RFC defines it (a key or
salt of the wrong length, data the algorithm cannot take, an unknown algorithm).
`IntegrityError`, a `CryptoError`, says a received ciphertext failed its
integrity check (AES key wrap, RFC 3394 2.2.2 step 3): the message must be
rejected as not authentic.
"""

from __future__ import annotations


class CryptoError(ValueError):
    """An input `mikey.crypto` cannot process; the message says why and cites the RFC."""


class IntegrityError(CryptoError):
    """A ciphertext failed its integrity check (AES key wrap unwrap, RFC 3394 2.2.2)."""
