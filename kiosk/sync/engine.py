"""Catalog sync: fetch a signed changeset, apply and verify it in one transaction, keep the last good.

The Remote Settings model: the changeset (since the local version) is applied inside the database
transaction, the signature is verified over the FULL resulting live set (plus version and expiry),
and only then committed. Rollback, expired, tampered and unsigned publications are rejected. After a
verification failure the engine refetches the full set once; if that fails too, the last good
catalog stays and the reason is recorded. A signed bundle (a full changeset saved as JSON) can be
imported from a file for kiosks without network; the bundled seed is imported on first boot.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.platform import signing
from kiosk.platform.client import PermanentError, PlatformClient, PlatformError, RetryableError
from offline_cache.catalog_store import CatalogStore, ChangesetError, Record

log = logging.getLogger(__name__)

Now = Callable[[], datetime]


@dataclass
class SyncResult:
    """Outcome of one catalog sync or import (stable ``result`` codes for UI/CLI)."""

    result: str  # updated | up_to_date | failed | offline
    version_before: int
    version_after: int
    records: int | None = None
    bytes: int = 0
    duration_s: float = 0.0
    full_refetch: bool = False
    reason: str | None = None  # signature reason (rollback, expired, bad_signature, unsigned, ...)
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.result in ("updated", "up_to_date")

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


class CatalogSync:
    """Keeps the local catalog (``CatalogStore``) equal to the latest verified publication."""

    def __init__(
        self,
        store: CatalogStore,
        root_keys: Sequence[str],
        client: PlatformClient | None = None,
        *,
        now: Now = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.root_keys = list(root_keys)
        self.client = client
        self._now = now

    # -- verification ----------------------------------------------------------------------------
    def _verifier(self, changeset: dict[str, Any], min_version: int, allow_expired: bool = False):
        def verify(version: int, expires: str, records: list[Record]) -> None:
            if not self.root_keys:
                raise signing.SignatureError("unknown_root", "no trusted catalog root keys are configured")
            now = self._now()
            if allow_expired:  # first-boot seed only: judge it at its own expiry instant
                now = min(now, signing.parse_time(expires) - timedelta(seconds=1))
            signing.verify_publication(
                {
                    "version": version,
                    "expires": expires,
                    "records": records,
                    "signature": changeset.get("signature"),
                    "signer": changeset.get("signer"),
                },
                self.root_keys,
                now,
                min_version=min_version,
            )

        return verify

    def apply(self, changeset: dict[str, Any], *, source: str, allow_expired: bool = False) -> int:
        """Apply + verify + commit one changeset; raises SignatureError/ChangesetError on rejection."""
        if not isinstance(changeset, dict):
            raise ChangesetError("a changeset must be a JSON object")
        if not changeset.get("signature") or not changeset.get("signer"):
            # no transaction needed to know it cannot be trusted
            exc = signing.SignatureError("unsigned", "the publication carries no signature or signer")
            self.store.record_failure(str(exc))
            raise exc
        current = self.store.state().version
        return self.store.apply_changeset(
            changeset, self._verifier(changeset, current, allow_expired), source=source
        )

    # -- network sync ----------------------------------------------------------------------------
    def sync(self) -> SyncResult:
        """One round against the platform; never raises for network or verification problems."""
        started = time.monotonic()
        state = self.store.state()
        before, before_sig = state.version, state.signature
        result = SyncResult("failed", before, before)
        if self.client is None:
            result.result, result.error = "offline", "no platform configured"
            return result
        try:
            resp = self.client.changeset(before)
            result.bytes += resp.nbytes
            if self._unchanged(resp.body):
                self.store.record_success("up_to_date")
                result.result = "up_to_date"
                return self._finish(result, started)
            try:  # even an empty changeset is verified: it re-proves the live set and its expiry
                result.records = self.apply(resp.body, source="sync")
            except (signing.SignatureError, ChangesetError) as first:
                log.warning("catalog changeset rejected (%s); refetching the full set once", first)
                result.full_refetch = True
                resp = self.client.changeset(0)
                result.bytes += resp.nbytes
                result.records = self.apply(resp.body, source="sync-full")
            result.result = "updated" if self.store.state().signature != before_sig else "up_to_date"
        except signing.SignatureError as exc:
            result.reason, result.error = exc.reason, str(exc)
        except ChangesetError as exc:
            result.reason = "rollback" if str(exc).startswith("rollback") else "malformed"
            result.error = str(exc)
        except RetryableError as exc:
            result.result, result.error, result.retry_after = "offline", str(exc), exc.retry_after
            self.store.record_failure(str(exc))
        except PermanentError as exc:
            result.reason, result.error = exc.code or "rejected", str(exc)
            self.store.record_failure(str(exc))
        except PlatformError as exc:  # pragma: no cover - all subclasses handled above
            result.error = str(exc)
        if not result.ok:
            log.warning("catalog sync: %s (%s)", result.result, result.reason or result.error)
        return self._finish(result, started)

    def _finish(self, result: SyncResult, started: float) -> SyncResult:
        result.version_after = self.store.state().version
        result.duration_s = round(time.monotonic() - started, 3)
        return result

    def _unchanged(self, changeset: Any) -> bool:
        """An empty changeset carrying exactly the signature already verified, not yet expired.

        The local set was verified under that signature when it was committed, so re-verifying 10k
        records every poll would only burn CPU; anything else goes through full verification.
        """
        state = self.store.state()
        sig = changeset.get("signature") if isinstance(changeset, dict) else None
        return (
            state.version > 0
            and state.signature is not None
            and isinstance(sig, dict)
            and sig.get("value") == state.signature
            and changeset.get("version") == state.version
            and changeset.get("expires") == state.expires
            and not changeset.get("full")
            and not changeset.get("upserts")
            and not changeset.get("tombstones")
            and not self.is_expired()
        )

    # -- offline bundles -------------------------------------------------------------------------
    def import_bundle(self, path: Path, *, allow_expired: bool = False) -> SyncResult:
        """Import a signed bundle file (a full changeset saved as JSON)."""
        started = time.monotonic()
        state = self.store.state()
        before, before_sig = state.version, state.signature
        result = SyncResult("failed", before, before)
        try:
            raw = Path(path).read_bytes()
            result.bytes = len(raw)
            bundle = json.loads(raw)
            if not isinstance(bundle, dict) or not bundle.get("full") or bundle.get("since", 0) != 0:
                raise ChangesetError("a bundle must be a full changeset (since 0, full true)")
            source = f"bundle:{Path(path).name}"
            result.records = self.apply(bundle, source=source, allow_expired=allow_expired)
            result.result = "updated" if self.store.state().signature != before_sig else "up_to_date"
        except OSError as exc:
            result.reason, result.error = "unreadable", f"{path}: {exc.strerror or exc}"
        except ValueError as exc:  # JSON, ChangesetError and SignatureError are ValueErrors
            result.reason = getattr(exc, "reason", None) or (
                "rollback" if str(exc).startswith("rollback") else "malformed"
            )
            result.error = str(exc)
            if not isinstance(exc, signing.SignatureError | ChangesetError):
                self.store.record_failure(f"bundle {Path(path).name}: {exc}")
        result.version_after = self.store.state().version
        result.duration_s = round(time.monotonic() - started, 3)
        return result

    def ensure_catalog(self, seed_path: Path | None) -> SyncResult | None:
        """First boot: import the signed seed when no verified catalog exists yet (offline)."""
        if self.store.state().version > 0:
            return None
        if seed_path is None or not Path(seed_path).exists():
            log.error("no verified catalog and no signed seed at %s", seed_path)
            return SyncResult("failed", 0, 0, reason="no_seed", error=f"missing seed {seed_path}")
        result = self.import_bundle(seed_path, allow_expired=True)
        if result.ok and self.is_expired():
            log.warning("the bundled seed catalog has expired; it is used until a sync succeeds")
        return result

    def current_document(self) -> dict[str, Any] | None:
        """The verified catalog as a catalog document (for ``kiosk.catalog.loader``); None if empty."""
        from kiosk.catalog.records import records_to_document

        state = self.store.state()
        if state.version == 0:
            return None
        return records_to_document(self.store.live_records(), state.version)

    # -- reporting -------------------------------------------------------------------------------
    def is_expired(self) -> bool:
        expires = self.store.state().expires
        return bool(expires) and signing.parse_time(expires) < self._now()

    def info(self) -> dict[str, Any]:
        """What ``kiosk catalog info --json`` prints."""
        s = self.store.state()
        return {
            "version": s.version,
            "item_count": s.counts_by_kind.get("item", 0),
            "record_count": s.record_count,
            "counts_by_kind": s.counts_by_kind,
            "signer": s.signer_key_id,
            "verified": s.verified,
            "expires": s.expires,
            "expired": self.is_expired() if s.expires else None,
            "source": s.source,
            "last_sync_at": _iso(s.last_sync_at),
            "last_sync_result": s.last_sync_result,
            "last_error": s.last_error,
            "last_success_at": _iso(s.last_success_at),
        }


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if ts else None
