"""The adapter base: one I/O thread per device, commands with timeouts and cancel, push-only events.

Subclasses implement ``_open`` (connect, return DeviceInfo), ``_close`` and ``_poll`` (read the
current status when idle). Any DeviceUnavailable or OSError raised on the I/O thread closes the
device, reports POWER_OFF and reconnects with exponential backoff, without a restart.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

from devices.model import (
    Availability,
    DeviceError,
    DeviceEvent,
    DeviceInfo,
    DeviceStatus,
    DeviceUnavailable,
    EventKind,
    ResultCode,
    diff_status,
)

T = TypeVar("T")
Listener = Callable[[DeviceEvent], None]
log = logging.getLogger("kiosk.devices")


class CancelToken:
    """Passed to every command; long commands check ``cancelled`` between I/O steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise DeviceError(ResultCode.CANCELLED, "cancelled")


@dataclass(frozen=True, slots=True)
class Backoff:
    """Reconnect delays: ``min(cap, base * 2**n)`` with full jitter.

    The attempt count starts again only after a connection stayed up for ``stable`` seconds: a
    device that opens and then fails at once (a flaky cable, a printer port held by another host)
    is retried ever more slowly, not at the first delay forever.
    """

    base: float = 0.5
    cap: float = 30.0
    stable: float = 10.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        expo = min(self.cap, self.base * (2 ** min(attempt, 30)))
        return (rng or random).uniform(expo / 2, expo)


@dataclass
class _Command:
    fn: Callable[[CancelToken], Any]
    future: Future[Any]
    token: CancelToken


class DeviceAdapter(ABC):
    """Base class of every device adapter. Thread-safe public API; all I/O on the adapter's thread."""

    kind: str = "device"

    def __init__(
        self,
        name: str,
        *,
        required: bool = False,
        poll_interval: float = 0.5,
        backoff: Backoff | None = None,
    ) -> None:
        self.name = name
        self.required = required
        self.poll_interval = poll_interval
        self.backoff = backoff or Backoff()
        self._listeners: list[Listener] = []
        self._status = DeviceStatus()
        self._info = DeviceInfo(kind=self.kind, backend="")
        self._lock = threading.Lock()
        self._commands: queue.Queue[_Command | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._open_ok = False
        self._attempt = 0
        self._opened_at = 0.0
        self._reopen_later = False  # lost again before it was stable: wait before reopening

    # ----- public API (any thread) -----
    def add_listener(self, listener: Listener) -> None:
        """``listener`` is called on the adapter thread: it must return quickly and never block."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    @property
    def info(self) -> DeviceInfo:
        with self._lock:
            return self._info

    def start(self) -> None:
        if self._thread is not None:
            if self._thread.is_alive():
                return  # running, or a stop() whose join timed out: never two I/O threads
            self._thread = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"device-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._commands.put(None)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning(
                    "%s: I/O thread still busy %.1f s after stop; it ends after its current call",
                    self.name,
                    timeout,
                )
            else:
                self._thread = None

    def submit(self, fn: Callable[[CancelToken], T]) -> tuple[Future[T], CancelToken]:
        """Queue ``fn(token)`` on the adapter thread; returns its future and its cancel token."""
        future: Future[T] = Future()
        token = CancelToken()
        self._commands.put(_Command(fn, future, token))
        return future, token

    def call(self, fn: Callable[[CancelToken], T], timeout: float) -> T:
        """Run ``fn`` on the adapter thread and wait at most ``timeout`` seconds.

        Raises DeviceError(TIMEOUT) when the time is up (the command is cancelled), or the
        DeviceError the command raised.
        """
        future, token = self.submit(fn)
        try:
            return future.result(timeout)
        except FutureTimeout:
            token.cancel()
            future.cancel()
            raise DeviceError(ResultCode.TIMEOUT, f"{self.name}: no answer within {timeout:g} s") from None

    # ----- subclass hooks (adapter thread) -----
    @abstractmethod
    def _open(self) -> DeviceInfo:
        """Connect; raise DeviceUnavailable if the device is absent."""

    @abstractmethod
    def _close(self) -> None:
        """Release the connection; must not raise."""

    @abstractmethod
    def _poll(self) -> DeviceStatus:
        """Return the current status (called when idle, every ``poll_interval``)."""

    # ----- helpers for subclasses (adapter thread) -----
    def _set_status(
        self,
        new: DeviceStatus,
        kind: EventKind = EventKind.STATUS_CHANGED,
        data: Any = None,
        *,
        force: bool = False,
    ) -> None:
        with self._lock:
            old = self._status
            self._status = new
        changed = diff_status(old, new)
        if changed or force or kind != EventKind.STATUS_CHANGED:
            self._emit(DeviceEvent(self.name, kind, new, data, changed))

    def _emit(self, event: DeviceEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not kill the device thread
                log.exception("listener of %s failed", self.name)

    # ----- the I/O thread -----
    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._open_ok and (self._reopen_later or not self._try_open()):
                self._reopen_later = False
                self._wait_backoff()
                continue
            try:
                cmd = self._commands.get(timeout=self.poll_interval)
            except queue.Empty:
                cmd = None
                self._guard(lambda: self._set_status(self._poll()))
                continue
            if cmd is None:
                continue
            self._execute(cmd)
        self._fail_pending()
        if self._open_ok:
            self._close()
            self._open_ok = False

    def _try_open(self) -> bool:
        try:
            info = self._open()
        except Exception as exc:
            if not isinstance(exc, (DeviceError, OSError)):  # a bug in _open must not end the thread
                log.exception("opening %s failed", self.name)
            self._attempt += 1
            # Absent / not answering is POWER_OFF; a device that answers with a fault is HARDWARE_ERROR.
            absent = isinstance(exc, (DeviceUnavailable, OSError))
            availability = Availability.POWER_OFF if absent else Availability.HARDWARE_ERROR
            self._set_status(self.status.with_(availability=availability, detail=_describe(exc)))
            self._fail_pending(DeviceUnavailable(_describe(exc)))
            return False
        with self._lock:
            self._info = info
        self._open_ok = True
        self._opened_at = time.monotonic()
        # Always announce the first status after (re)opening, even when it equals the previous one:
        # listeners count a device as "reported" from this event, not from its info appearing.
        self._guard(lambda: self._set_status(self._poll(), force=True))
        return self._open_ok

    def _wait_backoff(self) -> None:
        # Commands arriving meanwhile fail at once, but do not cut the delay short.
        deadline = time.monotonic() + self.backoff.delay(self._attempt)
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                cmd = self._commands.get(timeout=remaining)
            except queue.Empty:
                return
            if cmd is None:
                return
            self._finish(cmd, exc=DeviceUnavailable(self.status.detail or "device not connected"))

    def _execute(self, cmd: _Command) -> None:
        if not cmd.future.set_running_or_notify_cancel():
            return
        if cmd.token.cancelled:  # cancelled through its token while queued: settle the future
            cmd.future.set_exception(DeviceError(ResultCode.CANCELLED, "cancelled before it started"))
            return
        try:
            result = cmd.fn(cmd.token)
        except (DeviceUnavailable, OSError) as exc:
            self._lost(exc)
            self._finish(cmd, exc=DeviceUnavailable(_describe(exc)))
        except DeviceError as exc:
            self._finish(cmd, exc=exc)
        except Exception as exc:  # a bug in a command: report, keep the thread alive
            log.exception("command on %s failed", self.name)
            self._finish(cmd, exc=DeviceError(ResultCode.INTERNAL_ERROR, type(exc).__name__))
        else:
            cmd.future.set_result(result)

    def _guard(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except (DeviceUnavailable, OSError) as exc:
            self._lost(exc)
        except DeviceError as exc:
            self._set_status(self.status.with_(availability=Availability.HARDWARE_ERROR, detail=exc.detail))
        except Exception as exc:  # a bug in _poll or a listener must not end the I/O thread
            log.exception("polling %s failed", self.name)
            self._set_status(
                self.status.with_(
                    availability=Availability.HARDWARE_ERROR, detail=f"internal error: {_describe(exc)}"
                )
            )

    def _lost(self, exc: BaseException) -> None:
        log.warning("%s disconnected: %s", self.name, _describe(exc))
        self._close()
        self._open_ok = False
        if time.monotonic() - self._opened_at >= self.backoff.stable:
            self._attempt = 0  # it had been working: reconnect at once, count afresh
        self._attempt += 1
        self._reopen_later = self._attempt > 1
        self._set_status(self.status.with_(availability=Availability.POWER_OFF, detail=_describe(exc)))

    @staticmethod
    def _finish(cmd: _Command, exc: BaseException) -> None:
        if not cmd.future.done() and (cmd.future.running() or cmd.future.set_running_or_notify_cancel()):
            cmd.future.set_exception(exc)

    def _fail_pending(self, exc: BaseException | None = None) -> None:
        while True:
            try:
                cmd = self._commands.get_nowait()
            except queue.Empty:
                return
            if cmd is not None:
                self._finish(cmd, exc or DeviceError(ResultCode.CANCELLED, "adapter stopped"))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DeviceError):
        return exc.detail or exc.code.value
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
