"""The ID-reader state machine shared by every backend: find -> read once -> wait for removal.

States per placement: NoCard -> CardPresent (MEDIA_INSERTED) -> Read (DATA_READ, once) ->
WaitRemoval; only after ``removal_misses`` consecutive failed finds is the card gone
(MEDIA_REMOVED) and the next placement read again. Communication errors emit ERROR events; after
``error_threshold`` in a row the reader is HARDWARE_ERROR (garbled answers) or POWER_OFF (silence,
then reconnect with backoff).
"""

from __future__ import annotations

import logging
import time
from abc import abstractmethod

from devices.base import Backoff, CancelToken, DeviceAdapter
from devices.id_card.text import IdentityCard, PhotoDecoder
from devices.model import (
    Availability,
    DeviceError,
    DeviceStatus,
    DeviceUnavailable,
    EventKind,
    MediaState,
    ResultCode,
)

log = logging.getLogger("kiosk.devices.id_card")
FIND_RETRY_S = 0.05


class IdReaderAdapter(DeviceAdapter):
    """Base of the ID-card reader backends. Subclasses implement ``_find_card`` and ``_read_card``."""

    kind = "id_reader"

    def __init__(
        self,
        name: str = "id_reader",
        *,
        required: bool = False,
        poll_interval: float = 0.25,
        backoff: Backoff | None = None,
        auto_read: bool = True,
        removal_misses: int = 2,
        read_attempts: int = 3,
        error_threshold: int = 3,
        photo_decoder: PhotoDecoder | None = None,
    ) -> None:
        super().__init__(name, required=required, poll_interval=poll_interval, backoff=backoff)
        self.auto_read = auto_read
        self.removal_misses = max(1, removal_misses)
        self.read_attempts = max(1, read_attempts)
        self.error_threshold = max(1, error_threshold)
        self.photo_decoder = photo_decoder
        self._present = False
        self._read_done = False
        self._attempts = 0
        self._misses = 0
        self._comm_errors = 0

    # ----- backend hooks (adapter thread) -----
    @abstractmethod
    def _find_card(self, token: CancelToken | None) -> bool:
        """True if a card is in the field; raise DeviceError on failure."""

    @abstractmethod
    def _read_card(self, token: CancelToken | None) -> IdentityCard:
        """Select and read the card in the field."""

    def _check_connected(self) -> None:
        """Raise DeviceUnavailable if the device has visibly gone (e.g. its port file vanished)."""

    # ----- public commands (any thread) -----
    def read_once(self, timeout: float = 5.0) -> IdentityCard:
        """Wait up to ``timeout`` s for a card and read it, even if it was read before.

        Raises DeviceError: NO_MEDIA when no card came, the reader's or the frame's error otherwise,
        DeviceUnavailable when the reader is not connected. Does not emit DATA_READ; the card counts
        as read for the current placement.
        """
        deadline = time.monotonic() + timeout
        return self.call(lambda token: self._read_once(token, deadline), timeout + self._command_margin())

    # ----- DeviceAdapter hooks -----
    def _poll(self) -> DeviceStatus:
        self._check_connected()
        try:
            found = self._find_card(None)
        except DeviceUnavailable:
            raise
        except DeviceError as exc:
            return self._comm_error(exc)
        self._comm_errors = 0
        if not found:
            return self._card_absent()
        self._card_present()
        if self.auto_read and not self._read_done and self._attempts < self.read_attempts:
            try:
                card = self._read_card(None)
            except DeviceUnavailable:
                raise
            except DeviceError as exc:
                self._attempts += 1
                log.info("%s: read failed (%s), attempt %d", self.name, exc.code.value, self._attempts)
                self._set_status(self._online(MediaState.PRESENT), EventKind.ERROR, exc)
            else:
                self._read_done = True
                self._set_status(self._online(MediaState.PRESENT), EventKind.DATA_READ, card)
        return self._online(MediaState.PRESENT)

    def _close(self) -> None:
        self._present = self._read_done = False
        self._attempts = self._misses = self._comm_errors = 0
        self._close_backend()
        # Media is unknown while disconnected. Set without an event: the base reports it together
        # with the availability change that follows (one STATUS_CHANGED, not two).
        with self._lock:
            self._status = self._status.with_(media=MediaState.UNKNOWN)

    def _close_backend(self) -> None:
        """Release the backend connection; must not raise."""

    def _command_margin(self) -> float:
        """Extra time a started exchange may need beyond the read_once deadline."""
        return 2.0

    # ----- state machine helpers (adapter thread) -----
    def _online(self, media: MediaState) -> DeviceStatus:
        return self.status.with_(availability=Availability.ONLINE, media=media, detail="")

    def _card_present(self) -> None:
        self._misses = 0
        if not self._present:
            self._present = True
            self._read_done = False
            self._attempts = 0
            self._set_status(self._online(MediaState.PRESENT), EventKind.MEDIA_INSERTED)

    def _card_absent(self) -> DeviceStatus:
        if not self._present:
            return self._online(MediaState.NOT_PRESENT)
        self._misses += 1
        if self._misses < self.removal_misses:
            return self._online(MediaState.PRESENT)
        self._present = self._read_done = False
        self._attempts = self._misses = 0
        gone = self._online(MediaState.NOT_PRESENT)
        self._set_status(gone, EventKind.MEDIA_REMOVED)
        return gone

    def _comm_error(self, exc: DeviceError) -> DeviceStatus:
        self._comm_errors += 1
        log.info("%s: %s (%d in a row)", self.name, exc.code.value, self._comm_errors)
        if self._comm_errors <= self.error_threshold:
            self._set_status(self.status, EventKind.ERROR, exc)
        if self._comm_errors < self.error_threshold:
            return self.status
        if exc.code == ResultCode.TIMEOUT:
            raise DeviceUnavailable(f"reader not answering ({exc.detail})")
        return self.status.with_(availability=Availability.HARDWARE_ERROR, detail=exc.detail)

    def _read_once(self, token: CancelToken, deadline: float) -> IdentityCard:
        while True:
            token.raise_if_cancelled()
            if self._find_card(token):
                self._comm_errors = 0
                self._card_present()
                card = self._read_card(token)
                self._read_done = True
                return card
            if time.monotonic() >= deadline:
                raise DeviceError(ResultCode.NO_MEDIA, f"{self.name}: no card on the reader")
            time.sleep(FIND_RETRY_S)
