"""A database written by release 0.1 is upgraded in place on start, keeping its data."""

from __future__ import annotations

import shutil
from pathlib import Path

from offline_cache.db import Database
from offline_cache.migrations import current_version
from offline_cache.pinyin_store import PinyinStore
from offline_cache.settings_store import SettingsStore

FIXTURE = Path(__file__).with_name("fixtures") / "release-0.1.db"


def test_release_0_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    shutil.copy(FIXTURE, path)
    db = Database(path)
    assert current_version(db, "settings") == 1
    settings = SettingsStore(db)  # opening runs the pending migrations
    assert current_version(db, "settings") == 2
    assert settings.get("ui.last_language") == "en_US"  # old data kept
    assert settings.all()["enrolled"]["source"] == "local"
    settings.set("poll_interval_s", 600, source="remote")
    assert settings.all()["poll_interval_s"]["source"] == "remote"
    assert PinyinStore(db).load()("社保卡") == ("she", "bao", "ka")  # served from the old cache
    with db.reader() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.close()
    assert FIXTURE.read_bytes() != path.read_bytes()  # the copy changed, the committed fixture did not
