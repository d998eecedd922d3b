"""The durable outbox: capture (durable before any receipt), sealed payloads, retention, reporting."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.outbox.crypto import Sealer, load_or_create_key
from kiosk.outbox.model import (
    STAGES,
    STATUS_LABELS,
    Attachment,
    LocalStatus,
    Receipt,
    SubmissionDraft,
)
from kiosk.outbox.receipts import format_receipt, kiosk_prefix, normalize
from kiosk.outbox.spool import Spool
from offline_cache.db import Database
from offline_cache.outbox_store import FileRow, ItemRow, NewFile, OutboxStore

log = logging.getLogger(__name__)
DAY_S = 86400.0


class OutboxError(RuntimeError):
    """A queued item cannot be read back (missing or corrupt spool file, wrong key)."""


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class PreparedSubmission:
    """A queued submission opened for sending: the request body minus upload ids, and its files."""

    item: ItemRow
    body: dict[str, Any]
    files: list[FileRow]


class Outbox:
    """Queue of submissions and evaluations waiting for the platform's acknowledgement."""

    def __init__(
        self,
        store: OutboxStore,
        spool: Spool,
        sealer: Sealer,
        kiosk_id: str,
        *,
        retention_days: float = 7,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.spool = spool
        self._sealer = sealer
        self.kiosk_id = kiosk_id
        self.retention_days = retention_days
        self._clock = clock
        kiosk_prefix(kiosk_id)  # fail early on a kiosk id unusable for receipt numbers

    # -- capture -------------------------------------------------------------------------------
    def enqueue_submission(self, draft: SubmissionDraft) -> Receipt:
        """Make the submission durable and return its receipt.

        Attachments are sealed, written and fsynced (each file, then the directory) BEFORE the rows
        are committed in one transaction that also allocates the receipt number; only after that
        commit may the UI show or print the receipt.
        """
        idem_key = str(uuid.uuid4())
        files: list[NewFile] = []
        materials: list[dict[str, Any]] = []

        def keep(att: Attachment | None) -> int | None:
            if att is None:
                return None
            seq = len(files)
            name = self.spool.new_name()
            self.spool.write(name, self._sealer.seal(att.content, _file_aad(idem_key, seq)))
            files.append(
                NewFile(
                    seq, name, hashlib.sha256(att.content).hexdigest(), len(att.content), att.content_type
                )
            )
            return seq

        try:
            for m in draft.materials:
                materials.append(
                    {
                        "name": m.name,
                        "attachment": keep(m.attachment),
                        "filename": m.attachment.filename if m.attachment else None,
                        "commitment": m.commitment,
                        "commitment_signature": keep(m.commitment_signature),
                        "shared": m.shared,
                    }
                )
            if files:
                self.spool.sync_dir()
            created = self._clock()
            secret = {
                "applicant": draft.applicant.as_dict(),
                "form": draft.form,
                "materials": materials,
                "bundle_code": draft.bundle_code,
                "submitted_at": rfc3339(created),
            }
            payload = self._sealer.seal(_dumps(secret), idem_key.encode())
            _, receipt_no = self.store.insert_submission(
                counter=f"receipt:{kiosk_prefix(self.kiosk_id)}",
                receipt_for=lambda n: format_receipt(self.kiosk_id, n),
                idem_key=idem_key,
                item_code=draft.item_code,
                lookup_tag=self._sealer.lookup_tag(draft.applicant.id_number),
                payload=payload,
                files=files,
            )
        except BaseException:
            self.spool.remove(f.name for f in files)
            raise
        log.info("submission queued: receipt %s, %d files", receipt_no, len(files))
        return Receipt(receipt_no, idem_key, draft.item_code, created)

    def enqueue_evaluation(
        self,
        receipt_no: str,
        rating: int,
        *,
        stage: str = "intake",
        indicators: dict[str, int] | None = None,
        comment: str = "",
    ) -> str:
        """Queue a 好差评 evaluation (one per receipt and stage: a repeat returns the first key)."""
        if not 1 <= int(rating) <= 5:
            raise ValueError("rating must be 1..5")
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}")
        for name, value in (indicators or {}).items():
            if not 1 <= int(value) <= 5:
                raise ValueError(f"indicator {name} must be 1..5")
        idem_key = str(uuid.uuid4())
        body = {
            "rating": int(rating),
            "stage": stage,
            "indicators": {k: int(v) for k, v in (indicators or {}).items()},
            "comment": comment,
            "evaluated_at": rfc3339(self._clock()),
        }
        return self.store.insert_evaluation(
            idem_key=idem_key,
            receipt_no=normalize(receipt_no),
            stage=stage,
            payload=self._sealer.seal(_dumps(body), idem_key.encode()),
        )

    # -- reading back (uploader) ---------------------------------------------------------------
    def open_payload(self, item: ItemRow) -> dict[str, Any]:
        if item.payload is None:
            raise OutboxError(f"item {item.id} has been purged")
        return json.loads(self._sealer.open(item.payload, item.idem_key.encode()))

    def prepare_submission(self, item: ItemRow) -> PreparedSubmission:
        secret = self.open_payload(item)
        body = {
            "receipt_no": item.receipt_no,
            "kiosk_id": self.kiosk_id,
            "item_code": item.item_code,
            "bundle_code": secret.get("bundle_code"),
            "applicant": secret["applicant"],
            "form": secret.get("form", {}),
            "materials": secret.get("materials", []),
            "submitted_at": secret["submitted_at"],
            "channel": "kiosk",
        }
        return PreparedSubmission(item, body, self.store.files(item.id))

    def read_file(self, item: ItemRow, f: FileRow) -> bytes:
        """The plaintext of one attachment, checked against its recorded SHA-256."""
        try:
            data = self._sealer.open(self.spool.read(f.name), _file_aad(item.idem_key, f.seq))
        except FileNotFoundError:
            raise OutboxError(f"spool file of item {item.id} #{f.seq} is missing") from None
        if hashlib.sha256(data).hexdigest() != f.sha256:
            raise OutboxError(f"spool file of item {item.id} #{f.seq} does not match its hash")
        return data

    @staticmethod
    def final_body(prepared: PreparedSubmission, upload_ids: dict[int, str]) -> dict[str, Any]:
        """The exact request body (identical on every retry, as idempotency requires)."""
        by_seq = {f.seq: f for f in prepared.files}
        materials = []
        for m in prepared.body["materials"]:
            att, sig = m.get("attachment"), m.get("commitment_signature")
            materials.append(
                {
                    "name": m["name"],
                    "upload_id": upload_ids[att] if att is not None else None,
                    "sha256": by_seq[att].sha256 if att is not None else None,
                    "commitment": bool(m.get("commitment")),
                    "commitment_signature_upload_id": upload_ids[sig] if sig is not None else None,
                    "shared": bool(m.get("shared")),
                }
            )
        return {**prepared.body, "materials": materials}

    # -- status ----------------------------------------------------------------------------------
    def local_status(self, receipt_no: str) -> LocalStatus | None:
        """Last known status from the local database, with 待上传 when not yet acknowledged."""
        receipt_no = normalize(receipt_no)
        cached = self.store.status(receipt_no)
        if cached is None:
            return None
        return self._to_local(cached, "local")

    def local_statuses_for(self, id_number: str) -> list[LocalStatus]:
        tag = self._sealer.lookup_tag(id_number)
        return [self._to_local(s, "local") for s in self.store.statuses_by_tag(tag)]

    def remember_status(self, platform_status: dict[str, Any], id_number: str | None = None) -> LocalStatus:
        """Store a status answered by the platform (history without free-text notes)."""
        receipt_no = str(platform_status["receipt_no"])
        history = [{"status": h.get("status"), "at": h.get("at")} for h in platform_status.get("history", [])]
        self.store.put_status(receipt_no, str(platform_status["status"]), history)
        if id_number:
            self.store.tag_statuses(self._sealer.lookup_tag(id_number), [receipt_no])
        cached = self.store.status(receipt_no)
        assert cached is not None
        return self._to_local(cached, "platform")

    def _to_local(self, cached: dict[str, Any], source: str) -> LocalStatus:
        item = self.store.item_by_receipt(cached["receipt_no"])
        pending = item is not None and item.state in ("pending", "uploading", "dead")
        return LocalStatus(
            receipt_no=cached["receipt_no"],
            status=cached["status"],
            status_label=STATUS_LABELS.get(cached["status"], cached["status"]),
            pending_upload=pending,
            history=tuple(cached["history"]),
            item_code=cached["item_code"],
            checked_at=cached["checked_at"],
            source=source,
        )

    # -- maintenance -----------------------------------------------------------------------------
    def purge_expired(self) -> int:
        """Delete payloads and files of items acknowledged more than ``retention_days`` ago."""
        cutoff = self._clock() - self.retention_days * DAY_S
        purged = 0
        for item_id, names in self.store.purgeable(cutoff):
            self.store.mark_purged(item_id)  # rows first: a crash leaves orphan files, swept later
            self.spool.remove(names)
            purged += 1
        if purged:
            log.info("purged personal data of %d acknowledged items", purged)
        return purged

    def sweep_orphans(self, min_age_s: float = 600.0) -> int:
        """Remove spool files no row references (a crash between fsync and COMMIT)."""
        return self.spool.remove(self.spool.orphans(self.store.referenced_files(), min_age_s))

    def retry(self, ids: Iterable[int] | None = None) -> int:
        return self.store.retry_dead(ids)

    def summary(self) -> dict[str, Any]:
        return outbox_summary(self.store, self._clock())


def outbox_summary(store: OutboxStore, now: float) -> dict[str, Any]:
    """Counts per state, oldest pending age, bytes pending. Never personal data (needs no key)."""
    s = store.summary()
    oldest = s.pop("oldest_pending_created_at")
    s["oldest_pending_age_s"] = round(now - oldest, 1) if oldest else None
    return s


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _file_aad(idem_key: str, seq: int) -> bytes:
    return f"{idem_key}:{seq}".encode()


def open_outbox(
    db: Database,
    data_dir: Path,
    kiosk_id: str,
    *,
    retention_days: float = 7,
    key_file: str | Path | None = None,
    clock: Callable[[], float] = time.time,
) -> Outbox:
    """The outbox of a data directory: spool in ``<data_dir>/spool``, key in ``<data_dir>/keys``."""
    data_dir = Path(data_dir)
    key_path = Path(key_file) if key_file else data_dir / "keys" / "outbox.key"
    return Outbox(
        OutboxStore(db, clock),
        Spool(data_dir / "spool"),
        Sealer(load_or_create_key(key_path)),
        kiosk_id,
        retention_days=retention_days,
        clock=clock,
    )
