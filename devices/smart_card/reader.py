"""``PcscCardReader``: the ``pcsc`` backend (pyscard's low-level ``smartcard.scard`` API).

Monitoring is the StatusChangeWatcher step run by the adapter's I/O thread; reads open their own
PcscSession (own context, time-limited calls), so a card that stops answering cannot block the
monitor. Reader selection: the first reader whose name contains ``reader`` (case-insensitive);
empty means the first reader listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from devices.base import Backoff
from devices.model import DeviceInfo
from devices.smart_card.adapter import CAPABILITIES, SlotState, SmartCardReaderBase
from devices.smart_card.apdu import Transport
from devices.smart_card.errors import CardTimeout, NoReader
from devices.smart_card.monitor import StatusChangeWatcher
from devices.smart_card.pcsc_session import PcscSession

# Re-establishing a PC/SC context is a local socket connect: retry often, at most every 5 s.
DEFAULT_BACKOFF = Backoff(base=0.5, cap=5.0)


class PcscCardReader(SmartCardReaderBase):
    """A PC/SC reader holding social security cards. See SmartCardReaderBase for the events."""

    def __init__(
        self,
        name: str = "smart_card",
        *,
        reader: str | None = None,
        auto_read: bool = True,
        required: bool = False,
        backoff: Backoff | None = None,
        apdu_timeout: float = 5.0,
        wait_slice: float = 0.5,
    ) -> None:
        super().__init__(
            name,
            auto_read=auto_read,
            required=required,
            backoff=backoff or DEFAULT_BACKOFF,
            wait_slice=wait_slice,
            read_budget=max(20.0, 4 * apdu_timeout),
        )
        self.apdu_timeout = apdu_timeout
        self._watcher = StatusChangeWatcher(reader)
        self._blocked: PcscSession | None = None  # a session whose card stopped answering
        self.last_protocol = ""  # "T=0" / "T=1" of the last read, for diagnostics

    @property
    def reader_filter(self) -> str:
        return self._watcher.reader_filter

    # ----- adapter thread -----
    def _open(self) -> DeviceInfo:
        self._watcher.open()
        return self._device_info()

    def _close(self) -> None:
        self._watcher.close()

    def _wake(self) -> None:
        self._watcher.cancel()

    def _observe(self, timeout: float) -> SlotState:
        before = self._watcher.reader
        slot = self._watcher.wait(timeout)
        if slot.reader != before:
            with self._lock:
                self._info = self._device_info()
        return slot

    def _device_info(self) -> DeviceInfo:
        return DeviceInfo(
            kind=self.kind, backend="pcsc", model=self._watcher.reader or "", capabilities=CAPABILITIES
        )

    def _no_reader_detail(self) -> str:
        wanted = f" matching {self.reader_filter!r}" if self.reader_filter else ""
        seen = ", ".join(self._watcher.readers) or "none"
        return f"no smart-card reader{wanted} (readers: {seen})"

    @contextmanager
    def _session(self) -> Iterator[Transport]:
        reader = self._slot.reader
        if reader is None:
            raise NoReader(self._no_reader_detail())
        if self._blocked is not None and self._blocked.blocked is not None:
            if self._blocked.blocked.is_alive():
                raise CardTimeout("the card in the reader stopped answering; remove it and insert it again")
            self._blocked = None
        session = PcscSession(reader, apdu_timeout=self.apdu_timeout)
        try:
            with session:
                self.last_protocol = session.protocol
                yield session
        finally:
            if session.blocked is not None:  # a call never came back: remember it until the card is out
                self._blocked = session
