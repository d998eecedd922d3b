"""Durable outbox tables: queued submissions/evaluations, their attachment files, receipt counters.

Plain data only: payloads arrive already sealed (bytes) and are stored as opaque BLOBs, so this module
never sees personal data in clear. Only non-personal metadata is stored in clear: kind, state, sizes,
timestamps, item code, receipt number, idempotency key, upload progress and a keyed lookup tag.

States: ``pending`` -> ``uploading`` -> ``sent`` (acknowledged) -> ``purged``; ``dead`` for permanent
rejections (a technician may move them back to ``pending``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from offline_cache.db import Database
from offline_cache.migrations import Migration, migrate

COMPONENT = "outbox"
STATES = ("pending", "uploading", "sent", "dead", "purged")
ACTIVE = ("pending", "uploading")

MIGRATIONS = [
    Migration(
        1,
        "outbox items, files, counters and last known submission status",
        (
            """
            CREATE TABLE outbox_items (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('submission', 'evaluation')),
                idem_key TEXT NOT NULL UNIQUE,
                receipt_no TEXT NOT NULL,
                stage TEXT,
                item_code TEXT,
                lookup_tag TEXT,
                payload BLOB,
                payload_bytes INTEGER NOT NULL,
                attachment_bytes INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL CHECK (state IN ('pending','uploading','sent','dead','purged')),
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL DEFAULT 0,
                last_http_status INTEGER,
                last_error TEXT,
                acked_at REAL,
                platform_id TEXT,
                purged_at REAL
            )
            """,
            "CREATE UNIQUE INDEX outbox_submission_receipt ON outbox_items (receipt_no) "
            "WHERE kind = 'submission'",
            "CREATE UNIQUE INDEX outbox_evaluation_stage ON outbox_items (receipt_no, stage) "
            "WHERE kind = 'evaluation'",
            "CREATE INDEX outbox_due ON outbox_items (state, next_attempt_at)",
            "CREATE INDEX outbox_lookup ON outbox_items (lookup_tag)",
            """
            CREATE TABLE outbox_files (
                item_id INTEGER NOT NULL REFERENCES outbox_items (id),
                seq INTEGER NOT NULL,
                name TEXT NOT NULL UNIQUE,
                sha256 TEXT NOT NULL,
                size INTEGER NOT NULL,
                content_type TEXT NOT NULL,
                upload_url TEXT,
                upload_offset INTEGER NOT NULL DEFAULT 0,
                done INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (item_id, seq)
            )
            """,
            "CREATE TABLE outbox_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
            """
            CREATE TABLE submission_status (
                receipt_no TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                history TEXT NOT NULL DEFAULT '[]',
                lookup_tag TEXT,
                item_code TEXT,
                checked_at REAL NOT NULL
            )
            """,
            "CREATE INDEX submission_status_lookup ON submission_status (lookup_tag)",
        ),
    ),
]

_ITEM_COLS = (
    "id, kind, idem_key, receipt_no, stage, item_code, payload, payload_bytes, attachment_bytes, state, "
    "created_at, updated_at, attempts, next_attempt_at, last_http_status, last_error, acked_at, platform_id"
)


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: int
    kind: str
    idem_key: str
    receipt_no: str
    stage: str | None
    item_code: str | None
    payload: bytes | None
    payload_bytes: int
    attachment_bytes: int
    state: str
    created_at: float
    updated_at: float
    attempts: int
    next_attempt_at: float
    last_http_status: int | None
    last_error: str | None
    acked_at: float | None
    platform_id: str | None

    def metadata(self) -> dict[str, Any]:
        """Everything except the sealed payload (safe to print: no personal data)."""
        return {f: getattr(self, f) for f in self.__slots__ if f != "payload"}


@dataclass(frozen=True, slots=True)
class FileRow:
    item_id: int
    seq: int
    name: str
    sha256: str
    size: int
    content_type: str
    upload_url: str | None
    upload_offset: int
    done: bool


@dataclass(frozen=True, slots=True)
class NewFile:
    seq: int
    name: str
    sha256: str
    size: int
    content_type: str


class OutboxStore:
    """SQL access to the outbox; every method is one short transaction."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self._clock = clock
        migrate(db, COMPONENT, MIGRATIONS)

    # -- capture ---------------------------------------------------------------------------------
    def insert_submission(
        self,
        *,
        counter: str,
        receipt_for: Callable[[int], str],
        idem_key: str,
        item_code: str | None,
        lookup_tag: str | None,
        payload: bytes,
        files: Sequence[NewFile],
    ) -> tuple[int, str]:
        """Allocate the next receipt number and store the submission and its files in ONE transaction."""
        now = self._clock()
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "INSERT INTO outbox_counters (name, value) VALUES (?, 1) "
                "ON CONFLICT(name) DO UPDATE SET value = value + 1",
                (counter,),
            )
            value = conn.exec_driver_sql("SELECT value FROM outbox_counters WHERE name = ?", (counter,))
            receipt_no = receipt_for(int(value.scalar_one()))
            item_id = conn.exec_driver_sql(
                "INSERT INTO outbox_items (kind, idem_key, receipt_no, item_code, lookup_tag, payload, "
                "payload_bytes, attachment_bytes, state, created_at, updated_at) "
                "VALUES ('submission', ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
                (
                    idem_key,
                    receipt_no,
                    item_code,
                    lookup_tag,
                    payload,
                    len(payload),
                    sum(f.size for f in files),
                    now,
                    now,
                ),
            ).scalar_one()
            if files:
                conn.exec_driver_sql(
                    "INSERT INTO outbox_files (item_id, seq, name, sha256, size, content_type) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(item_id, f.seq, f.name, f.sha256, f.size, f.content_type) for f in files],
                )
            _put_status(conn, receipt_no, "submitted", [], lookup_tag, item_code, now)
        return int(item_id), receipt_no

    def insert_evaluation(self, *, idem_key: str, receipt_no: str, stage: str, payload: bytes) -> str:
        """Queue an evaluation; one per (receipt, stage). Returns the key of the stored one."""
        now = self._clock()
        with self.db.writer() as conn:
            existing = conn.exec_driver_sql(
                "SELECT idem_key FROM outbox_items WHERE kind = 'evaluation' AND receipt_no = ? "
                "AND stage = ?",
                (receipt_no, stage),
            ).scalar()
            if existing:
                return str(existing)
            conn.exec_driver_sql(
                "INSERT INTO outbox_items (kind, idem_key, receipt_no, stage, payload, payload_bytes, "
                "state, created_at, updated_at) VALUES ('evaluation', ?, ?, ?, ?, ?, 'pending', ?, ?)",
                (idem_key, receipt_no, stage, payload, len(payload), now, now),
            )
        return idem_key

    # -- uploader ---------------------------------------------------------------------------------
    def due_items(self, now: float, limit: int = 50) -> list[ItemRow]:
        """Active items whose next attempt is due; evaluations wait for their submission's ack."""
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_ITEM_COLS} FROM outbox_items AS o WHERE state IN ('pending', 'uploading') "
                "AND next_attempt_at <= ? AND NOT (kind = 'evaluation' AND EXISTS ("
                "  SELECT 1 FROM outbox_items AS s WHERE s.kind = 'submission' "
                "  AND s.receipt_no = o.receipt_no AND s.state IN ('pending', 'uploading', 'dead'))) "
                "ORDER BY next_attempt_at, id LIMIT ?",
                (now, limit),
            ).all()
        return [ItemRow(*r) for r in rows]

    def next_due_at(self) -> float | None:
        with self.db.reader() as conn:
            return conn.exec_driver_sql(
                "SELECT MIN(next_attempt_at) FROM outbox_items WHERE state IN ('pending', 'uploading')"
            ).scalar()

    def item(self, item_id: int) -> ItemRow | None:
        with self.db.reader() as conn:
            row = conn.exec_driver_sql(f"SELECT {_ITEM_COLS} FROM outbox_items WHERE id = ?", (item_id,))
            found = row.first()
        return ItemRow(*found) if found else None

    def item_by_receipt(self, receipt_no: str) -> ItemRow | None:
        with self.db.reader() as conn:
            found = conn.exec_driver_sql(
                f"SELECT {_ITEM_COLS} FROM outbox_items WHERE kind = 'submission' AND receipt_no = ?",
                (receipt_no,),
            ).first()
        return ItemRow(*found) if found else None

    def files(self, item_id: int) -> list[FileRow]:
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql(
                "SELECT item_id, seq, name, sha256, size, content_type, upload_url, upload_offset, done "
                "FROM outbox_files WHERE item_id = ? ORDER BY seq",
                (item_id,),
            ).all()
        return [FileRow(*r[:8], bool(r[8])) for r in rows]

    def mark_uploading(self, item_id: int) -> None:
        self._update(item_id, "state = 'uploading'", ())

    def set_upload(self, item_id: int, seq: int, url: str | None, offset: int, done: bool) -> None:
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "UPDATE outbox_files SET upload_url = ?, upload_offset = ?, done = ? "
                "WHERE item_id = ? AND seq = ?",
                (url, offset, int(done), item_id, seq),
            )

    def mark_sent(self, item_id: int, platform_id: str | None, status: int) -> None:
        now = self._clock()
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "UPDATE outbox_items SET state = 'sent', acked_at = ?, platform_id = ?, "
                "last_http_status = ?, last_error = NULL, updated_at = ? WHERE id = ?",
                (now, platform_id, status, now, item_id),
            )

    def mark_retry(self, item_id: int, next_at: float, http_status: int | None, error: str) -> None:
        self._update(
            item_id,
            "attempts = attempts + 1, next_attempt_at = ?, last_http_status = ?, last_error = ?",
            (next_at, http_status, error[:200]),
        )

    def mark_dead(self, item_id: int, http_status: int | None, error: str) -> None:
        self._update(
            item_id,
            "state = 'dead', attempts = attempts + 1, last_http_status = ?, last_error = ?",
            (http_status, error[:200]),
        )

    def retry_dead(self, ids: Iterable[int] | None = None) -> int:
        """Move dead items (all, or the given ids) back to pending; returns how many moved."""
        now = self._clock()
        with self.db.writer() as conn:
            sql = (
                "UPDATE outbox_items SET state = 'pending', attempts = 0, next_attempt_at = 0, "
                "updated_at = ? WHERE state = 'dead'"
            )
            if ids is None:
                return conn.exec_driver_sql(sql, (now,)).rowcount
            moved = 0
            for item_id in ids:
                moved += conn.exec_driver_sql(sql + " AND id = ?", (now, item_id)).rowcount
            return moved

    def _update(self, item_id: int, assignments: str, params: tuple[Any, ...]) -> None:
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                f"UPDATE outbox_items SET {assignments}, updated_at = ? WHERE id = ?",
                (*params, self._clock(), item_id),
            )

    # -- retention --------------------------------------------------------------------------------
    def purgeable(self, acked_before: float) -> list[tuple[int, list[str]]]:
        """Sent items acknowledged before ``acked_before`` with the spool files they still own."""
        with self.db.reader() as conn:
            ids = [
                int(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT id FROM outbox_items WHERE state = 'sent' AND acked_at <= ?", (acked_before,)
                ).all()
            ]
            return [(i, _file_names(conn, i)) for i in ids]

    def mark_purged(self, item_id: int) -> None:
        """Drop the sealed payload and the file rows; the metadata row stays (receipt numbers)."""
        now = self._clock()
        with self.db.writer() as conn:
            conn.exec_driver_sql("DELETE FROM outbox_files WHERE item_id = ?", (item_id,))
            conn.exec_driver_sql(
                "UPDATE outbox_items SET state = 'purged', payload = NULL, purged_at = ?, updated_at = ? "
                "WHERE id = ? AND state = 'sent'",
                (now, now, item_id),
            )

    def referenced_files(self) -> set[str]:
        with self.db.reader() as conn:
            return {r[0] for r in conn.exec_driver_sql("SELECT name FROM outbox_files").all()}

    # -- reporting --------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts per state, oldest active item, bytes not yet acknowledged. No personal data."""
        with self.db.reader() as conn:
            counts = {
                r[0]: r[1]
                for r in conn.exec_driver_sql("SELECT state, COUNT(*) FROM outbox_items GROUP BY state")
            }
            row = conn.exec_driver_sql(
                "SELECT MIN(created_at), COALESCE(SUM(payload_bytes + attachment_bytes), 0) "
                "FROM outbox_items WHERE state IN ('pending', 'uploading')"
            ).one()
            dead_bytes = conn.exec_driver_sql(
                "SELECT COALESCE(SUM(payload_bytes + attachment_bytes), 0) FROM outbox_items "
                "WHERE state = 'dead'"
            ).scalar_one()
            kinds = {
                r[0]: r[1]
                for r in conn.exec_driver_sql(
                    "SELECT kind, COUNT(*) FROM outbox_items WHERE state IN ('pending', 'uploading') "
                    "GROUP BY kind"
                )
            }
        return {
            "counts": {s: int(counts.get(s, 0)) for s in STATES},
            "pending_by_kind": {k: int(v) for k, v in kinds.items()},
            "oldest_pending_created_at": row[0],
            "bytes_pending": int(row[1]),
            "bytes_dead": int(dead_bytes),
        }

    def list_items(self, states: Sequence[str] = STATES, limit: int = 200) -> list[ItemRow]:
        marks = ",".join("?" for _ in states)
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql(
                f"SELECT {_ITEM_COLS} FROM outbox_items WHERE state IN ({marks}) ORDER BY id LIMIT ?",
                (*states, limit),
            ).all()
        return [ItemRow(*r) for r in rows]

    # -- last known status ------------------------------------------------------------------------
    def put_status(self, receipt_no: str, status: str, history: list[Mapping[str, Any]]) -> None:
        with self.db.writer() as conn:
            _put_status(conn, receipt_no, status, history, None, None, self._clock())

    def status(self, receipt_no: str) -> dict[str, Any] | None:
        with self.db.reader() as conn:
            row = conn.exec_driver_sql(
                "SELECT receipt_no, status, history, item_code, checked_at FROM submission_status "
                "WHERE receipt_no = ?",
                (receipt_no,),
            ).first()
        return _status_dict(row) if row else None

    def statuses_by_tag(self, lookup_tag: str) -> list[dict[str, Any]]:
        with self.db.reader() as conn:
            rows = conn.exec_driver_sql(
                "SELECT receipt_no, status, history, item_code, checked_at FROM submission_status "
                "WHERE lookup_tag = ? ORDER BY receipt_no",
                (lookup_tag,),
            ).all()
        return [_status_dict(r) for r in rows]

    def tag_statuses(self, lookup_tag: str, receipts: Iterable[str]) -> None:
        """Remember that these receipts belong to the applicant behind ``lookup_tag``."""
        with self.db.writer() as conn:
            for receipt_no in receipts:
                conn.exec_driver_sql(
                    "UPDATE submission_status SET lookup_tag = ? WHERE receipt_no = ?",
                    (lookup_tag, receipt_no),
                )


def _file_names(conn: Connection, item_id: int) -> list[str]:
    rows = conn.exec_driver_sql("SELECT name FROM outbox_files WHERE item_id = ?", (item_id,)).all()
    return [r[0] for r in rows]


def _put_status(
    conn: Connection,
    receipt_no: str,
    status: str,
    history: list[Mapping[str, Any]],
    lookup_tag: str | None,
    item_code: str | None,
    now: float,
) -> None:
    conn.exec_driver_sql(
        "INSERT INTO submission_status (receipt_no, status, history, lookup_tag, item_code, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(receipt_no) DO UPDATE SET status = excluded.status, "
        "history = excluded.history, checked_at = excluded.checked_at, "
        "lookup_tag = COALESCE(excluded.lookup_tag, submission_status.lookup_tag), "
        "item_code = COALESCE(excluded.item_code, submission_status.item_code)",
        (receipt_no, status, json.dumps(list(history), ensure_ascii=False), lookup_tag, item_code, now),
    )


def _status_dict(row: Any) -> dict[str, Any]:
    return {
        "receipt_no": row[0],
        "status": row[1],
        "history": json.loads(row[2]),
        "item_code": row[3],
        "checked_at": row[4],
    }
