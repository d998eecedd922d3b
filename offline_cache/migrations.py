"""Versioned schema migrations, one version counter per component.

Each store declares ``MIGRATIONS: list[Migration]`` (ordered, never edited once released) and calls
``migrate(db, component, MIGRATIONS)`` when it opens. A database written by an older release is
upgraded in place, each step in its own ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from offline_cache.db import Database, StorageError

Step = str | Callable[[Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    steps: tuple[Step, ...]


_BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)
"""


def current_version(db: Database, component: str) -> int:
    with db.writer() as conn:
        conn.exec_driver_sql(_BOOTSTRAP)
        row = conn.exec_driver_sql(
            "SELECT version FROM schema_versions WHERE component = ?", (component,)
        ).first()
    return int(row[0]) if row else 0


def migrate(db: Database, component: str, migrations: Sequence[Migration]) -> int:
    """Apply the pending migrations of ``component``; returns the resulting version."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"{component}: migration versions must be 1..n in order, got {versions}")
    version = current_version(db, component)
    if version > len(migrations):
        raise StorageError(
            f"{db.path} holds {component} schema version {version}, newer than this release knows "
            f"({len(migrations)}); refusing to downgrade"
        )
    for migration in migrations[version:]:
        with db.writer() as conn:
            for step in migration.steps:
                if isinstance(step, str):
                    conn.exec_driver_sql(step)
                else:
                    step(conn)
            conn.exec_driver_sql(
                "INSERT INTO schema_versions (component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                (component, migration.version),
            )
        version = migration.version
    return version
