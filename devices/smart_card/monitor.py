"""Our own ``SCardGetStatusChange`` loop step (pyscard's CardMonitor dies silently; this must not).

``StatusChangeWatcher`` owns one PC/SC context and watches one reader (the first whose name
contains the configured substring, case-insensitive) plus the ``\\\\?PnP?\\Notification``
pseudo-reader, so readers coming and going are seen. Each ``wait(timeout)`` blocks at most
``timeout`` seconds (about 0.5 s in the adapter) and ``cancel()`` (SCardCancel, any thread) ends it
at once. When the service goes away (SCARD_E_NO_SERVICE, SERVICE_STOPPED, the "RPC transport
error" SCARD_F_COMM_ERROR of a killed pcscd, a stale handle) ``wait`` raises PcscServiceLost; the
adapter's I/O thread (devices.base.DeviceAdapter) then reports POWER_OFF, closes the context, waits
with exponential backoff and calls ``open()`` again, which establishes a fresh context. The loop
itself is that I/O thread, so there is exactly one thread per reader and nothing to supervise.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from smartcard import scard

from devices.smart_card.adapter import SlotState
from devices.smart_card.errors import PcscServiceLost
from devices.smart_card.pcsc_session import hr_name, is_service_lost, raise_for, unsigned

log = logging.getLogger("kiosk.devices.smart_card")

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"
_QUIET = frozenset(
    unsigned(hr) for hr in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED)
)
_RELIST_EVERY = 5.0  # seconds: re-list readers while none matches, in case a PnP event was missed


class StatusChangeWatcher:
    """One PC/SC context watching one reader slot. ``wait`` and ``open``/``close`` belong to one thread."""

    def __init__(self, reader_filter: str | None = None, *, api: Any = None) -> None:
        self.reader_filter = (reader_filter or "").strip()
        self._api = api or scard  # the SCard* functions; tests of hot-plugging inject a scripted one
        self._lock = threading.Lock()  # guards _context against cancel() from other threads
        self._context: int | None = None
        self._reader: str | None = None
        self._state = scard.SCARD_STATE_UNAWARE
        self._atr = b""
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        self._listed_at = 0.0
        self.readers: list[str] = []  # every reader the service reported at the last listing

    @property
    def reader(self) -> str | None:
        return self._reader

    def open(self) -> None:
        """Establish a fresh context and pick the reader; raises PcscServiceLost if there is no service."""
        self.close()
        hr, context = self._api.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        raise_for(hr, "SCardEstablishContext")
        with self._lock:
            self._context = context
        self._pick_reader()

    def close(self) -> None:
        with self._lock:
            context, self._context = self._context, None
        if context is not None:
            self._api.SCardReleaseContext(context)
        self._reader, self._state, self._atr = None, scard.SCARD_STATE_UNAWARE, b""
        self._pnp_state = scard.SCARD_STATE_UNAWARE

    def cancel(self) -> None:
        """End a blocking ``wait`` now (SCardCancel); harmless when nothing waits."""
        with self._lock:
            if self._context is not None:
                self._api.SCardCancel(self._context)

    def snapshot(self) -> SlotState:
        if self._reader is None:
            return SlotState(None)
        present = bool(self._state & scard.SCARD_STATE_PRESENT)
        mute = bool(self._state & scard.SCARD_STATE_MUTE)
        return SlotState(self._reader, present=present, atr=self._atr if present else b"", mute=mute)

    def wait(self, timeout: float) -> SlotState:
        """Block up to ``timeout`` s for a change of the reader or of the reader list."""
        context = self._context
        if context is None:
            raise PcscServiceLost("PC/SC context not established")
        if self._reader is None and time.monotonic() - self._listed_at > _RELIST_EVERY:
            self._pick_reader()
        states = [(self._reader, self._state)] if self._reader else []
        states.append((PNP_NOTIFICATION, self._pnp_state))
        hr, new_states = self._api.SCardGetStatusChange(context, max(0, int(timeout * 1000)), states)
        hr = unsigned(hr)
        if is_service_lost(hr):
            raise_for(hr, "SCardGetStatusChange")
        if hr == unsigned(scard.SCARD_E_UNKNOWN_READER):  # the reader vanished between listing and waiting
            self._pick_reader()
        elif hr not in _QUIET:
            log.warning("SCardGetStatusChange: %s", hr_name(hr))
            time.sleep(min(timeout, 0.1))  # never spin on a repeating error
        elif hr == scard.SCARD_S_SUCCESS:
            self._absorb(new_states)
        return self.snapshot()

    def _absorb(self, new_states: list[tuple[str, int, list[int]]]) -> None:
        relist = False
        for name, event, atr in new_states:
            if name == PNP_NOTIFICATION:
                relist = relist or bool(event & scard.SCARD_STATE_CHANGED)
                self._pnp_state = event & ~scard.SCARD_STATE_CHANGED
            elif name == self._reader:
                if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE):
                    relist = True  # the reader is gone
                self._state = event & ~scard.SCARD_STATE_CHANGED
                self._atr = bytes(atr)
        if relist:
            self._pick_reader()

    def _pick_reader(self) -> None:
        context = self._context
        if context is None:
            return
        hr, readers = self._api.SCardListReaders(context, [])
        self._listed_at = time.monotonic()
        if unsigned(hr) == unsigned(scard.SCARD_E_NO_READERS_AVAILABLE):
            readers = []
        else:
            raise_for(hr, "SCardListReaders")
        self.readers = list(readers)
        wanted = self.reader_filter.lower()
        chosen = next((r for r in self.readers if wanted in r.lower()), None)
        if chosen != self._reader:
            log.info("smart-card reader %s", f"selected: {chosen}" if chosen else "not connected")
            self._reader, self._state, self._atr = chosen, scard.SCARD_STATE_UNAWARE, b""
