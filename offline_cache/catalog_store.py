"""The local copy of the signed catalog: live records plus the state of the last publication.

A changeset (upserts, tombstones, or a full replacement) is applied inside ONE ``BEGIN IMMEDIATE``
transaction; the full live set that results is handed to an injected ``verify`` callback before
COMMIT. If the callback raises, the transaction rolls back (the previous catalog stays exactly as
it was) and the reason is recorded in ``catalog_state`` in a separate transaction. This module
knows nothing about signatures: the caller (kiosk.sync) supplies the verification.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection

from offline_cache.db import Database
from offline_cache.migrations import Migration, migrate

COMPONENT = "catalog"

MIGRATIONS = [
    Migration(
        1,
        "catalog records and publication state",
        (
            """
            CREATE TABLE catalog_records (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE catalog_state (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                version INTEGER NOT NULL DEFAULT 0,
                expires TEXT,
                signer_key_id TEXT,
                signature TEXT,
                verified INTEGER NOT NULL DEFAULT 0,
                source TEXT,
                last_sync_at REAL,
                last_sync_result TEXT,
                last_error TEXT,
                last_success_at REAL
            )
            """,
            "INSERT INTO catalog_state (singleton) VALUES (1)",
        ),
    ),
]

Record = dict[str, Any]
Verify = Callable[[int, str, list[Record]], None]


class ChangesetError(ValueError):
    """The changeset is malformed or would roll the catalog back; nothing was changed."""


@dataclass(frozen=True, slots=True)
class CatalogState:
    """The publication the local catalog currently holds and the outcome of the last sync."""

    version: int
    expires: str | None
    signer_key_id: str | None
    signature: str | None  # base64 signature value of the publication held
    verified: bool
    source: str | None
    last_sync_at: float | None
    last_sync_result: str | None
    last_error: str | None
    last_success_at: float | None
    record_count: int
    counts_by_kind: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _key(record: Mapping[str, Any], what: str) -> tuple[str, str]:
    if not isinstance(record, Mapping):
        raise ChangesetError(f"{what} must be objects, got {type(record).__name__}")
    kind, rid = record.get("kind"), record.get("id")
    if not isinstance(kind, str) or not isinstance(rid, str) or not kind or not rid:
        raise ChangesetError(f"{what} need non-empty string 'kind' and 'id'")
    return kind, rid


class CatalogStore:
    """SQLite tables ``catalog_records`` and ``catalog_state`` (schema managed by migrations)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self._clock = clock
        migrate(db, COMPONENT, MIGRATIONS)

    # -- reading -------------------------------------------------------------------------------
    def live_records(self) -> list[Record]:
        """All live records sorted by (kind, id), as ``{"kind", "id", "data"}`` dicts."""
        with self.db.reader() as conn:
            return _live(conn)

    def state(self) -> CatalogState:
        with self.db.reader() as conn:
            row = conn.exec_driver_sql(
                "SELECT version, expires, signer_key_id, signature, verified, source, last_sync_at, "
                "last_sync_result, last_error, last_success_at FROM catalog_state WHERE singleton = 1"
            ).one()
            counts = dict(
                conn.exec_driver_sql("SELECT kind, COUNT(*) FROM catalog_records GROUP BY kind").all()
            )
        return CatalogState(
            version=int(row[0]),
            expires=row[1],
            signer_key_id=row[2],
            signature=row[3],
            verified=bool(row[4]),
            source=row[5],
            last_sync_at=row[6],
            last_sync_result=row[7],
            last_error=row[8],
            last_success_at=row[9],
            record_count=sum(counts.values()),
            counts_by_kind={str(k): int(v) for k, v in counts.items()},
        )

    # -- writing -------------------------------------------------------------------------------
    def apply_changeset(self, changeset: Mapping[str, Any], verify: Verify, *, source: str = "sync") -> int:
        """Apply ``changeset`` atomically, verified by ``verify(version, expires, live_records)``.

        Returns the number of live records. Raises ChangesetError for malformed or rolled-back
        changesets and re-raises whatever ``verify`` raises; in both cases nothing is changed
        except the failure reason recorded in ``catalog_state``.
        """
        try:
            version, expires, full, upserts, tombstones = _parse(changeset)
            with self.db.writer() as conn:
                current = int(
                    conn.exec_driver_sql("SELECT version FROM catalog_state WHERE singleton = 1").scalar()
                )
                if version < current:
                    raise ChangesetError(f"rollback: publication {version} is older than local {current}")
                if not full and _as_int(changeset.get("since", -1)) != current:
                    raise ChangesetError(
                        f"changeset is based on version {changeset.get('since')}, local is {current}"
                    )
                if full:
                    conn.exec_driver_sql("DELETE FROM catalog_records")
                if upserts:
                    conn.exec_driver_sql(
                        "INSERT INTO catalog_records (kind, id, data) VALUES (?, ?, ?) "
                        "ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data",
                        [(k, i, _dumps(r.get("data", {}))) for (k, i), r in upserts],
                    )
                if tombstones:
                    conn.exec_driver_sql(
                        "DELETE FROM catalog_records WHERE kind = ? AND id = ?", list(tombstones)
                    )
                # a full set is verified from memory (what was just stored, re-read it would be equal)
                live = _sorted_upserts(upserts) if full else _live(conn)
                verify(version, expires, live)  # raises -> ROLLBACK
                sig = changeset.get("signature") or {}
                now = self._clock()
                conn.exec_driver_sql(
                    "UPDATE catalog_state SET version = ?, expires = ?, signer_key_id = ?, signature = ?, "
                    "verified = 1, source = ?, last_sync_at = ?, last_sync_result = 'ok', "
                    "last_error = NULL, last_success_at = ? WHERE singleton = 1",
                    (version, expires, sig.get("key_id"), sig.get("value"), source, now, now),
                )
                return len(live)
        except Exception as exc:
            with contextlib.suppress(Exception):  # the original error matters more
                self.record_failure(f"{type(exc).__name__}: {exc}")
            raise

    def record_success(self, result: str = "ok") -> None:
        """Record a sync round that found nothing new (the catalog is unchanged and still valid)."""
        with self.db.writer() as conn:
            now = self._clock()
            conn.exec_driver_sql(
                "UPDATE catalog_state SET last_sync_at = ?, last_sync_result = ?, last_error = NULL, "
                "last_success_at = ? WHERE singleton = 1",
                (now, result, now),
            )

    def record_failure(self, reason: str) -> None:
        """Record why the last sync failed; the catalog itself is left untouched."""
        with self.db.writer() as conn:
            conn.exec_driver_sql(
                "UPDATE catalog_state SET last_sync_at = ?, last_sync_result = 'failed', last_error = ? "
                "WHERE singleton = 1",
                (self._clock(), reason[:500]),
            )


def _live(conn: Connection) -> list[Record]:
    rows = conn.exec_driver_sql("SELECT kind, id, data FROM catalog_records ORDER BY kind, id").all()
    return [{"kind": k, "id": i, "data": json.loads(d)} for k, i, d in rows]


def _sorted_upserts(upserts: list[tuple[tuple[str, str], Mapping[str, Any]]]) -> list[Record]:
    latest = {key: r for key, r in upserts}  # a repeated key: the last one wins, as in the table
    return [{"kind": k, "id": i, "data": latest[(k, i)].get("data", {})} for k, i in sorted(latest)]


def _parse(
    cs: Mapping[str, Any],
) -> tuple[int, str, bool, list[tuple[tuple[str, str], Mapping[str, Any]]], list[tuple[str, str]]]:
    if not isinstance(cs, Mapping):
        raise ChangesetError("changeset must be a JSON object")
    version, expires = cs.get("version"), cs.get("expires")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ChangesetError("changeset 'version' must be a non-negative integer")
    if not isinstance(expires, str):
        raise ChangesetError("changeset 'expires' must be a string")
    upserts_raw, tombstones_raw = cs.get("upserts", []), cs.get("tombstones", [])
    if not isinstance(upserts_raw, list) or not isinstance(tombstones_raw, list):
        raise ChangesetError("changeset 'upserts' and 'tombstones' must be lists")
    upserts = [(_key(r, "upserts"), r) for r in upserts_raw]
    for _, r in upserts:
        if not isinstance(r.get("data", {}), Mapping):
            raise ChangesetError("record 'data' must be an object")
    tombstones = [_key(t, "tombstones") for t in tombstones_raw]
    return version, expires, bool(cs.get("full", False)), upserts, _dedupe(tombstones)


def _dedupe(keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(keys))


def _as_int(value: object) -> int | None:
    """A changeset field as an int; None for anything that is not an integer (a malformed reply)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
