"""Startup wiring: first boot offline from the signed seed (pinned keys), then the background threads."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from outbox.helpers import draft

from kiosk.config import load_config
from kiosk.platform import signing
from kiosk.sync.runtime import open_sync_services
from kiosk.sync.trust import TrustError, load_root_keys, parse_public_key, save_credential

from .loopback import records, running_platform


def write_config(path: Path, data_dir: Path, url: str = "", kiosk_id: str = "ksk-001") -> Path:
    path.write_text(
        f'[kiosk]\nid = "{kiosk_id}"\ndata_dir = "{data_dir}"\n[platform]\nurl = "{url}"\ntimeout_s = 3.0\n'
        "poll_interval_s = 5\n",
        "utf-8",
    )
    return path


def wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_pinned_key_formats(tmp_path: Path) -> None:
    key = signing.generate_key()
    b64 = signing.b64e(signing.raw_public_key(key))
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "a.pub").write_text(b64 + "\n")
    (keys / "b.pub").write_bytes(pem)
    (keys / "c.pub").write_text(json.dumps({"public_key": b64}))
    assert load_root_keys(keys) == [b64]  # three spellings of one key
    with pytest.raises(TrustError, match=r"bad\.pub"):
        parse_public_key("bm90IGEga2V5", "bad.pub")


def test_first_boot_offline_then_background_upload_and_poll(tmp_path: Path) -> None:
    resources = tmp_path / "resources"
    (resources / "catalog").mkdir(parents=True)
    (resources / "keys").mkdir()
    data_dir = tmp_path / "data"
    with running_platform(tmp_path / "platform") as lb:
        lb.publish(records(20))
        seed = lb.server.platform.catalog.changeset(0)
        (resources / "catalog" / "seed_catalog.signed.json").write_text(
            json.dumps(seed, ensure_ascii=False), "utf-8"
        )
        (resources / "keys" / "catalog-root.pub").write_text(lb.roots[0] + "\n")

        # first boot without any network configured: the signed seed verifies against the pinned key
        offline = open_sync_services(
            load_config(write_config(tmp_path / "offline.toml", data_dir), env={}), resources_dir=resources
        )
        result = offline.ensure_catalog()
        assert result is not None and result.ok and offline.catalog.info()["item_count"] == 20
        assert offline.ensure_catalog() is None and offline.uploader is None and offline.poller is None
        receipt = offline.enqueue_submission(draft(1, images=1, size=3000))  # captured while offline
        assert offline.status.by_receipt(receipt.receipt_no).pending_upload
        offline.close()

        # later: enrolled and online, the threads deliver the queue and keep the catalog current
        save_credential(data_dir, lb.enrollment)
        lb.publish(records(25))
        updates = []
        online = open_sync_services(
            load_config(write_config(tmp_path / "online.toml", data_dir, lb.base_url), env={}),
            resources_dir=resources,
            on_catalog_updated=updates.append,
        )
        try:
            online.start_background()
            second = online.enqueue_submission(draft(2, images=2, size=3000))
            assert wait_for(lambda: len(lb.submissions()) == 2)
            assert sorted(s["receipt_no"] for s in lb.submissions()) == sorted(
                [receipt.receipt_no, second.receipt_no]
            )
            online.poller.trigger()
            assert wait_for(lambda: online.catalog.info()["version"] == 2)
            assert online.catalog.info()["item_count"] == 25 and updates and updates[0].version_after == 2
            assert wait_for(lambda: online.outbox.summary()["counts"]["sent"] == 2)
            status = online.status.by_receipt(receipt.receipt_no)
            assert status.source == "platform" and not status.pending_upload
            heartbeat = online.poller.heartbeat.body()
            assert heartbeat["catalog_version"] == 2 and heartbeat["queue_depth"] == 0
        finally:
            online.close()
        assert not online.uploader.running
