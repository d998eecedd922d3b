"""Catalog publications: diff a catalog against the live set, record a new signed version, serve changesets.

The live set holds each record with the version that last changed it; deletions go to an append-only
tombstone ledger. A changeset since V = live records changed after V + tombstones after V (minus
records live again); ``since`` 0 or a version never published = the full set (``full: true``).
"""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from kiosk.platform import signing
from kiosk.platform.server.errors import ApiError
from kiosk.platform.server.keys import KeyStore
from kiosk.platform.server.models import CatalogRecord, CatalogTombstone, CatalogVersion, Database, utcnow

RECORD_KINDS = ("item", "bundle", "service_point", "meta")


class CatalogError(ValueError):
    """The catalog file or its records are invalid."""


def validate_records(records: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """Check kinds, ids and data; return {(kind, id): canonical JSON text} (duplicates rejected)."""
    result: dict[tuple[str, str], str] = {}
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise CatalogError(f"record #{index} is not an object")
        kind, rid, data = record.get("kind"), record.get("id"), record.get("data")
        if kind not in RECORD_KINDS:
            raise CatalogError(f"record #{index}: kind must be one of {RECORD_KINDS}, got {kind!r}")
        if not isinstance(rid, str) or not rid or len(rid) > 200:
            raise CatalogError(f"record #{index}: id must be a non-empty string of at most 200 characters")
        if not isinstance(data, Mapping):
            raise CatalogError(f"record {kind}/{rid}: data must be an object")
        if (kind, rid) in result:
            raise CatalogError(f"duplicate record {kind}/{rid}")
        try:
            result[(kind, rid)] = signing.canonical_json(dict(record)).decode("utf-8")
        except ValueError as exc:
            raise CatalogError(f"record {kind}/{rid} is not canonical JSON: {exc}") from exc
    return result


def load_catalog_file(path: Path) -> list[dict[str, Any]]:
    """Records from a file: a record list, ``{"records": [...]}``, a full changeset, or a catalog document."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc}") from exc
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        return doc["records"]
    if isinstance(doc, dict) and doc.get("full") is True and isinstance(doc.get("upserts"), list):
        return doc["upserts"]
    # A catalog document: validated by the catalog module, then flattened (lazy imports on purpose).
    from kiosk.catalog.loader import load_catalog_document
    from kiosk.catalog.records import document_to_records

    try:
        load_catalog_document(doc)
    except ValueError as exc:
        raise CatalogError(f"{path} is not a valid catalog document: {exc}") from exc
    return list(document_to_records(doc))


class CatalogService:
    """Publishes versions and answers changeset requests (small cache of serialized responses)."""

    def __init__(self, db: Database, keys: KeyStore, cache_size: int = 8) -> None:
        self.db = db
        self.keys = keys
        self._cache: OrderedDict[tuple[int, int, bool], bytes] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def publish(
        self,
        records: Iterable[Mapping[str, Any]],
        expires_days: float = 30,
        source: str | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Diff ``records`` against the live set and publish the next version, signed."""
        if expires_days <= 0:
            raise CatalogError("expires_days must be positive")
        new = validate_records(records)
        now = now or datetime.now(UTC)
        key, cert = self.keys.current_signer()
        if signing.parse_time(cert["not_after"]) <= now:
            raise CatalogError(f"signing key {cert['key_id']} expired; run rotate-key")
        expires = signing.format_time(now + timedelta(days=expires_days))
        with self.db.session() as session:
            current = {(r.kind, r.record_id): r for r in session.scalars(select(CatalogRecord))}
            version = (session.scalar(select(func.max(CatalogVersion.version))) or 0) + 1
            changed = [k for k, text in new.items() if k not in current or current[k].data_json != text]
            removed = [k for k in current if k not in new]
            for kind, rid in changed:
                row = current.get((kind, rid))
                if row is None:
                    session.add(
                        CatalogRecord(
                            kind=kind, record_id=rid, data_json=new[(kind, rid)], modified_version=version
                        )
                    )
                else:
                    row.data_json, row.modified_version = new[(kind, rid)], version
            for kind, rid in removed:
                session.execute(
                    delete(CatalogRecord).where(CatalogRecord.kind == kind, CatalogRecord.record_id == rid)
                )
                session.add(CatalogTombstone(kind=kind, record_id=rid, version=version))
            live = [json.loads(text) for text in new.values()]
            signed = signing.sign_publication(live, version, expires, key, cert)
            block = {"signature": signed["signature"], "signer": signed["signer"]}
            session.add(
                CatalogVersion(
                    version=version,
                    published_at=utcnow(),
                    expires=expires,
                    signature_json=json.dumps(block, sort_keys=True),
                    record_count=len(new),
                    upserts=len(changed),
                    tombstones=len(removed),
                    source=source,
                )
            )
        return {
            "version": version,
            "expires": expires,
            "records": len(new),
            "upserts": len(changed),
            "tombstones": len(removed),
            "key_id": cert["key_id"],
        }

    def clear_cache(self) -> None:
        """Forget serialized changesets (needed only if the tables are changed behind the service's back)."""
        with self._lock:
            self._cache.clear()

    def latest_version(self) -> int:
        with self.db.read_session() as session:
            return session.scalar(select(func.max(CatalogVersion.version))) or 0

    def changeset(self, since: int) -> dict[str, Any]:
        return json.loads(self.changeset_bytes(since))

    def changeset_bytes(self, since: int, gzipped: bool = False) -> bytes:
        """The serialized changeset from ``since`` to the latest version (UTF-8 JSON, optionally gzip)."""
        for _attempt in range(5):
            with self.db.read_session() as session:
                latest = session.scalar(select(func.max(CatalogVersion.version)))
            if latest is None:
                raise ApiError(404, "no_publication", "no catalog has been published yet")
            effective = since if 0 < since <= latest else 0
            with self._lock:
                cached = self._cache.get((latest, effective, gzipped))
            if cached is not None:
                return cached
            body, version_seen = self._build(effective)
            if version_seen == latest:  # nothing published meanwhile: consistent
                if gzipped:
                    body = gzip.compress(body, compresslevel=6, mtime=0)
                with self._lock:
                    self._cache[(latest, effective, gzipped)] = body
                    while len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
                return body
        raise ApiError(503, "publication_in_progress", "catalog changed while reading", {"Retry-After": "1"})

    def _build(self, since: int) -> tuple[bytes, int]:
        with self.db.read_session() as session:
            head = session.scalars(
                select(CatalogVersion).order_by(CatalogVersion.version.desc()).limit(1)
            ).one()
            query = select(CatalogRecord.data_json).order_by(CatalogRecord.kind, CatalogRecord.record_id)
            if since:
                query = query.where(CatalogRecord.modified_version > since)
            upserts = [json.loads(text) for text in session.scalars(query)]
            tombstones: list[dict[str, str]] = []
            if since:
                live = {
                    (k, i) for k, i in session.execute(select(CatalogRecord.kind, CatalogRecord.record_id))
                }
                seen: set[tuple[str, str]] = set()
                ledger = select(CatalogTombstone.kind, CatalogTombstone.record_id).where(
                    CatalogTombstone.version > since
                )
                for kind, rid in session.execute(
                    ledger.order_by(CatalogTombstone.kind, CatalogTombstone.record_id)
                ):
                    if (kind, rid) not in live and (kind, rid) not in seen:
                        seen.add((kind, rid))
                        tombstones.append({"kind": kind, "id": rid})
            block = json.loads(head.signature_json)
            result = {
                "version": head.version,
                "since": since,
                "expires": head.expires,
                "full": since == 0,
                "published_at": head.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "upserts": upserts,
                "tombstones": tombstones,
                "signature": block["signature"],
                "signer": block["signer"],
            }
        return json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), head.version

    def versions(self) -> list[dict[str, Any]]:
        with self.db.read_session() as session:
            rows = session.scalars(select(CatalogVersion).order_by(CatalogVersion.version)).all()
            return [
                {
                    "version": r.version,
                    "published_at": r.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "expires": r.expires,
                    "records": r.record_count,
                    "upserts": r.upserts,
                    "tombstones": r.tombstones,
                    "source": r.source,
                }
                for r in rows
            ]
