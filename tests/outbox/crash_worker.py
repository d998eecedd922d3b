"""Kiosk-side uploader process for the SIGKILL crash test (tests/outbox/test_crash.py).

Usage: crash_worker.py DATA_DIR BASE_URL KIOSK_ID (secret in $KIOSK_TEST_SECRET). Prints ``ready`` once imported and opened,
then drains the outbox until it is empty and ``DATA_DIR/producer.done`` exists (exit 0).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from kiosk.outbox.service import open_outbox
from kiosk.outbox.uploader import OutboxUploader
from kiosk.platform.client import PlatformClient
from kiosk.sync.backoff import Backoff
from offline_cache.db import Database


def main(data_dir: Path, base_url: str, kiosk_id: str, secret: str) -> int:
    db = Database(data_dir / "kiosk.db")
    outbox = open_outbox(db, data_dir, kiosk_id)
    uploader = OutboxUploader(
        outbox,
        PlatformClient(base_url, kiosk_id, secret, timeout=5),
        lock_path=data_dir / "outbox.lock",
        chunk_bytes=16_384,
        backoff=Backoff(base=0.01, cap=0.05, rng=random.Random()),
    )
    print("ready", flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        uploader.drain_once()
        counts = outbox.summary()["counts"]
        if counts["pending"] + counts["uploading"] == 0 and (data_dir / "producer.done").exists():
            print(f"drained {counts}", flush=True)
            return 0
        time.sleep(0.02)
    return 3


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], os.environ["KIOSK_TEST_SECRET"]))
