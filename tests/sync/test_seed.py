"""The committed signed seed: verifies against the pinned root and matches its source document."""

from __future__ import annotations

import json

from kiosk.catalog.records import document_to_records
from kiosk.paths import RESOURCES_DIR
from kiosk.sync.engine import CatalogSync
from kiosk.sync.trust import load_root_keys
from offline_cache.catalog_store import CatalogStore
from offline_cache.db import Database

SEED = RESOURCES_DIR / "catalog" / "seed_catalog.signed.json"
SOURCE = RESOURCES_DIR / "catalog" / "seed_catalog.json"
REGENERATE = "regenerate it: .venv/bin/python -m kiosk.sync.seed --signing-dir <keys dir outside the repo>"


def test_first_boot_offline_from_the_committed_signed_seed(db: Database) -> None:
    roots = load_root_keys(RESOURCES_DIR / "keys")
    assert roots, "resources/keys/*.pub must pin the catalog root"
    engine = CatalogSync(CatalogStore(db), roots)  # no client: offline
    result = engine.ensure_catalog(SEED)
    assert result is not None and result.ok, f"{result}; {REGENERATE}"
    info = engine.info()
    source = json.loads(SOURCE.read_text("utf-8"))
    assert info["item_count"] == len(source["items"]) and info["verified"] and not info["expired"]
    assert info["source"] == "bundle:seed_catalog.signed.json"
    doc = engine.current_document()
    assert doc is not None and [i["code"] for i in doc["items"]] == [i["code"] for i in source["items"]]


def test_signed_seed_is_up_to_date_with_its_source() -> None:
    bundle = json.loads(SEED.read_text("utf-8"))
    expected = sorted(
        document_to_records(json.loads(SOURCE.read_text("utf-8"))), key=lambda r: (r["kind"], r["id"])
    )
    assert bundle["upserts"] == expected, f"seed_catalog.json changed after signing; {REGENERATE}"
