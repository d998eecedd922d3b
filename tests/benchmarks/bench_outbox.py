"""Outbox: enqueue latency with three 1 MB images, and draining 1,000 queued submissions on loopback.

Run: ``.venv/bin/python tests/benchmarks/bench_outbox.py [N_DRAIN]``.

* Enqueue = seal (AES-GCM) + write + fsync three 1 MB files, fsync the spool directory, then one
  ``BEGIN IMMEDIATE`` transaction (receipt counter + rows) with ``synchronous=FULL``: the time a
  citizen waits between 提交 and the receipt. Compared with the same work without any fsync.
* Drain = the uploader thread's pass over N queued submissions against the real reference platform
  on 127.0.0.1 (tus create + PATCH with sha256 per chunk, then POST with Idempotency-Key), once with
  form-only submissions and once with one 30 KB scan each.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync.loopback import running_platform  # noqa: E402

from kiosk.outbox.model import Applicant, Attachment, MaterialEntry, SubmissionDraft  # noqa: E402
from kiosk.outbox.service import open_outbox  # noqa: E402
from kiosk.outbox.uploader import OutboxUploader  # noqa: E402
from offline_cache.db import Database  # noqa: E402

APPLICANT = Applicant("居民身份证", "110101199003071234", "张三", "13912345678")


def draft(images: int, size: int) -> SubmissionDraft:
    mats = tuple(
        MaterialEntry(f"材料{i}", Attachment(os.urandom(size), "image/jpeg", f"scan{i}.jpg"))
        for i in range(images)
    )
    return SubmissionDraft("330106-000-XK-001", APPLICANT, {"地址": "文三路 100 号"}, mats)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_enqueue(rounds: int = 40) -> list[tuple[str, str, str, str]]:
    rows = []
    variants = (
        ("enqueue (fsync files + dir, SQLite FULL)", False),
        ("same, file fsyncs disabled (reference)", True),
    )
    for label, no_fsync in variants:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(Path(tmp) / "kiosk.db")
            box = open_outbox(db, Path(tmp), "bench-001")
            drafts = [draft(3, 1_000_000) for _ in range(rounds)]
            times = []
            with mock.patch("kiosk.outbox.spool.os.fsync", lambda fd: None) if no_fsync else nullcontext():
                for d in drafts:
                    start = time.perf_counter()
                    box.enqueue_submission(d)
                    times.append((time.perf_counter() - start) * 1000)
            db.close()
        rows.append((label, f"{statistics.median(times):.1f}", f"{pct(times, 95):.1f}", f"{max(times):.1f}"))
    return rows


def bench_drain(n: int) -> list[tuple[str, str, str, str]]:
    rows = []
    for label, images, size in (("form only", 0, 0), ("one 30 KB scan each", 1, 30_000)):
        with tempfile.TemporaryDirectory() as tmp, running_platform(Path(tmp) / "platform") as lb:
            db = Database(Path(tmp) / "kiosk" / "kiosk.db")
            box = open_outbox(db, Path(tmp) / "kiosk", lb.kiosk_id)
            for _ in range(n):
                box.enqueue_submission(draft(images, size))
            uploader = OutboxUploader(box, lb.client(timeout=30), lock_path=Path(tmp) / "kiosk" / "lock")
            start = time.perf_counter()
            result = uploader.drain_once()
            elapsed = time.perf_counter() - start
            assert result.sent == n and len(lb.submissions()) == n, result
            db.close()
        rows.append(
            (
                f"drain {n:,} ({label})",
                f"{elapsed:.1f} s",
                f"{n / elapsed:.0f}/s",
                f"{elapsed / n * 1000:.1f} ms",
            )
        )
    return rows


def main(n_drain: int = 1000) -> None:
    enq = bench_enqueue()
    print("outbox enqueue with three 1 MB images (ms)")
    print(f"{'variant':<42} {'p50':>7} {'p95':>7} {'max':>7}")
    for row in enq:
        print(f"{row[0]:<42} {row[1]:>7} {row[2]:>7} {row[3]:>7}")
    print()
    drain = bench_drain(n_drain)
    print("draining queued submissions to the platform on loopback")
    print(f"{'run':<34} {'total':>8} {'rate':>7} {'per item':>9}")
    for row in drain:
        print(f"{row[0]:<34} {row[1]:>8} {row[2]:>7} {row[3]:>9}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
