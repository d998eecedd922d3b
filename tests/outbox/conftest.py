"""Fixtures for outbox tests: a real SQLite database, spool directory and key file in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.outbox.service import Outbox, open_outbox
from offline_cache.db import Database


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "data" / "kiosk.db")
    yield database
    database.close()


@pytest.fixture
def clock():
    class Clock:
        now = 1_750_000_000.0

        def __call__(self) -> float:
            return self.now

    return Clock()


@pytest.fixture
def outbox(db: Database, tmp_path: Path, clock) -> Outbox:
    return open_outbox(db, tmp_path / "data", "ksk-001", retention_days=7, clock=clock)
