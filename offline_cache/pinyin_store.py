"""Persisted pinyin of catalog texts, so start-up never recomputes what an earlier run knew."""

from __future__ import annotations

import json

from offline_cache.db import Database
from offline_cache.migrations import Migration, migrate
from offline_cache.pinyin_keys import PinyinCache

MIGRATIONS = [
    Migration(
        1,
        "pinyin cache",
        ("CREATE TABLE pinyin_cache (text TEXT PRIMARY KEY, syllables TEXT NOT NULL) WITHOUT ROWID",),
    ),
]


class PinyinStore:
    """Loads a ``PinyinCache`` from SQLite and saves what it computed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        migrate(db, "pinyin", MIGRATIONS)

    def load(self) -> PinyinCache:
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql("SELECT text, syllables FROM pinyin_cache").all()
        return PinyinCache({text: tuple(json.loads(syl)) for text, syl in rows})

    def save(self, cache: PinyinCache) -> int:
        """Persist the entries computed since load; returns how many were written."""
        new = cache.computed
        if not new:
            return 0
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "INSERT OR REPLACE INTO pinyin_cache (text, syllables) VALUES (?, ?)",
                [(text, json.dumps(list(syl))) for text, syl in new.items()],
            )
        count = len(new)
        new.clear()
        return count
