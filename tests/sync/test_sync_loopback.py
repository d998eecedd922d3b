"""Catalog sync against the real platform on loopback: deltas, rejection of bad data, cut connections."""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.sync.engine import CatalogSync
from kiosk.sync.poller import Heartbeat, SyncPoller
from offline_cache.catalog_store import CatalogStore
from offline_cache.db import Database

from .loopback import Loopback, TruncatingProxy, records, running_platform


@pytest.fixture
def platform(tmp_path: Path):
    with running_platform(tmp_path / "platform") as lb:
        yield lb


def kiosk_engine(
    db: Database, lb: Loopback, base_url: str | None = None, timeout: float = 5.0
) -> CatalogSync:
    return CatalogSync(CatalogStore(db), lb.roots, lb.client(timeout=timeout, base_url=base_url))


def server_live(lb: Loopback) -> list[dict]:
    return lb.server.platform.catalog.changeset(0)["upserts"]


def test_full_sync_then_deltas_with_tombstones(db: Database, platform: Loopback) -> None:
    platform.publish(records(50))
    engine = kiosk_engine(db, platform)
    first = engine.sync()
    assert first.result == "updated" and first.version_after == 1 and first.records == 51
    full_bytes = first.bytes

    changed = records(50, tag="（新）")[:5] + records(40)[5:]  # 5 renamed, 10 removed, meta dropped
    platform.publish(changed)
    second = engine.sync()
    assert second.result == "updated" and second.version_after == 2 and not second.full_refetch
    assert second.bytes < full_bytes / 3
    assert engine.store.live_records() == server_live(platform)
    assert engine.info()["item_count"] == 40

    third = engine.sync()  # nothing new: verified again, nothing changed
    assert third.result == "up_to_date" and third.version_after == 2


def test_tampered_changeset_is_rejected_and_last_good_kept(db: Database, platform: Loopback) -> None:
    platform.publish(records(10))
    engine = kiosk_engine(db, platform)
    assert engine.sync().ok
    good = engine.store.live_records()
    platform.publish(records(10, tag="v2"))
    platform.sql(
        "UPDATE catalog_records SET data_json = replace(data_json, '补领', '篡改') WHERE record_id = 'ITEM00003'"
    )
    result = engine.sync()
    assert result.result == "failed" and result.reason == "bad_signature" and result.full_refetch
    assert engine.store.live_records() == good
    info = engine.info()
    assert (
        info["version"] == 1
        and info["last_sync_result"] == "failed"
        and "bad_signature" in info["last_error"]
    )


def test_unsigned_changeset_is_rejected(db: Database, platform: Loopback) -> None:
    platform.publish(records(3))
    engine = kiosk_engine(db, platform)
    assert engine.sync().ok
    platform.publish(records(4))
    platform.sql(
        "UPDATE catalog_versions SET signature_json = :s WHERE version = 2",
        s=json.dumps({"signature": None, "signer": None}),
    )
    result = engine.sync()
    assert result.reason == "unsigned" and engine.info()["version"] == 1 and engine.info()["item_count"] == 3


def test_expired_publication_is_rejected(db: Database, platform: Loopback) -> None:
    platform.publish(records(3))
    engine = kiosk_engine(db, platform)
    assert engine.sync().ok
    platform.publish(records(6), expires_days=1, now=datetime.now(UTC) - timedelta(days=2))
    result = engine.sync()
    assert result.reason == "expired" and engine.info()["version"] == 1 and engine.info()["item_count"] == 3


def test_rollback_to_an_older_platform_is_rejected(db: Database, tmp_path: Path, platform: Loopback) -> None:
    for n in (3, 4, 5):
        platform.publish(records(n))
    engine = kiosk_engine(db, platform)
    assert engine.sync().version_after == 3
    # a stale mirror holding the same keys but only version 1 of the catalog
    stale_dir = tmp_path / "stale"
    stale_dir.mkdir()
    shutil.copytree(platform.server.platform.data_dir / "keys", stale_dir / "keys")
    with running_platform(stale_dir, kiosk_id=platform.kiosk_id) as stale:
        stale.publish(records(1))
        engine.client = stale.client()
        result = engine.sync()
    assert result.reason == "rollback" and result.full_refetch
    assert engine.info()["version"] == 3 and engine.info()["item_count"] == 5


def test_connection_cut_mid_response_leaves_catalog_intact(db: Database, platform: Loopback) -> None:
    platform.publish(records(5))
    engine = kiosk_engine(db, platform)
    assert engine.sync().ok
    before = engine.store.live_records()
    platform.publish(records(300, tag="v2"))
    with TruncatingProxy(platform.server.port, cut_after=3000) as proxy:
        engine.client = platform.client(base_url=proxy.base_url)
        result = engine.sync()
        assert proxy.cuts >= 1
    assert result.result == "offline" and result.version_after == 1
    assert engine.store.live_records() == before
    assert engine.info()["last_sync_result"] == "failed"
    engine.client = platform.client()
    assert engine.sync().version_after == 2  # and it recovers once the network is whole


def test_server_errors_timeouts_and_429_are_offline_not_failures_of_data(
    db: Database, platform: Loopback
) -> None:
    platform.publish(records(5))
    engine = kiosk_engine(db, platform, timeout=0.5)
    platform.faults.configure(fail_rate=1.0)
    assert engine.sync().result == "offline"
    platform.faults.configure(fail_rate=0.0, delay_rate=1.0, delay_s=1.0)
    slow = engine.sync()
    assert slow.result == "offline" and "Timeout" in slow.error
    platform.faults.configure(delay_rate=0.0, rate_limit_rate=1.0, retry_after_s=7)
    limited = engine.sync()
    assert limited.result == "offline" and limited.retry_after == 7
    platform.faults.clear()
    assert engine.sync().version_after == 1


def test_poller_heartbeat_config_jitter_and_retry_after(db: Database, platform: Loopback) -> None:
    platform.publish(records(5))
    engine = kiosk_engine(db, platform)
    hb = Heartbeat(engine.client, platform.kiosk_id, app_version="t", catalog_version=lambda: 0)
    poller = SyncPoller(engine, interval_s=300, heartbeat=hb, rng=random.Random(1))
    r1 = poller.round()
    assert r1.result == "updated" and hb.remote_config["latest_catalog_version"] == 1
    assert 240 <= poller._after(r1) <= 360  # jittered interval
    assert poller.round().result == "up_to_date"
    platform.faults.configure(rate_limit_rate=1.0, retry_after_s=42)
    r3 = poller.round()
    assert not r3.ok and r3.retry_after == 42
    assert all(poller._after(r3) >= 42 for _ in range(20))  # never sooner than Retry-After
    platform.faults.clear()
    assert poller.round().ok and poller._after(poller.last_result) >= 240
    platform.server.platform.heartbeat.set_config("poll_interval_s", 60)  # remote configuration
    assert poller.round().ok and poller.interval_s == 60 and 48 <= poller._after(poller.last_result) <= 72
