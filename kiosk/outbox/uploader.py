"""Background uploader of the outbox (a plain thread; Qt-free).

For each due item: attachments go up with tus (resuming from the server's offset; the upload URL is
committed before the first byte is sent), then the submission is POSTed with its idempotency key
created at capture time. Retryable failures (5xx, timeouts, resets, 429, 409 in flight) are retried
forever with exponential backoff and full jitter, never sooner than ``Retry-After``; a transport
failure or a 429/503 pauses the whole pass. Permanent 4xx rejections move the item to ``dead``.
Only one process drains a data directory at a time (an ``flock`` on ``outbox.lock``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.outbox.service import Outbox, OutboxError, PreparedSubmission
from kiosk.platform.client import PermanentError, PlatformClient, RetryableError
from kiosk.sync.backoff import Backoff
from offline_cache.outbox_store import ItemRow

log = logging.getLogger(__name__)


@dataclass
class DrainResult:
    """Outcome of one pass over the due items."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    busy: bool = False  # another process holds the outbox lock
    paused_for_s: float | None = None  # platform unreachable or rate limiting
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class OutboxUploader:
    """Drains the outbox to the platform; ``start()`` runs it in a daemon thread."""

    def __init__(
        self,
        outbox: Outbox,
        client: PlatformClient,
        *,
        lock_path: Path,
        chunk_bytes: int = 262_144,
        backoff: Backoff | None = None,
        idle_poll_s: float = 30.0,
        purge_every_s: float = 600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self.lock_path = Path(lock_path)
        self.chunk_bytes = chunk_bytes
        self.backoff = backoff or Backoff()
        self.idle_poll_s = idle_poll_s
        self.purge_every_s = purge_every_s
        self._clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._paused_until = 0.0
        self._last_purge = 0.0

    # -- thread ------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-uploader", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Call after enqueueing so the new item goes out without waiting for the next poll."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before the pass: a wake() during the pass is not lost
            try:
                result = self.drain_once()
                if self._clock() - self._last_purge >= self.purge_every_s:
                    self.outbox.purge_expired()
                    self._last_purge = self._clock()
                wait = self._next_wait(result)
            except Exception:
                log.exception("outbox uploader pass failed")
                wait = self.idle_poll_s
            self._wake.wait(wait)

    def _next_wait(self, result: DrainResult) -> float:
        now = self._clock()
        if result.busy:
            return min(self.idle_poll_s, 5.0)
        if self._paused_until > now:
            return self._paused_until - now
        due = self.outbox.store.next_due_at()
        if due is None:
            return self.idle_poll_s
        return min(self.idle_poll_s, max(0.0, due - now))

    # -- one pass ----------------------------------------------------------------------------------
    def drain_once(self, max_items: int | None = None) -> DrainResult:
        """Send every due item once (or until the platform is unreachable)."""
        result = DrainResult()
        with self._exclusive() as got:
            if not got:
                result.busy = True
                return result
            done = 0
            while not self._stop.is_set():
                items = self.outbox.store.due_items(self._clock(), limit=50)
                if not items:
                    break
                for item in items:
                    if self._stop.is_set() or (max_items is not None and done >= max_items):
                        return result
                    done += 1
                    if not self._process(item, result):
                        return result
        return result

    def _process(self, item: ItemRow, result: DrainResult) -> bool:
        """Send one item; False when the pass should stop (platform unreachable / rate limited)."""
        store = self.outbox.store
        try:
            if item.kind == "submission":
                platform_id, status = self._send_submission(item)
            else:
                platform_id, status = self._send_evaluation(item)
        except RetryableError as exc:
            now = self._clock()
            delay = self.backoff.delay(item.attempts, exc.retry_after)
            store.mark_retry(item.id, now + delay, exc.status, exc.code or "retryable")
            result.retried += 1
            result.last_error = str(exc)
            log.info("outbox item %d: %s; retry in %.1f s", item.id, exc, delay)
            if exc.status is None or exc.status in (429, 503) or exc.retry_after is not None:
                self._paused_until = now + (exc.retry_after if exc.retry_after is not None else delay)
                result.paused_for_s = self._paused_until - now
                return False
            return True
        except PermanentError as exc:
            store.mark_dead(item.id, exc.status, exc.code or "rejected")
            result.dead += 1
            result.last_error = str(exc)
            log.warning("outbox item %d rejected permanently: %s", item.id, exc)
            return True
        except OutboxError as exc:
            store.mark_dead(item.id, None, "local_data_unreadable")
            result.dead += 1
            result.last_error = str(exc)
            log.error("outbox item %d cannot be read back: %s", item.id, exc)
            return True
        store.mark_sent(item.id, platform_id, status)
        result.sent += 1
        return True

    def _send_submission(self, item: ItemRow) -> tuple[str | None, int]:
        prepared = self.outbox.prepare_submission(item)
        if item.state == "pending":
            self.outbox.store.mark_uploading(item.id)
        upload_ids = self._upload_files(item, prepared)
        body = Outbox.final_body(prepared, upload_ids)
        resp = self.client.submit(body, item.idem_key)
        platform_id = resp.body.get("platform_id") if isinstance(resp.body, dict) else None
        return platform_id, resp.status

    def _upload_files(self, item: ItemRow, prepared: PreparedSubmission) -> dict[int, str]:
        store = self.outbox.store
        names = _filenames(prepared)
        ids: dict[int, str] = {}
        for f in prepared.files:
            data = self.outbox.read_file(item, f)

            def created(path: str, seq: int = f.seq) -> None:
                store.set_upload(item.id, seq, path, 0, False)  # durable before the first byte

            path = self.client.tus_upload(
                data,
                f.upload_url,
                sha256_hex=f.sha256,
                filename=names.get(f.seq, f"file{f.seq}"),
                content_type=f.content_type,
                chunk_size=self.chunk_bytes,
                on_created=created,
            )
            if not f.done or path != f.upload_url:
                store.set_upload(item.id, f.seq, path, f.size, True)
            ids[f.seq] = path.rstrip("/").rsplit("/", 1)[-1]
        return ids

    def _send_evaluation(self, item: ItemRow) -> tuple[str | None, int]:
        body = self.outbox.open_payload(item)
        resp = self.client.evaluate(item.receipt_no, body, item.idem_key)
        evaluation_id = resp.body.get("evaluation_id") if isinstance(resp.body, dict) else None
        return evaluation_id, resp.status

    # -- cross-process exclusion -------------------------------------------------------------------
    @contextmanager
    def _exclusive(self) -> Iterator[bool]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _filenames(prepared: PreparedSubmission) -> dict[int, str]:
    names: dict[int, str] = {}
    for m in prepared.body.get("materials", []):
        if m.get("attachment") is not None:
            names[m["attachment"]] = m.get("filename") or "material"
        if m.get("commitment_signature") is not None:
            names[m["commitment_signature"]] = "commitment-signature.png"
    return names
