"""The example database a campaign's workers share: a directory, or Redis.

Hypothesis saves every failing example (here: every finding's input) in its
example database and replays the saved ones before generating new ones, so
workers that share a database share a corpus: what one worker found, the
others try first, on this machine (a directory) or on many (Redis, through
hypothesis.extra.redis, needing the `redis` package: `pip install
'mikey-conformance[redis]'`).

Hypothesis deletes a saved example that no longer fails; a finding already on
file no longer "fails" (it is not new), yet it is still an input worth sending
to the next SUT. So the campaign's database keeps what it is given
(`CorpusDatabase`: deletes are ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase


class CorpusDatabase(ExampleDatabase):
    """An example database that only grows: save and fetch go through, delete does not."""

    def __init__(self, inner: ExampleDatabase) -> None:
        super().__init__()
        self.inner = inner

    def save(self, key: bytes, value: bytes) -> None:
        self.inner.save(key, value)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self.inner.fetch(key)

    def delete(self, key: bytes, value: bytes) -> None:
        """Kept: the corpus outlives the findings it produced."""

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self.inner.save(dest, value)


def check_db_spec(spec: str) -> str:
    """`spec` if it names a usable database, else ValueError with a one-line reason."""
    if spec.startswith("redis://"):
        parts = urlsplit(spec)
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"bad --db {spec!r}: the port is not a number") from None
        if not parts.hostname or port is None:
            raise ValueError(f"bad --db {spec!r}: use redis://HOST:PORT[/DB]")
        return spec
    if "://" in spec:
        raise ValueError(f"bad --db {spec!r}: a directory, or redis://HOST:PORT[/DB]")
    path = Path(spec)
    if path.exists() and not path.is_dir():
        raise ValueError(f"bad --db {spec!r}: exists and is not a directory")
    return spec


def open_database(spec: str) -> ExampleDatabase:
    """The shared database `spec` names (checked by check_db_spec); Redis is pinged first."""
    if not spec.startswith("redis://"):
        return CorpusDatabase(DirectoryBasedExampleDatabase(spec))
    try:
        import redis
        from hypothesis.extra.redis import RedisExampleDatabase
    except ImportError as exc:
        raise ValueError(
            f"--db {spec}: needs the redis package ({exc.name} is missing):"
            " pip install 'mikey-conformance[redis]'"
        ) from None
    client = redis.Redis.from_url(spec, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ValueError(f"--db {spec}: cannot reach Redis: {exc}") from None
    return CorpusDatabase(RedisExampleDatabase(client, key_prefix=b"mikeyconf-fuzz:"))
