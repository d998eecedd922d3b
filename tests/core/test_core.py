"""The core boots from the signed seed, offline, and refuses an unverified catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.core import CatalogUnavailable, build_core
from kiosk.paths import resource


def test_first_boot_offline_from_the_signed_seed(tmp_path: Path) -> None:
    config = load_config(env={"KIOSK_DATA_DIR": str(tmp_path)})
    core = build_core(config)
    try:
        assert len(core.catalog.items) >= 200
        assert core.sync.catalog.info()["verified"] is True
        assert core.search("sbk", limit=3)[0].name.startswith("社会保障卡")
        assert core.devices is None  # technician commands never start devices
    finally:
        core.close()
    again = build_core(config)  # second start: from the local store, pinyin from the cache
    try:
        assert again.catalog.version == core.catalog.version
    finally:
        again.close()


def test_a_tampered_seed_is_refused_and_nothing_is_left_open(tmp_path: Path) -> None:
    seed_dir = tmp_path / "seed"
    seed_dir.mkdir()
    shutil.copy(resource("catalog", "seed_catalog.json"), seed_dir / "seed_catalog.json")
    signed = json.loads(resource("catalog", "seed_catalog.signed.json").read_text(encoding="utf-8"))
    item = next(r for r in signed["upserts"] if r["kind"] == "item")
    item["data"]["fees"] = [{"name": "手续费", "standard": "999元"}]  # tampered after signing
    (seed_dir / "seed_catalog.signed.json").write_text(
        json.dumps(signed, ensure_ascii=False), encoding="utf-8"
    )
    config = load_config(
        env={
            "KIOSK_DATA_DIR": str(tmp_path / "data"),
            "KIOSK_CATALOG_SEED_PATH": str(seed_dir / "seed_catalog.json"),
        }
    )
    with pytest.raises(CatalogUnavailable, match="failed verification"):
        build_core(config)
