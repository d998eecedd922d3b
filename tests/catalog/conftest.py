"""Shared fixtures: one schema loader, the bundled seed document, one synthetic 10,000-item catalog."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from kiosk.catalog.generator import generate_catalog
from kiosk.catalog.loader import CatalogLoader
from kiosk.catalog.model import Catalog
from kiosk.paths import resource

SEED_PATH = resource("catalog", "seed_catalog.json")


@pytest.fixture(scope="session")
def loader() -> CatalogLoader:
    return CatalogLoader()


@pytest.fixture(scope="session")
def _seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def seed_doc(_seed_text: str) -> dict[str, Any]:
    """A fresh, mutable copy of the seed document for each test."""
    return json.loads(_seed_text)


@pytest.fixture(scope="session")
def seed(loader: CatalogLoader) -> Catalog:
    return loader.load_file(SEED_PATH)


@pytest.fixture(scope="session")
def big_doc() -> dict[str, Any]:
    return generate_catalog(10_000, seed=7)


@pytest.fixture
def small_doc() -> dict[str, Any]:
    return copy.deepcopy(generate_catalog(60, seed=3))
