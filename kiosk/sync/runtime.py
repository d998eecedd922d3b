"""Wiring of the platform-facing services from the configuration (used by kiosk startup and the CLI).

services = open_sync_services(config)          # opens <data_dir>/kiosk.db, migrates
services.ensure_catalog()                       # first boot: import the signed seed, offline
services.start_background()                     # uploader thread + catalog poller thread
...
services.stop()                                 # on shutdown
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config import KioskConfig
from kiosk.outbox.model import Receipt, SubmissionDraft
from kiosk.outbox.service import Outbox, open_outbox
from kiosk.outbox.status import StatusService
from kiosk.outbox.uploader import DrainResult, OutboxUploader
from kiosk.paths import RESOURCES_DIR, DataPaths
from kiosk.platform.client import PlatformClient
from kiosk.sync.backoff import Backoff
from kiosk.sync.engine import CatalogSync, SyncResult
from kiosk.sync.poller import DeviceStates, Heartbeat, SyncPoller
from kiosk.sync.trust import load_credential, load_root_keys
from offline_cache.catalog_store import CatalogStore
from offline_cache.db import Database

log = logging.getLogger(__name__)
APP_VERSION = "0.1.0"


def signed_seed_path(config: KioskConfig, resources_dir: Path = RESOURCES_DIR) -> Path:
    """``<seed>.signed.json`` next to a configured seed, else ``resources/catalog/seed_catalog.signed.json``."""
    configured = config.catalog.seed_path
    if configured:
        p = Path(configured)
        candidate = p if p.name.endswith(".signed.json") else p.with_name(p.stem + ".signed.json")
        if candidate.exists():
            return candidate
    return resources_dir / "catalog" / "seed_catalog.signed.json"


def kiosk_identity(config: KioskConfig, data_dir: Path) -> tuple[str, str | None]:
    """``(kiosk_id, base64 secret)``: the enrollment record wins over the configuration."""
    cred = load_credential(data_dir)
    secret = config.platform.kiosk_secret or (cred.secret if cred else None)
    kiosk_id = cred.kiosk_id if cred else config.kiosk.id
    return kiosk_id, secret or None


def build_client(config: KioskConfig, data_dir: Path, timeout: float | None = None) -> PlatformClient | None:
    """A platform client (one per thread), or None when ``platform.url`` is empty (offline-only kiosk)."""
    p = config.platform
    if not p.url:
        return None
    kiosk_id, secret = kiosk_identity(config, data_dir)
    return PlatformClient(
        p.url,
        kiosk_id,
        secret,
        timeout=timeout or p.timeout_s,
        verify_tls=p.verify_tls,
        ca_file=p.ca_file or None,
        client_cert=p.client_cert or None,
        client_key=p.client_key or None,
    )


@dataclass
class SyncServices:
    """Everything the kiosk needs to talk to the platform; owned by the kiosk core."""

    config: KioskConfig
    data_dir: Path
    db: Database
    catalog_store: CatalogStore
    catalog: CatalogSync
    outbox: Outbox
    client: PlatformClient | None
    uploader: OutboxUploader | None
    poller: SyncPoller | None
    seed_path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    def ensure_catalog(self) -> SyncResult | None:
        """Import the signed seed if no verified catalog exists (works offline)."""
        return self.catalog.ensure_catalog(self.seed_path)

    def start_background(self) -> None:
        """Start the uploader and poller threads (no-op without a platform URL)."""
        self.outbox.sweep_orphans()
        if self.uploader:
            self.uploader.start()
        if self.poller:
            self.poller.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self.poller:
            self.poller.stop(timeout)
        if self.uploader:
            self.uploader.stop(timeout)
        clients = [self.client, self.uploader.client if self.uploader else None]
        if "status" in self.extra:
            clients.append(self.extra["status"].client)
        for client in clients:
            if client is not None:
                client.close()

    def close(self) -> None:
        self.stop()
        self.db.close()

    def enqueue_submission(self, draft: SubmissionDraft) -> Receipt:
        """Durably queue a submission (show the receipt only after this returns) and wake the uploader."""
        receipt = self.outbox.enqueue_submission(draft)
        if self.uploader:
            self.uploader.wake()
        return receipt

    def enqueue_evaluation(self, receipt_no: str, rating: int, **kw: Any) -> str:
        key = self.outbox.enqueue_evaluation(receipt_no, rating, **kw)
        if self.uploader:
            self.uploader.wake()
        return key

    @property
    def status(self) -> StatusService:
        """进度查询: platform first (short timeout), else last known status + 待上传."""
        if "status" not in self.extra:
            self.extra["status"] = StatusService(self.outbox, build_client(self.config, self.data_dir, 5.0))
        return self.extra["status"]

    def sync_round(self) -> dict[str, Any]:
        """``kiosk sync``: catalog round, an outbox drain attempt and the retention purge."""
        catalog = self.catalog.sync()
        drain = (
            self.uploader.drain_once() if self.uploader else DrainResult(last_error="no platform configured")
        )
        purged = self.outbox.purge_expired()
        return {
            "catalog": catalog.as_dict(),
            "outbox": {**drain.as_dict(), "purged": purged, "summary": self.outbox.summary()},
            "ok": catalog.ok and not drain.busy and drain.paused_for_s is None and self.client is not None,
        }


def open_sync_services(
    config: KioskConfig,
    *,
    db: Database | None = None,
    data_dir: Path | None = None,
    resources_dir: Path = RESOURCES_DIR,
    device_states: DeviceStates | None = None,
    on_catalog_updated: Callable[[SyncResult], None] | None = None,
    rng: random.Random | None = None,
) -> SyncServices:
    """Build (not start) the catalog sync, outbox, uploader and poller of this kiosk."""
    data_dir = Path(data_dir or config.data_dir)
    paths = DataPaths(data_dir)
    db = db or Database(paths.database)
    rng = rng or random.Random()
    client = build_client(config, data_dir)
    kiosk_id, _ = kiosk_identity(config, data_dir)
    store = CatalogStore(db)
    catalog = CatalogSync(store, load_root_keys(resources_dir / "keys", data_dir), client)
    outbox = open_outbox(
        db,
        data_dir,
        kiosk_id,
        retention_days=config.outbox.retention_days,
        key_file=config.outbox.key_file or None,
    )
    uploader = poller = None
    if client is not None:
        uploader = OutboxUploader(
            outbox,
            build_client(config, data_dir),  # its own session: the uploader runs in its own thread
            lock_path=data_dir / "outbox.lock",
            chunk_bytes=config.outbox.chunk_bytes,
            backoff=Backoff(base=2.0, cap=900.0, rng=rng),
        )
        heartbeat = Heartbeat(
            client,
            kiosk_id,
            app_version=APP_VERSION,
            catalog_version=lambda: store.state().version,
            queue_stats=outbox.summary,
            device_states=device_states,
        )
        poller = SyncPoller(
            catalog,
            interval_s=config.platform.poll_interval_s,
            heartbeat=heartbeat,
            on_catalog_updated=on_catalog_updated,
            rng=rng,
        )
    return SyncServices(
        config,
        data_dir,
        db,
        store,
        catalog,
        outbox,
        client,
        uploader,
        poller,
        signed_seed_path(config, resources_dir),
    )
