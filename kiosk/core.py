"""The kiosk's Qt-free core, assembled once per process and handed to the UI and the CLI.

``build_core(config)`` opens the local database, makes sure a *verified* catalog exists (the
signed seed on first boot, offline), loads it, and builds the search index (pinyin cached in
SQLite so a restart does not recompute it). ``start_background()`` starts the platform sync and
the outbox uploader; catalog updates from the platform swap in atomically and notify listeners.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.catalog.loader import CatalogLoader
from kiosk.catalog.model import Catalog
from kiosk.catalog.search import CatalogSearch, SearchEntry, SearchHit
from kiosk.config import KioskConfig
from kiosk.logs import SensitiveValues
from kiosk.paths import DataPaths
from kiosk.sync.runtime import SyncServices, open_sync_services
from offline_cache.db import Database
from offline_cache.pinyin_store import PinyinStore

if TYPE_CHECKING:
    from kiosk.hardware.device_set import DeviceSet

log = logging.getLogger("kiosk.core")

CatalogListener = Callable[[Catalog], None]


class CatalogUnavailable(RuntimeError):
    """No verified catalog could be loaded (the signed seed is missing or fails verification)."""


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
        for item in catalog.item_list
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


def build_search(catalog: Catalog, store: PinyinStore, limit: int) -> CatalogSearch:
    cache = store.load()
    searcher = CatalogSearch(search_entries(catalog), catalog.synonyms, cache, default_limit=limit)
    saved = store.save(cache)
    if saved:
        log.info("pinyin computed for %d new catalog texts", saved)
    return searcher


@dataclass
class KioskCore:
    """Everything the screens and commands need, built once and injected."""

    config: KioskConfig
    paths: DataPaths
    db: Database
    catalog: Catalog
    searcher: CatalogSearch
    pinyin_store: PinyinStore
    sync: SyncServices
    loader: CatalogLoader
    sensitive: SensitiveValues = field(default_factory=SensitiveValues)
    devices: DeviceSet | None = None  # started only for the kiosk window (``with_devices``)
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. the demo's platform
    _listeners: list[CatalogListener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        return self.searcher.search(query, limit or self.config.catalog.search_limit)

    def add_catalog_listener(self, listener: CatalogListener) -> None:
        """``listener(catalog)`` runs on the sync thread after a new verified catalog is live."""
        with self._lock:
            self._listeners.append(listener)

    def reload_catalog(self) -> Catalog:
        """Load the verified catalog from the store and swap it in with a fresh search index."""
        catalog = load_verified_catalog(self.sync, self.loader)
        searcher = build_search(catalog, self.pinyin_store, self.config.catalog.search_limit)
        with self._lock:
            self.catalog, self.searcher = catalog, searcher
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(catalog)
            except Exception:
                log.exception("catalog listener failed")
        return catalog

    def start_background(self) -> None:
        """Start the platform sync poller and the outbox uploader (nothing without a platform URL)."""
        self.sync.start_background()

    def on_close(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        self.sync.stop()
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:
                log.exception("shutdown step failed")
        self.db.close()


def load_verified_catalog(sync: SyncServices, loader: CatalogLoader) -> Catalog:
    doc = sync.catalog.current_document()
    if doc is None:
        raise CatalogUnavailable("no verified catalog in the local store")
    return loader.load_document(doc)


def build_core(
    config: KioskConfig, sensitive: SensitiveValues | None = None, *, with_devices: bool = False
) -> KioskCore:
    """Open storage, ensure a verified catalog (signed seed on first boot), build the search index.

    ``with_devices`` (the kiosk window) also builds and starts the configured devices; technician
    commands that only need the catalog leave them alone.
    """
    paths = DataPaths(config.data_dir)
    db = Database(paths.database)
    core_ref: list[KioskCore] = []

    def on_catalog_updated(result: Any) -> None:
        if core_ref:
            core_ref[0].reload_catalog()

    def device_states() -> dict[str, dict[str, Any]]:
        devices = core_ref[0].devices if core_ref else None
        return devices.heartbeat_states() if devices is not None else {}

    try:
        sync = open_sync_services(
            config, db=db, device_states=device_states, on_catalog_updated=on_catalog_updated
        )
    except BaseException:
        db.close()
        raise
    try:
        core = _assemble(config, paths, db, sync, sensitive)
    except BaseException:
        sync.close()  # also closes the database
        raise
    core_ref.append(core)
    if with_devices:
        from kiosk.hardware.device_set import DeviceSet

        try:
            core.devices = DeviceSet.from_config(config)
            core.on_close(core.devices.stop)
            core.devices.start()
        except BaseException:
            core.close()
            raise
    return core


def _assemble(
    config: KioskConfig, paths: DataPaths, db: Database, sync: SyncServices, sensitive: SensitiveValues | None
) -> KioskCore:
    result = sync.ensure_catalog()
    if result is not None and not result.ok:
        log.error("the signed seed catalog was rejected: %s", result.as_dict().get("error"))
    loader = CatalogLoader()
    try:
        catalog = load_verified_catalog(sync, loader)
    except CatalogUnavailable:
        raise CatalogUnavailable(
            f"no verified catalog: the signed seed {sync.seed_path} is missing or failed verification; "
            "import a signed bundle with `kiosk catalog import FILE`"
        ) from None
    store = PinyinStore(db)
    searcher = build_search(catalog, store, config.catalog.search_limit)
    return KioskCore(
        config=config,
        paths=paths,
        db=db,
        catalog=catalog,
        searcher=searcher,
        pinyin_store=store,
        sync=sync,
        loader=loader,
        sensitive=sensitive or SensitiveValues(),
    )
