"""What every smart-card reader adapter shares: media events, auto-read on insertion, read_once.

A subclass supplies ``_observe(timeout)`` (block at most ``timeout`` s for a change, return the
slot as it is now) and ``_session()`` (a context manager yielding a Transport to the card). All of
it runs on the adapter's one I/O thread; ``_wake()`` interrupts ``_observe`` so commands and stop
are served at once.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

from devices.base import Backoff, CancelToken, DeviceAdapter
from devices.model import (
    Availability,
    DeviceError,
    DeviceEvent,
    DeviceStatus,
    DeviceUnavailable,
    EventKind,
    MediaState,
)
from devices.smart_card.apdu import ApduChannel, Transport
from devices.smart_card.errors import NoCard, NoReader
from devices.smart_card.ssse import SocialSecurityCard, read_social_security_card

T = TypeVar("T")
CAPABILITIES = ("read_social_security_card", "media_inserted", "media_removed", "data_read")


@dataclass(frozen=True, slots=True)
class SlotState:
    """One reader slot as last observed. ``reader`` None: no (matching) reader is connected."""

    reader: str | None = None
    present: bool = False
    atr: bytes = b""
    mute: bool = False
    known: bool = True  # False right after the service was lost: media unknown


UNKNOWN_SLOT = SlotState(known=False)


class SmartCardReaderBase(DeviceAdapter):
    """Base of PcscCardReader and SimulatedCardReader.

    Events: MEDIA_INSERTED / MEDIA_REMOVED (status.media changes), STATUS_CHANGED, DATA_READ
    (data: SocialSecurityCard) after each auto-read or read_once, ERROR (data: the CardError) when
    an auto-read fails. A card already in the reader at start-up, or after the PC/SC service came
    back, counts as inserted.
    """

    kind = "smart_card"

    def __init__(
        self,
        name: str = "smart_card",
        *,
        auto_read: bool = True,
        required: bool = False,
        backoff: Backoff | None = None,
        wait_slice: float = 0.5,
        read_budget: float = 20.0,
    ) -> None:
        # The blocking wait is inside _observe (woken by _wake), so the base loop must not sleep too.
        super().__init__(name, required=required, poll_interval=0.005, backoff=backoff)
        self.auto_read = auto_read
        self.wait_slice = wait_slice
        self.read_budget = read_budget  # extra seconds a read_once may take after a card is there
        self._slot = UNKNOWN_SLOT
        self._insertions = 0
        self._read_for = 0  # the insertion number already read (reads happen once per insertion)

    # ----- hooks -----
    @abstractmethod
    def _observe(self, timeout: float) -> SlotState:
        """Wait up to ``timeout`` s for a change; return the slot. Raise DeviceUnavailable if lost."""

    @abstractmethod
    def _session(self) -> AbstractContextManager[Transport]:
        """Connect to the card in the current reader."""

    def _wake(self) -> None:
        """Interrupt a blocking ``_observe`` (called from any thread)."""

    # ----- public API -----
    def submit(self, fn: Callable[[CancelToken], T]) -> tuple[Future[T], CancelToken]:
        result = super().submit(fn)
        self._wake()  # a blocking status wait must not delay the command
        return result

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake()
        super().stop(timeout)

    def begin_read(self, timeout: float = 30.0) -> tuple[Future[SocialSecurityCard], CancelToken]:
        """Start a read for the UI: waits up to ``timeout`` s for a card. Cancel with the token."""
        deadline = time.monotonic() + timeout
        return self.submit(lambda token: self._read_command(token, deadline))

    def read_once(self, timeout: float = 10.0) -> SocialSecurityCard:
        """Read the card in the reader, waiting up to ``timeout`` s for one to be inserted.

        Raises NoReader, NoCard (none within ``timeout``), PinRequired, NotSocialSecurityCard,
        CardDataError, CardTimeout, or DeviceUnavailable (PC/SC service down).
        """
        deadline = time.monotonic() + timeout
        return self.call(lambda token: self._read_command(token, deadline), timeout + self.read_budget)

    # ----- adapter thread -----
    def _poll(self) -> DeviceStatus:
        if self._stop.is_set():
            return self.status
        self._apply(self._guarded_observe(self.wait_slice))
        if self.auto_read and self._slot.present and self._read_for != self._insertions:
            self._auto_read()
        return self.status

    def _guarded_observe(self, timeout: float) -> SlotState:
        try:
            return self._observe(timeout)
        except DeviceUnavailable as exc:
            self._service_lost(exc)
            raise

    def _service_lost(self, exc: DeviceUnavailable) -> None:
        """One POWER_OFF event with media UNKNOWN; the base class then closes and reconnects."""
        self._slot = UNKNOWN_SLOT
        self._set_status(
            self.status.with_(
                availability=Availability.POWER_OFF, media=MediaState.UNKNOWN, detail=exc.detail
            )
        )

    def _apply(self, slot: SlotState) -> None:
        old, self._slot = self._slot, slot
        if slot.reader is None:
            status = DeviceStatus(Availability.POWER_OFF, MediaState.UNKNOWN, detail=self._no_reader_detail())
        else:
            media = MediaState.PRESENT if slot.present else MediaState.NOT_PRESENT
            detail = "card does not answer (mute)" if slot.mute else ""
            status = DeviceStatus(Availability.ONLINE, media, detail=detail)
        if slot.present and not old.present:
            self._insertions += 1
            self._set_status(status, EventKind.MEDIA_INSERTED)
        elif old.present and not slot.present and slot.known:
            self._set_status(status, EventKind.MEDIA_REMOVED)
        else:
            self._set_status(status)

    def _no_reader_detail(self) -> str:
        return "no smart-card reader connected"

    def _auto_read(self) -> None:
        self._read_for = self._insertions
        try:
            card = self._read_card(None)
        except DeviceUnavailable:
            raise  # the service is gone: the base class reconnects
        except DeviceError as exc:  # a card problem, reported as an event; the reader stays usable
            self._emit(DeviceEvent(self.name, EventKind.ERROR, self.status, exc))
        else:
            self._emit(DeviceEvent(self.name, EventKind.DATA_READ, self.status, card))

    def _read_command(self, token: CancelToken, deadline: float) -> SocialSecurityCard:
        while not self._slot.present:
            token.raise_if_cancelled()
            if self._slot.reader is None:
                raise NoReader(self._no_reader_detail())
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NoCard("no card was inserted in time")
            self._apply(self._guarded_observe(min(0.2, remaining)))
        self._read_for = self._insertions
        card = self._read_card(token)
        self._emit(DeviceEvent(self.name, EventKind.DATA_READ, self.status, card))
        return card

    def _read_card(self, token: CancelToken | None) -> SocialSecurityCard:
        before = self.status
        self._set_status(before.with_(availability=Availability.BUSY))
        try:
            with self._session() as transport:
                channel = ApduChannel(transport, token=token)
                return read_social_security_card(channel, token, atr=self._slot.atr)
        except DeviceUnavailable as exc:
            self._service_lost(exc)
            raise
        finally:
            if self.status.availability == Availability.BUSY:
                self._set_status(self.status.with_(availability=before.availability))
