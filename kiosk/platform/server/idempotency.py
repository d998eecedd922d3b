"""Idempotency-Key handling (Stripe / draft-ietf-httpapi-idempotency-key-header).

Keys are unique per kiosk and kept forever. The first request claims the key (``in_flight``) in its own
transaction; the operation then runs in a second transaction that also stores the response, so a
stored response and its effect commit together. Errors release the key (only 2xx results are stored).
A claim older than ``stale_after_s`` (a crashed request) may be taken over.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.models import Database, IdempotencyRecord, utcnow
from kiosk.platform.signing import canonical_json

Handler = Callable[[Session], tuple[int, dict[str, Any]]]


def normalise_key(raw: str | None) -> str:
    """Validate the header; a Structured-Field quoted string ``"..."`` is unquoted."""
    if raw is None or not raw.strip():
        raise ApiError(400, "idempotency_key_missing", "Idempotency-Key header is required")
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > 255 or not all(33 <= ord(c) <= 126 for c in key):
        raise ApiError(400, "idempotency_key_invalid", "Idempotency-Key: 1-255 visible ASCII characters")
    return key


def fingerprint(method: str, path: str, payload: Any) -> str:
    """SHA-256 over the operation and the canonical JSON of the parsed body."""
    digest = hashlib.sha256(f"{method.upper()} {path}\n".encode())
    digest.update(canonical_json(payload))
    return digest.hexdigest()


class IdempotencyStore:
    """Runs an operation at most once per (kiosk, key)."""

    def __init__(self, db: Database, stale_after_s: float = 60.0) -> None:
        self.db = db
        self.stale_after = timedelta(seconds=stale_after_s)

    def run(self, kiosk_id: str, key: str, fp: str, handler: Handler) -> tuple[int, dict[str, Any], bool]:
        """Return (status, body, replayed)."""
        stored = self._claim(kiosk_id, key, fp)
        if stored is not None:
            return stored[0], stored[1], True
        try:
            with self.db.session() as session:
                status, body = handler(session)
                session.execute(
                    update(IdempotencyRecord)
                    .where(IdempotencyRecord.kiosk_id == kiosk_id, IdempotencyRecord.key == key)
                    .values(
                        state="done",
                        status_code=status,
                        response_json=json.dumps(body, ensure_ascii=False, sort_keys=True),
                        finished_at=utcnow(),
                    )
                )
        except IntegrityError as exc:
            self._release(kiosk_id, key)
            raise ApiError(409, "conflict", "a conflicting request is being processed; retry later") from exc
        except BaseException:
            self._release(kiosk_id, key)
            raise
        return status, body, False

    def _claim(self, kiosk_id: str, key: str, fp: str) -> tuple[int, dict[str, Any]] | None:
        for _attempt in range(3):
            now = utcnow()
            try:
                with self.db.session() as session:
                    row = session.scalars(
                        select(IdempotencyRecord)
                        .where(IdempotencyRecord.kiosk_id == kiosk_id, IdempotencyRecord.key == key)
                        .with_for_update()
                    ).one_or_none()
                    if row is None:
                        session.add(
                            IdempotencyRecord(
                                kiosk_id=kiosk_id, key=key, fingerprint=fp, state="in_flight", started_at=now
                            )
                        )
                        return None
                    if row.fingerprint != fp:
                        raise ApiError(
                            422, "idempotency_key_reused", "Idempotency-Key was used with a different payload"
                        )
                    if row.state == "done":
                        return int(row.status_code or 200), json.loads(row.response_json or "{}")
                    if row.started_at > now - self.stale_after:
                        raise ApiError(
                            409,
                            "in_flight",
                            "a request with this Idempotency-Key is in progress; retry",
                            {"Retry-After": "1"},
                        )
                    row.started_at = now  # the earlier attempt died: take the claim over
                    return None
            except IntegrityError:
                continue  # a concurrent request inserted the key first: look again
        raise ApiError(
            409,
            "in_flight",
            "a request with this Idempotency-Key is in progress; retry",
            {"Retry-After": "1"},
        )

    def _release(self, kiosk_id: str, key: str) -> None:
        with self.db.session() as session:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.kiosk_id == kiosk_id,
                    IdempotencyRecord.key == key,
                    IdempotencyRecord.state == "in_flight",
                )
            )
