"""Kiosk-local settings and the remote configuration received with heartbeats (key → JSON value)."""

from __future__ import annotations

import json
from typing import Any

from offline_cache.db import Database
from offline_cache.migrations import Migration, migrate

MIGRATIONS = [
    Migration(1, "settings", ("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",)),
    Migration(
        2,
        "settings know where they came from and when",
        (
            "ALTER TABLE settings ADD COLUMN source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'remote'))",
            "ALTER TABLE settings ADD COLUMN updated_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z'",
            "UPDATE settings SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        ),
    ),
]


class SettingsStore:
    """Small persistent settings; ``source`` is ``local`` (technician) or ``remote`` (platform)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        migrate(db, "settings", MIGRATIONS)

    def get(self, key: str, default: Any = None) -> Any:
        with self.db.reader() as conn:
            row = conn.exec_driver_sql("SELECT value FROM settings WHERE key = ?", (key,)).first()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any, source: str = "local") -> None:
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value, source, updated_at) "
                "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, source = excluded.source, "
                "updated_at = excluded.updated_at",
                (key, json.dumps(value, ensure_ascii=False), source),
            )

    def all(self) -> dict[str, dict[str, Any]]:
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql(
                "SELECT key, value, source, updated_at FROM settings ORDER BY key"
            ).all()
        return {k: {"value": json.loads(v), "source": s, "updated_at": u} for k, v, s, u in rows}
