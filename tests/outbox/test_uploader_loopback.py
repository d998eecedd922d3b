"""The uploader against the real platform on loopback, with fault injection: exactly-once delivery."""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import pytest
from sync.loopback import Loopback, running_platform

from kiosk.outbox.service import Outbox, open_outbox
from kiosk.outbox.status import StatusService
from kiosk.outbox.uploader import OutboxUploader
from kiosk.sync.backoff import Backoff
from offline_cache.db import Database

from .helpers import ID_NUMBER, NAME, PHONE, draft


@pytest.fixture
def platform(tmp_path: Path):
    with running_platform(tmp_path / "platform") as lb:
        yield lb


def make_uploader(outbox: Outbox, lb: Loopback, tmp_path: Path, timeout: float = 5.0) -> OutboxUploader:
    return OutboxUploader(
        outbox,
        lb.client(timeout=timeout),
        lock_path=tmp_path / "data" / "outbox.lock",
        chunk_bytes=16_384,
        backoff=Backoff(base=0.001, cap=0.01, rng=random.Random(5)),
    )


def drain_all(uploader: OutboxUploader, limit_s: float = 30.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        uploader.drain_once()
        counts = uploader.outbox.summary()["counts"]
        if counts["pending"] == counts["uploading"] == 0:
            return
        time.sleep(0.01)
    raise AssertionError(f"outbox not drained: {uploader.outbox.summary()}")


def assert_platform_holds_exactly(lb: Loopback, outbox: Outbox, receipts: list[str]) -> None:
    subs = lb.submissions()
    assert sorted(s["receipt_no"] for s in subs) == sorted(receipts)  # each exactly once
    for s in subs:
        item = outbox.store.item_by_receipt(s["receipt_no"])
        prepared = outbox.prepare_submission(item)
        by_seq = {f.seq: f.sha256 for f in prepared.files}
        local = [by_seq[m["attachment"]] for m in prepared.body["materials"] if m["attachment"] is not None]
        remote = [m for m in s["materials"] if m["upload_id"]]
        assert [m["sha256"] for m in remote] == local
        for m in remote:  # the bytes on the platform's disk hash to what the kiosk captured
            data = lb.server.platform.uploads.path(m["upload_id"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == m["sha256"]


def test_happy_path_uploads_submissions_and_then_evaluations(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    receipts = [outbox.enqueue_submission(draft(i)).receipt_no for i in range(4)]
    outbox.enqueue_evaluation(receipts[0], 5, indicators={"整体满意度": 5}, comment="办事很快")
    uploader = make_uploader(outbox, platform, tmp_path)
    result = uploader.drain_once()
    assert (result.sent, result.dead, result.retried) == (5, 0, 0)
    assert_platform_holds_exactly(platform, outbox, receipts)
    status = platform.server.platform.submissions.status(receipts[0])
    assert status["evaluations"][0]["rating"] == 5
    assert all(outbox.local_status(r).pending_upload is False for r in receipts)


def test_faults_500_resets_lost_acks_and_slow_responses_still_exactly_once(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    receipts = [outbox.enqueue_submission(draft(i, size=40_000)).receipt_no for i in range(12)]
    for r in receipts[:4]:
        outbox.enqueue_evaluation(r, 4)
    platform.faults.configure(
        fail_rate=0.06,  # 500 before the handler
        reset_rate=0.05,  # connection reset mid-request (half a PATCH chunk read)
        fail_after_rate=0.05,  # committed, then 500: the ack is lost
        reset_after_rate=0.05,  # committed, then reset: the ack is lost
        delay_rate=0.02,
        delay_s=0.4,  # slower than the client timeout below
    )
    uploader = make_uploader(outbox, platform, tmp_path, timeout=0.3)
    drain_all(uploader, 60)
    counts = platform.faults.counts
    assert (
        counts["fail"]
        and counts["reset"]
        and counts["fail_after"]
        and counts["reset_after"]
        and counts["delay"]
    )
    assert_platform_holds_exactly(platform, outbox, receipts)
    for r in receipts[:4]:
        assert len(platform.server.platform.submissions.status(r)["evaluations"]) == 1
    assert outbox.summary()["counts"]["sent"] == 16


def test_connection_reset_mid_upload_resumes_from_server_offset(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    receipt = outbox.enqueue_submission(draft(1, images=1, size=200_000)).receipt_no
    uploader = make_uploader(outbox, platform, tmp_path)
    uploader.chunk_bytes = 65_536
    # the kiosk created the upload and sent two chunks before the link broke
    item = outbox.store.item_by_receipt(receipt)
    prepared = outbox.prepare_submission(item)
    f = prepared.files[0]
    data = outbox.read_file(item, f)
    client = uploader.client
    path = client.tus_create(len(data), f.sha256, "m0.jpg", f.content_type)
    outbox.store.set_upload(item.id, f.seq, path, 0, False)
    client.tus_patch(path, 0, data[:65_536])
    client.tus_patch(path, 65_536, data[65_536:131_072])
    platform.faults.configure(reset_rate=1.0, methods="PATCH")
    assert uploader.drain_once().retried == 1
    assert client.tus_offset(path)[0] == 131_072  # the reset chunk was discarded, nothing lost
    platform.faults.clear()
    patches_before = platform.faults.counts.copy()
    assert uploader.drain_once().sent == 1
    assert platform.faults.counts == patches_before
    assert_platform_holds_exactly(platform, outbox, [receipt])
    upload_id = path.rsplit("/", 1)[-1]
    assert platform.submissions()[0]["materials"][0]["upload_id"] == upload_id  # resumed, not re-created


def test_429_retry_after_is_honoured_and_pauses_the_pass(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    for i in range(3):
        outbox.enqueue_submission(draft(i, images=1, size=1000))
    platform.faults.configure(rate_limit_rate=1.0, retry_after_s=30)
    uploader = make_uploader(outbox, platform, tmp_path)
    before = time.time()
    result = uploader.drain_once()
    assert result.retried == 1 and result.paused_for_s is not None and result.paused_for_s >= 29
    items = outbox.store.list_items(("pending", "uploading"))
    assert sum(i.attempts for i in items) == 1  # the pass stopped at the first 429
    assert max(i.next_attempt_at for i in items) >= before + 30
    assert outbox.store.due_items(time.time()) and len(outbox.store.due_items(time.time())) == 2
    assert uploader._next_wait(result) >= 29


def test_permanent_rejection_goes_to_dead_letter_and_can_be_retried(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    good = outbox.enqueue_submission(draft(1, images=1, size=500)).receipt_no
    d = draft(2, images=1, size=500)
    bad = outbox.enqueue_submission(type(d)("", d.applicant, d.form, d.materials)).receipt_no  # no item code
    uploader = make_uploader(outbox, platform, tmp_path)
    result = uploader.drain_once()
    assert (result.sent, result.dead) == (1, 1)
    dead = outbox.store.item_by_receipt(bad)
    assert dead.state == "dead" and dead.last_http_status == 422
    assert outbox.local_status(bad).pending_upload  # still shown as 待上传 to the citizen
    assert outbox.retry() == 1 and outbox.store.item_by_receipt(bad).state == "pending"
    assert uploader.drain_once().dead == 1
    assert [s["receipt_no"] for s in platform.submissions()] == [good]


def test_status_queries_online_offline_and_pending_marker(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    r1 = outbox.enqueue_submission(draft(1, images=1, size=500)).receipt_no
    uploader = make_uploader(outbox, platform, tmp_path)
    uploader.drain_once()
    r2 = outbox.enqueue_submission(draft(2, images=1, size=500)).receipt_no  # not uploaded yet
    platform.server.platform.submissions.set_status(r1, "accepted", note="材料齐全")
    online = StatusService(outbox, platform.client())
    s1 = online.by_receipt(r1)
    assert (s1.status, s1.status_label, s1.pending_upload, s1.source) == (
        "accepted",
        "已受理",
        False,
        "platform",
    )
    s2 = online.by_receipt(r2)
    assert s2.status == "submitted" and s2.pending_upload and s2.display_label == "已提交（待上传）"
    assert [s.receipt_no for s in online.by_applicant(ID_NUMBER)] == sorted([r1, r2])
    platform.faults.configure(fail_rate=1.0)  # platform down: last known status, still useful
    offline = StatusService(outbox, platform.client())
    assert offline.by_receipt(r1).status_label == "已受理" and offline.by_receipt(r1).source == "local"
    assert {s.receipt_no: s.pending_upload for s in offline.by_applicant(ID_NUMBER)} == {r1: False, r2: True}


def test_encrypted_at_rest_and_purged_after_ack_plus_retention(
    db: Database, platform: Loopback, tmp_path: Path, clock
) -> None:
    box = open_outbox(db, tmp_path / "data", "ksk-001", retention_days=2, clock=clock)
    receipts = [box.enqueue_submission(draft(i, size=3000, seed=i)).receipt_no for i in range(3)]
    uploader = make_uploader(box, platform, tmp_path)
    uploader.chunk_bytes = 1000
    platform.faults.configure(reset_rate=0.3, seed=3)
    uploader.drain_once()  # partial progress
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    for value in (NAME, ID_NUMBER, PHONE):
        assert value.encode() not in raw
    platform.faults.clear()
    drain_all(uploader)
    assert box.purge_expired() == 0  # acknowledged, but inside the retention window
    clock.now += 2 * 86400 + 1
    assert box.purge_expired() == 3
    assert list((tmp_path / "data" / "spool").iterdir()) == []
    assert box.summary()["counts"]["purged"] == 3
    assert [box.local_status(r).status for r in receipts] == ["submitted"] * 3  # metadata survives


def test_upload_that_vanished_on_the_platform_is_started_again(
    outbox: Outbox, platform: Loopback, tmp_path: Path
) -> None:
    receipt = outbox.enqueue_submission(draft(1, images=1, size=50_000)).receipt_no
    uploader = make_uploader(outbox, platform, tmp_path)
    item = outbox.store.item_by_receipt(receipt)
    f = outbox.store.files(item.id)[0]
    data = outbox.read_file(item, f)
    path = uploader.client.tus_create(len(data), f.sha256, "m0.jpg", f.content_type)
    outbox.store.set_upload(item.id, f.seq, path, 0, False)
    uploader.client.tus_patch(path, 0, data[:16_384])
    old_id = path.rsplit("/", 1)[-1]
    platform.sql("DELETE FROM uploads WHERE id = :i", i=old_id)  # e.g. expired on the platform
    assert uploader.drain_once().sent == 1
    assert_platform_holds_exactly(platform, outbox, [receipt])
    assert platform.submissions()[0]["materials"][0]["upload_id"] != old_id
