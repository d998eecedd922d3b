"""Periodic background rounds: heartbeat (remote configuration) and catalog sync, with jitter.

Each round sends a heartbeat (versions, queue depth, device states; answered with remote
configuration such as the poll interval) and then a catalog sync round (cheap when unchanged). Intervals are jittered by ±20 % so a
province of kiosks coming back from an outage does not poll in lockstep; failures back off with
full jitter and never retry sooner than the platform's ``Retry-After``.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from kiosk.platform.client import PlatformClient, PlatformError, RetryableError
from kiosk.sync.backoff import Backoff, jittered_interval
from kiosk.sync.engine import CatalogSync, SyncResult

log = logging.getLogger(__name__)

MIN_REMOTE_INTERVAL_S = 5
DeviceStates = Callable[[], dict[str, dict[str, Any]]]
QueueStats = Callable[[], dict[str, Any]]


class Heartbeat:
    """Builds and sends ``POST /v1/heartbeat``; remembers the remote configuration."""

    def __init__(
        self,
        client: PlatformClient,
        kiosk_id: str,
        *,
        app_version: str,
        catalog_version: Callable[[], int],
        queue_stats: QueueStats | None = None,
        device_states: DeviceStates | None = None,
    ) -> None:
        self.client = client
        self.kiosk_id = kiosk_id
        self.app_version = app_version
        self._catalog_version = catalog_version
        self._queue_stats = queue_stats
        self._device_states = device_states
        self.remote_config: dict[str, Any] = {}

    def body(self) -> dict[str, Any]:
        stats = self._queue_stats() if self._queue_stats else {}
        counts = stats.get("counts", {})
        return {
            "kiosk_id": self.kiosk_id,
            "app_version": self.app_version,
            "catalog_version": self._catalog_version(),
            "queue_depth": int(counts.get("pending", 0)) + int(counts.get("uploading", 0)),
            "oldest_pending_s": stats.get("oldest_pending_age_s"),
            "devices": self._device_states() if self._device_states else {},
        }

    def send(self) -> dict[str, Any]:
        answer = self.client.heartbeat(self.body())
        self.remote_config = dict(answer.get("config") or {})
        return self.remote_config


class SyncPoller:
    """A daemon thread running ``round()`` every (jittered) poll interval."""

    def __init__(
        self,
        sync: CatalogSync,
        *,
        interval_s: float,
        heartbeat: Heartbeat | None = None,
        on_catalog_updated: Callable[[SyncResult], None] | None = None,
        rng: random.Random | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        self.sync = sync
        self.interval_s = float(interval_s)
        self.heartbeat = heartbeat
        self.on_catalog_updated = on_catalog_updated
        self.rng = rng or random.Random()
        self.backoff = backoff or Backoff(base=min(30.0, self.interval_s), cap=self.interval_s, rng=self.rng)
        self.failures = 0
        self.last_result: SyncResult | None = None
        self.latest_announced: int | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, initial_delay_s: float | None = None) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        first = (
            self.rng.uniform(0, min(30.0, self.interval_s)) if initial_delay_s is None else initial_delay_s
        )
        self._thread = threading.Thread(target=self._run, args=(first,), name="catalog-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def trigger(self) -> None:
        """Run a round now (e.g. after the network came back)."""
        self._wake.set()

    def _run(self, first_wait: float) -> None:
        wait = first_wait
        while not self._stop.is_set():
            self._wake.wait(wait)
            self._wake.clear()  # cleared before the round: a trigger() during it is not lost
            if self._stop.is_set():
                break
            try:
                wait = self._after(self.round())
            except Exception:
                log.exception("catalog poll round failed")
                wait = self.interval_s

    def round(self) -> SyncResult:
        """Heartbeat (remote configuration, queue depth), then a catalog sync round."""
        retry_after: float | None = None
        latest: int | None = None
        if self.heartbeat is not None:
            try:
                config = self.heartbeat.send()
                latest = config.get("latest_catalog_version")
                if isinstance(config.get("poll_interval_s"), int) and config["poll_interval_s"] > 0:
                    # the platform may slow kiosks down or speed them up, but never below 5 s
                    self.interval_s = float(max(MIN_REMOTE_INTERVAL_S, config["poll_interval_s"]))
            except RetryableError as exc:
                retry_after = exc.retry_after
                log.info("heartbeat failed: %s", exc)
            except PlatformError as exc:
                log.warning("heartbeat rejected: %s", exc)
        # always ask: an unchanged catalog costs one ~600-byte answer and no re-verification, and the
        # platform's version number alone cannot tell a different publication with the same version
        # (a kiosk seeded from another platform) from the one held
        result = self.sync.sync()
        self.latest_announced = latest
        if result.retry_after is None:
            result.retry_after = retry_after
        self.last_result = result
        if result.result == "updated" and self.on_catalog_updated:
            self.on_catalog_updated(result)
        return result

    def _after(self, result: SyncResult) -> float:
        if result.ok:
            self.failures = 0
            return jittered_interval(self.interval_s, self.rng)
        self.failures += 1
        return self.backoff.delay(self.failures, result.retry_after)
