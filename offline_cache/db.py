"""SQLite through SQLAlchemy 2.x with the durability settings the kiosk relies on.

Every connection is put in WAL mode with ``synchronous=FULL``, foreign keys on and a busy timeout,
and the values are read back and asserted. Writers open their transaction with ``BEGIN IMMEDIATE``
so two writers never deadlock on a lock upgrade; readers use a deferred ``BEGIN``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 5000
EXPECTED_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": 2,
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


class StorageError(RuntimeError):
    """The local database cannot be used (disk full, read-only, corrupt); the message says which."""


def _configure(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own handling is broken)
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        actual = {name: cur.execute(f"PRAGMA {name}").fetchone()[0] for name in EXPECTED_PRAGMAS}
    finally:
        cur.close()
    if actual != EXPECTED_PRAGMAS:
        raise StorageError(f"SQLite refused the required settings: {actual} (expected {EXPECTED_PRAGMAS})")


def _begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """One SQLite file. Use ``writer()`` for transactions that write, ``reader()`` for the rest."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the data directory {self.path.parent}: {exc.strerror}"
            ) from None
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}",
            poolclass=QueuePool,
            pool_size=4,
            max_overflow=4,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(self.engine, "connect", _configure)
        event.listen(self.engine, "begin", _begin)

    @contextmanager
    def writer(self) -> Iterator[Connection]:
        """A ``BEGIN IMMEDIATE`` transaction, committed on success and rolled back on error."""
        with _translate_errors(self.path), self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A deferred read transaction (a consistent snapshot in WAL mode)."""
        with _translate_errors(self.path), self.engine.connect() as conn, conn.begin():
            yield conn

    def pragmas(self) -> dict[str, Any]:
        """The durability settings of a live connection (for health checks and tests)."""
        with self.engine.connect() as conn:
            return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED_PRAGMAS}

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        orig = exc.orig
        if isinstance(orig, sqlite3.OperationalError | sqlite3.DatabaseError):
            text = str(orig).lower()
            if "disk is full" in text or "database or disk is full" in text:
                raise StorageError(f"the disk holding {path} is full") from exc
            if "readonly" in text or "read-only" in text:
                raise StorageError(f"{path} is read-only") from exc
            if "malformed" in text or "not a database" in text:
                raise StorageError(f"{path} is corrupt: {orig}") from exc
            if "unable to open" in text:
                raise StorageError(f"cannot open {path} (missing directory or no permission)") from exc
        raise
