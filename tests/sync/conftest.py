"""Fixtures for catalog sync tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.sync.engine import CatalogSync
from offline_cache.catalog_store import CatalogStore
from offline_cache.db import Database

from .helpers import Publisher, make_publisher


@pytest.fixture
def publisher() -> Publisher:
    return make_publisher()


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "kiosk.db")
    yield database
    database.close()


@pytest.fixture
def engine(db: Database, publisher: Publisher) -> CatalogSync:
    return CatalogSync(CatalogStore(db), [publisher.root_public])
