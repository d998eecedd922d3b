"""THE CRASH TEST: the uploader process is SIGKILLed at random moments while 200 submissions with
attachments are captured and uploaded; afterwards the platform holds each exactly once, intact."""

from __future__ import annotations

import hashlib
import os
import random
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sync.loopback import running_platform

from kiosk.outbox.model import Applicant, Attachment, MaterialEntry, SubmissionDraft
from kiosk.outbox.service import open_outbox
from offline_cache.db import Database

WORKER = Path(__file__).with_name("crash_worker.py")
TOTAL = 200


def crash_draft(n: int, rng: random.Random) -> SubmissionDraft:
    mats = [
        MaterialEntry(
            f"材料{j}", Attachment(rng.randbytes(rng.randint(8_000, 40_000)), "image/jpeg", f"{n}-{j}.jpg")
        )
        for j in range(1 + n % 2)
    ]
    return SubmissionDraft(
        item_code=f"ITEM{n % 7:03d}",
        applicant=Applicant("居民身份证", f"11010119900307{n:04d}", f"申请人{n}", None),
        form={"n": n},
        materials=tuple(mats),
    )


def _wait_ready(proc: subprocess.Popen, timeout: float = 20.0) -> bool:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        return bool(sel.select(timeout)) and proc.stdout.readline().strip() == b"ready"
    finally:
        sel.close()


@pytest.mark.slow
def test_sigkill_uploader_at_random_moments_every_submission_arrives_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(20240601)
    data = tmp_path / "kiosk"
    with running_platform(tmp_path / "platform") as lb:
        db = Database(data / "kiosk.db")
        outbox = open_outbox(db, data, lb.kiosk_id)
        receipts: list[str] = []
        errors: list[BaseException] = []

        def produce() -> None:
            try:
                prng = random.Random(7)
                for n in range(TOTAL):
                    receipts.append(outbox.enqueue_submission(crash_draft(n, prng)).receipt_no)
                    time.sleep(prng.uniform(0, 0.03))
                (data / "producer.done").touch()
            except BaseException as exc:  # surfaced below
                errors.append(exc)

        producer = threading.Thread(target=produce)
        producer.start()
        cmd = [sys.executable, str(WORKER), str(data), lb.base_url, lb.kiosk_id]
        env = {**os.environ, "KIOSK_TEST_SECRET": lb.secret}  # not on the command line (ps)
        kills, started = 0, time.monotonic()
        # keep killing until everything is captured and >= 20 kills landed (or a minute passed: loaded CI)
        while producer.is_alive() or (kills < 20 and time.monotonic() - started < 60):
            with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env) as proc:
                ready = _wait_ready(proc)
                time.sleep(rng.uniform(0.05, 0.6))
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
            if ready and proc.returncode == -signal.SIGKILL:
                kills += 1
        producer.join(30)
        assert not errors, errors
        final = subprocess.run(cmd, capture_output=True, timeout=60, env=env)
        assert final.returncode == 0, final.stderr.decode()[-2000:]

        # the platform holds exactly the 200 receipts, once each, with intact attachments
        subs = lb.submissions()
        assert len(subs) == TOTAL and sorted(s["receipt_no"] for s in subs) == sorted(receipts)
        assert len({s["platform_id"] for s in subs}) == TOTAL
        for s in subs:
            item = outbox.store.item_by_receipt(s["receipt_no"])
            assert item.state == "sent"
            local = [f.sha256 for f in outbox.store.files(item.id)]
            remote = [m["sha256"] for m in s["materials"]]
            assert remote == local
            for m in s["materials"]:
                disk = lb.server.platform.uploads.path(m["upload_id"]).read_bytes()
                assert hashlib.sha256(disk).hexdigest() == m["sha256"]
        with db.reader() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        # evidence that kills landed mid-upload: uploads the platform holds that no submission uses
        # (created, then the kiosk died before committing the URL) or that were resumed
        with lb.server.platform.db.engine.connect() as conn:
            uploads = conn.exec_driver_sql("SELECT COUNT(*) FROM uploads").scalar()
        referenced = sum(len(s["materials"]) for s in subs)
        print(f"kills={kills} uploads={uploads} referenced={referenced}")
        db.close()
    assert kills >= 10
