"""The outbox without a network: durable capture, encryption at rest, receipts, status, retention."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from kiosk.outbox.crypto import OutboxCryptoError, load_or_create_key
from kiosk.outbox.receipts import validate_receipt
from kiosk.outbox.service import Outbox, OutboxError, open_outbox
from offline_cache.db import Database

from .helpers import ID_NUMBER, NAME, PHONE, draft


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_enqueue_is_durable_and_reopenable(outbox: Outbox, tmp_path: Path) -> None:
    receipt = outbox.enqueue_submission(draft(1))
    assert validate_receipt(receipt.receipt_no)[0] == "KSK001"
    assert len(receipt.idempotency_key) == 36
    # a brand-new connection (another process after a crash would see the same) finds everything
    other = Database(tmp_path / "data" / "kiosk.db")
    try:
        again = open_outbox(other, tmp_path / "data", "ksk-001")
        item = again.store.item_by_receipt(receipt.receipt_no)
        assert item is not None and item.state == "pending" and item.idem_key == receipt.idempotency_key
        files = again.store.files(item.id)
        assert len(files) == 3 and all((tmp_path / "data" / "spool" / f.name).exists() for f in files)
        prepared = again.prepare_submission(item)
        assert (
            prepared.body["applicant"]["name"] == NAME and prepared.body["receipt_no"] == receipt.receipt_no
        )
        assert again.read_file(item, files[0]).endswith(b"#1-0")
    finally:
        other.close()


def test_personal_data_is_encrypted_at_rest(outbox: Outbox, tmp_path: Path) -> None:
    d = draft(2, size=20_000, seed=3)
    marker = d.materials[0].attachment.content[-64:]
    for _ in range(3):
        outbox.enqueue_submission(d)
    blob = _all_bytes(tmp_path / "data")
    for secret in (NAME, ID_NUMBER, PHONE, "文三路"):
        assert secret.encode("utf-8") not in blob, secret
        assert json.dumps(secret).encode() not in blob  # not even \\u-escaped
    assert marker not in blob  # attachment content only in sealed form
    # but non-personal metadata is readable in clear (the receipt number, the item code)
    assert b"330106-000-XK-001" in blob


def test_key_file_is_private_and_checked(tmp_path: Path) -> None:
    key_path = tmp_path / "keys" / "outbox.key"
    key = load_or_create_key(key_path)
    assert len(key) == 32 and load_or_create_key(key_path) == key
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    os.chmod(key_path, 0o644)
    with pytest.raises(OutboxCryptoError, match="readable by others"):
        load_or_create_key(key_path)


def test_empty_key_file_left_by_a_crash_is_replaced(tmp_path: Path) -> None:
    key_path = tmp_path / "keys" / "outbox.key"
    key_path.parent.mkdir(mode=0o700)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT, 0o600)  # killed right after creating it
    os.close(fd)
    key = load_or_create_key(key_path)
    assert len(key) == 32 and key_path.read_bytes() == key
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert sorted(p.name for p in key_path.parent.iterdir()) == ["outbox.key"]  # no temp file left
    key_path.write_bytes(b"short")
    with pytest.raises(OutboxCryptoError, match="holds 5 bytes"):  # a non-empty bad key is never replaced
        load_or_create_key(key_path)


def test_tampered_or_missing_spool_file_is_detected(outbox: Outbox, tmp_path: Path) -> None:
    r = outbox.enqueue_submission(draft(3))
    item = outbox.store.item_by_receipt(r.receipt_no)
    f0, f1 = outbox.store.files(item.id)[:2]
    path = tmp_path / "data" / "spool" / f0.name
    raw = bytearray(path.read_bytes())
    raw[40] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(OutboxCryptoError):
        outbox.read_file(item, f0)
    (tmp_path / "data" / "spool" / f1.name).unlink()
    with pytest.raises(OutboxError, match="missing"):
        outbox.read_file(item, f1)


def test_failed_capture_leaves_no_files_and_no_receipt(outbox: Outbox, tmp_path: Path) -> None:
    d = draft(4)
    bad = type(d)(d.item_code, d.applicant, {"x": {1, 2}}, d.materials)  # a set is not JSON
    with pytest.raises(TypeError):
        outbox.enqueue_submission(bad)
    assert list((tmp_path / "data" / "spool").iterdir()) == []
    assert outbox.summary()["counts"]["pending"] == 0
    assert validate_receipt(outbox.enqueue_submission(d).receipt_no)[1] == 1  # no counter gap


def test_receipts_unique_and_monotonic_across_threads_and_instances(db: Database, tmp_path: Path) -> None:
    boxes = [open_outbox(db, tmp_path / "data", "ksk-001") for _ in range(2)]
    other_db = Database(tmp_path / "data" / "kiosk.db")
    boxes.append(open_outbox(other_db, tmp_path / "data", "ksk-001"))
    receipts: list[str] = []
    lock = threading.Lock()

    def work(box: Outbox) -> None:
        for i in range(15):
            r = box.enqueue_submission(draft(i, images=1, size=1000))
            with lock:
                receipts.append(r.receipt_no)

    threads = [threading.Thread(target=work, args=(b,)) for b in boxes for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    other_db.close()
    counters = sorted(validate_receipt(r)[1] for r in receipts)
    assert counters == list(range(1, 91))


def test_summary_has_no_personal_data(outbox: Outbox, clock) -> None:
    outbox.enqueue_submission(draft(5, size=10_000))
    clock.now += 125
    s = outbox.summary()
    assert s["counts"]["pending"] == 1 and s["oldest_pending_age_s"] == 125
    assert s["bytes_pending"] > 20_000
    text = json.dumps(s, ensure_ascii=False)
    assert NAME not in text and ID_NUMBER not in text


def test_offline_status_and_idempotent_evaluations(outbox: Outbox) -> None:
    r = outbox.enqueue_submission(draft(6))
    st = outbox.local_status(r.receipt_no.lower())
    assert st is not None and st.status == "submitted" and st.pending_upload
    assert st.display_label == "已提交（待上传）" and st.as_dict()["marker"] == "待上传"
    assert [s.receipt_no for s in outbox.local_statuses_for(ID_NUMBER)] == [r.receipt_no]
    assert outbox.local_statuses_for("11010119900307999X") == []
    k1 = outbox.enqueue_evaluation(r.receipt_no, 5, indicators={"整体满意度": 5}, comment="很好")
    k2 = outbox.enqueue_evaluation(r.receipt_no, 1)
    assert k1 == k2  # one evaluation per receipt and stage
    assert outbox.enqueue_evaluation(r.receipt_no, 4, stage="completed") != k1
    assert outbox.summary()["pending_by_kind"] == {"evaluation": 2, "submission": 1}
    with pytest.raises(ValueError):
        outbox.enqueue_evaluation(r.receipt_no, 6)
    # evaluations wait until their submission has been acknowledged
    assert [i.kind for i in outbox.store.due_items(outbox._clock())] == ["submission"]


def test_purge_after_ack_plus_retention(outbox: Outbox, clock, tmp_path: Path) -> None:
    r1 = outbox.enqueue_submission(draft(7))
    r2 = outbox.enqueue_submission(draft(8))
    i1 = outbox.store.item_by_receipt(r1.receipt_no)
    names = [f.name for f in outbox.store.files(i1.id)]
    outbox.store.mark_sent(i1.id, "P-1", 201)
    clock.now += 7 * 86400 - 1
    assert outbox.purge_expired() == 0
    clock.now += 2
    assert outbox.purge_expired() == 1
    purged = outbox.store.item_by_receipt(r1.receipt_no)
    assert purged.state == "purged" and purged.payload is None
    assert not any((tmp_path / "data" / "spool" / n).exists() for n in names)
    assert outbox.store.item_by_receipt(r2.receipt_no).state == "pending"  # never acked: kept
    assert outbox.local_status(r1.receipt_no).pending_upload is False


def test_dead_letter_retry(outbox: Outbox) -> None:
    r = outbox.enqueue_submission(draft(9))
    item = outbox.store.item_by_receipt(r.receipt_no)
    outbox.store.mark_dead(item.id, 422, "validation_failed")
    assert outbox.summary()["counts"]["dead"] == 1 and outbox.store.due_items(outbox._clock()) == []
    assert outbox.retry([item.id + 100]) == 0
    assert outbox.retry([item.id]) == 1
    assert outbox.store.item_by_receipt(r.receipt_no).state == "pending"


def test_orphan_files_from_a_crash_before_commit_are_swept(outbox: Outbox, tmp_path: Path) -> None:
    outbox.enqueue_submission(draft(10))
    orphan = tmp_path / "data" / "spool" / "deadbeef.bin"
    orphan.write_bytes(b"x")
    os.utime(orphan, (1, 1))
    assert outbox.sweep_orphans() == 1 and not orphan.exists()
    assert len(list((tmp_path / "data" / "spool").iterdir())) == 3


def test_reprs_of_captured_data_hold_no_personal_values() -> None:
    d = draft(7, images=1, size=100)
    for text in (repr(d.applicant), str(d.applicant), repr(d), f"{[d.applicant]}"):
        assert NAME not in text and ID_NUMBER not in text and PHONE not in text
    assert d.applicant.as_dict()["id_number"] == ID_NUMBER  # the data itself is unchanged
