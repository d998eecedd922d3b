"""Signed bundle import (offline) and first boot from the signed seed: every bad bundle is rejected."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.sync.engine import CatalogSync

from .helpers import Publisher, item, make_publisher


def records(n: int, start: int = 0) -> list[dict]:
    return [item(i) for i in range(start, start + n)]


def test_import_valid_bundle_then_info(engine: CatalogSync, publisher: Publisher, tmp_path: Path) -> None:
    path = publisher.write_bundle(tmp_path / "b.json", records(20), 3)
    result = engine.import_bundle(path)
    assert result.ok and result.result == "updated" and result.records == 20 and result.version_after == 3
    info = engine.info()
    assert info["version"] == 3 and info["item_count"] == 20 and info["verified"] is True
    assert info["signer"] == publisher.cert["key_id"] and info["expired"] is False
    assert info["last_sync_result"] == "ok" and info["source"] == "bundle:b.json"


def _assert_rejected(engine: CatalogSync, path: Path, reason: str, before: list[dict]) -> None:
    result = engine.import_bundle(path)
    assert not result.ok and result.reason == reason, result
    assert engine.store.live_records() == before
    assert engine.info()["last_sync_result"] == "failed"
    assert reason in engine.info()["last_error"]


def test_tampered_rolled_back_expired_unsigned_unknown_root_are_rejected(
    engine: CatalogSync, publisher: Publisher, tmp_path: Path
) -> None:
    engine.import_bundle(publisher.write_bundle(tmp_path / "good.json", records(5), 7))
    before = engine.store.live_records()

    tampered = publisher.changeset(records(5), 8)
    tampered["upserts"][2]["data"]["name"] = "篡改的事项"
    (tmp_path / "t.json").write_text(json.dumps(tampered, ensure_ascii=False), "utf-8")
    _assert_rejected(engine, tmp_path / "t.json", "bad_signature", before)

    extra = publisher.changeset(records(5), 8)
    extra["upserts"].append(item(99))  # a record smuggled in beside a valid signature
    (tmp_path / "x.json").write_text(json.dumps(extra), "utf-8")
    _assert_rejected(engine, tmp_path / "x.json", "bad_signature", before)

    _assert_rejected(engine, publisher.write_bundle(tmp_path / "old.json", records(5), 6), "rollback", before)

    expired = publisher.write_bundle(
        tmp_path / "exp.json", records(5), 9, expires=datetime.now(UTC) - timedelta(minutes=1)
    )
    _assert_rejected(engine, expired, "expired", before)

    unsigned = publisher.changeset(records(5), 9)
    del unsigned["signature"], unsigned["signer"]
    (tmp_path / "u.json").write_text(json.dumps(unsigned), "utf-8")
    _assert_rejected(engine, tmp_path / "u.json", "unsigned", before)

    stranger = make_publisher()
    _assert_rejected(
        engine, stranger.write_bundle(tmp_path / "s.json", records(5), 9), "unknown_root", before
    )

    # a signer certified by the right root but with a forged certificate
    forged = publisher.changeset(records(5), 9)
    forged["signer"]["not_after"] = "2999-01-01T00:00:00Z"
    (tmp_path / "f.json").write_text(json.dumps(forged), "utf-8")
    _assert_rejected(engine, tmp_path / "f.json", "bad_certificate", before)

    assert engine.info()["version"] == 7


def test_garbage_and_non_full_bundles(engine: CatalogSync, publisher: Publisher, tmp_path: Path) -> None:
    (tmp_path / "g.json").write_bytes(b"\x00\xffnot json")
    assert engine.import_bundle(tmp_path / "g.json").reason == "malformed"
    delta = publisher.changeset(records(2), 2, since=1, upserts=records(2))
    (tmp_path / "d.json").write_text(json.dumps(delta), "utf-8")
    assert engine.import_bundle(tmp_path / "d.json").reason == "malformed"
    missing = engine.import_bundle(tmp_path / "nope.json")
    assert missing.reason == "unreadable" and engine.info()["version"] == 0


def test_first_boot_imports_seed_once_even_if_expired(
    engine: CatalogSync, publisher: Publisher, tmp_path: Path
) -> None:
    # the seed is signed by the pinned root; it may be past its expiry on a kiosk's first boot
    seed = publisher.write_bundle(
        tmp_path / "seed.signed.json", records(8), 1, expires=datetime.now(UTC) - timedelta(days=1)
    )
    result = engine.ensure_catalog(seed)
    assert result is not None and result.ok and engine.info()["version"] == 1
    assert engine.info()["expired"] is True
    assert engine.ensure_catalog(seed) is None  # a catalog exists: the seed is not imported again
    # the same expired file is refused as an ordinary import (and as an update)
    assert engine.import_bundle(seed).reason == "expired"


def test_first_boot_seed_must_still_be_signed(
    engine: CatalogSync, publisher: Publisher, tmp_path: Path
) -> None:
    bad = publisher.changeset(records(3), 1)
    bad["upserts"][0]["data"]["fee"] = 0
    (tmp_path / "seed.json").write_text(json.dumps(bad), "utf-8")
    result = engine.ensure_catalog(tmp_path / "seed.json")
    assert result is not None and result.reason == "bad_signature" and engine.info()["version"] == 0


def test_first_boot_without_seed_reports_it(engine: CatalogSync, tmp_path: Path) -> None:
    result = engine.ensure_catalog(tmp_path / "missing.json")
    assert result is not None and result.reason == "no_seed" and not result.ok
