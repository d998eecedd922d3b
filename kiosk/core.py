"""The kiosk's Qt-free core, assembled once per process and handed to the UI and the CLI.

``build_core(config)`` opens the local database, loads the verified catalog, and builds the
search index (pinyin cached in SQLite so a restart does not recompute it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.catalog.model import Catalog
from kiosk.catalog.search import CatalogSearch, SearchEntry, SearchHit
from kiosk.config import KioskConfig
from kiosk.logs import SensitiveValues
from kiosk.paths import DataPaths, resource
from offline_cache.db import Database
from offline_cache.pinyin_store import PinyinStore

log = logging.getLogger("kiosk.core")

CatalogLoader = Callable[[Database, KioskConfig], Catalog]


def search_entries(catalog: Catalog) -> list[SearchEntry]:
    """Items and bundles as the search sees them."""
    entries = [
        SearchEntry(
            code=item.code,
            kind="item",
            name=item.name,
            department=item.department.name,
            aliases=item.aliases,
            codes=(item.code, item.basic_code),
            supported=item.kiosk_supported,
            popularity=item.popularity,
        )
        for item in catalog.items.values()
    ]
    for bundle in catalog.bundles:
        members = catalog.bundle_members(bundle)
        entries.append(
            SearchEntry(
                code=bundle.code,
                kind="bundle",
                name=bundle.name,
                department=bundle.lead_department.name,
                aliases=bundle.aliases,
                codes=(bundle.code,),
                supported=bool(members) and all(m.kiosk_supported for m in members),
                popularity=max((m.popularity for m in members), default=0) + 1,
            )
        )
    return entries


def load_seed_catalog(db: Database, config: KioskConfig) -> Catalog:
    """The bundled (or configured) seed catalog document."""
    from kiosk.catalog.loader import load_catalog_file

    path = Path(config.catalog.seed_path) if config.catalog.seed_path else resource("catalog", "seed_catalog.json")
    return load_catalog_file(path)


@dataclass
class KioskCore:
    """Everything the screens and commands need, built once and injected."""

    config: KioskConfig
    paths: DataPaths
    db: Database
    catalog: Catalog
    searcher: CatalogSearch
    pinyin_store: PinyinStore
    sensitive: SensitiveValues = field(default_factory=SensitiveValues)

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        return self.searcher.search(query, limit or self.config.catalog.search_limit)

    def replace_catalog(self, catalog: Catalog) -> None:
        """Swap in a newly verified catalog and rebuild the search index."""
        self.catalog = catalog
        self.searcher = build_search(catalog, self.pinyin_store, self.config.catalog.search_limit)

    def close(self) -> None:
        self.db.close()


def build_search(catalog: Catalog, store: PinyinStore, limit: int) -> CatalogSearch:
    cache = store.load()
    searcher = CatalogSearch(search_entries(catalog), catalog.synonyms, cache, default_limit=limit)
    saved = store.save(cache)
    if saved:
        log.info("pinyin computed for %d new catalog texts", saved)
    return searcher


def build_core(config: KioskConfig, catalog_loader: CatalogLoader | None = None) -> KioskCore:
    paths = DataPaths(config.data_dir)
    db = Database(paths.database)
    catalog = (catalog_loader or load_seed_catalog)(db, config)
    store = PinyinStore(db)
    searcher = build_search(catalog, store, config.catalog.search_limit)
    return KioskCore(config=config, paths=paths, db=db, catalog=catalog, searcher=searcher, pinyin_store=store)
