"""Every connection is durable (WAL, synchronous=FULL, foreign keys, busy timeout); writers use BEGIN IMMEDIATE."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from offline_cache.db import Database, StorageError
from offline_cache.migrations import Migration, migrate


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    conns = [db.engine.connect() for _ in range(3)]  # distinct pooled connections
    try:
        for conn in conns:
            values = {
                n: conn.exec_driver_sql(f"PRAGMA {n}").scalar()
                for n in ("journal_mode", "synchronous", "foreign_keys")
            }
            assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    finally:
        for conn in conns:
            conn.close()
        db.close()


def test_writer_rolls_back_on_error_and_foreign_keys_hold(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    with db.writer() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))"
        )
    with pytest.raises(Exception, match="FOREIGN KEY"), db.writer() as conn:
        conn.exec_driver_sql("INSERT INTO parent VALUES (1)")
        conn.exec_driver_sql("INSERT INTO child VALUES (1, 99)")
    with db.reader() as conn:
        assert (
            conn.exec_driver_sql("SELECT count(*) FROM parent").scalar() == 0
        )  # the whole transaction rolled back
    db.close()


def test_writers_take_the_lock_at_begin(tmp_path: Path) -> None:
    """With BEGIN IMMEDIATE a second writer waits for the first instead of failing on upgrade."""
    db = Database(tmp_path / "k.db")
    with db.writer() as conn:
        conn.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        conn.exec_driver_sql("INSERT INTO counter VALUES (0)")

    def bump() -> None:
        for _ in range(50):
            with db.writer() as c:
                n = c.exec_driver_sql("SELECT n FROM counter").scalar()
                c.exec_driver_sql("UPDATE counter SET n = ?", (n + 1,))

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with db.reader() as conn:
        assert conn.exec_driver_sql("SELECT n FROM counter").scalar() == 200  # no lost update
    db.close()


def test_migrations_apply_once_and_refuse_downgrade(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    steps = [Migration(1, "t", ("CREATE TABLE t (a)",)), Migration(2, "col", ("ALTER TABLE t ADD COLUMN b",))]
    assert migrate(db, "demo", steps[:1]) == 1
    assert migrate(db, "demo", steps) == 2
    assert migrate(db, "demo", steps) == 2  # idempotent
    with pytest.raises(StorageError, match="newer than this release"):
        migrate(db, "demo", steps[:1])
    db.close()


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot create the data directory"):
        Database(blocker / "sub" / "k.db")


def test_unopenable_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "k.db").mkdir()  # a directory where the file should be: SQLite cannot open it
    db = Database(tmp_path / "k.db")
    with pytest.raises(StorageError, match="cannot open"), db.reader() as conn:
        conn.exec_driver_sql("SELECT 1")
    db.close()
