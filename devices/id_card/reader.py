"""``SamSerialReader``: a GA 467 SAM_V reader on a serial port (pyserial), no vendor library."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from devices.base import Backoff, CancelToken
from devices.id_card.frames import FrameError, FrameTimeout, LengthError, SamStatusError
from devices.id_card.presence import IdReaderAdapter
from devices.id_card.protocol import SamProtocol
from devices.id_card.text import IdentityCard, PhotoDecoder, decode_text_block, with_photo
from devices.id_card.transport import SerialFactory, SerialLink
from devices.model import DeviceInfo, DeviceUnavailable

log = logging.getLogger("kiosk.devices.id_card")
BAD_COMMAND = 0x21  # SW3 "invalid command": the reader does not implement that request
CAPABILITIES = ("find", "read-text", "read-photo-wlt", "debounce", "read-once")


class SamSerialReader(IdReaderAdapter):
    """ID-card reader speaking the SAM_V frame protocol on ``port`` (e.g. /dev/ttyUSB0, COM3).

    On open: reset SAM, SAM status, read SAM ID (the serial number). Then polls find -> select ->
    read and emits MEDIA_INSERTED, DATA_READ (an IdentityCard) once per placement, MEDIA_REMOVED.
    ``timeout`` bounds each short exchange, ``read_timeout`` the 1295-byte read.
    """

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        *,
        name: str = "id_reader",
        required: bool = False,
        poll_interval: float = 0.25,
        backoff: Backoff | None = None,
        timeout: float = 1.0,
        read_timeout: float = 3.0,
        auto_read: bool = True,
        removal_misses: int = 2,
        read_attempts: int = 3,
        error_threshold: int = 3,
        photo_decoder: PhotoDecoder | None = None,
        serial_factory: SerialFactory | None = None,
        backend: str = "sam-serial",
    ) -> None:
        super().__init__(
            name,
            required=required,
            poll_interval=poll_interval,
            backoff=backoff,
            auto_read=auto_read,
            removal_misses=removal_misses,
            read_attempts=read_attempts,
            error_threshold=error_threshold,
            photo_decoder=photo_decoder,
        )
        self.port = port
        self.baud = baud
        self.backend = backend
        self._link = SerialLink(port, baud, factory=serial_factory)
        self._proto = SamProtocol(self._link, timeout=timeout, read_timeout=read_timeout)

    def _open(self) -> DeviceInfo:
        self._link.open()
        try:
            sam_id = self._initialise_sam()
        except FrameError as exc:  # nothing sensible answers on this port
            self._link.close()
            raise DeviceUnavailable(f"no SAM reader answering on {self.port}: {exc.detail}") from None
        except BaseException:
            self._link.close()
            raise
        log.info("%s: SAM reader online on %s", self.name, self.port)
        return DeviceInfo(
            kind=self.kind,
            backend=self.backend,
            model="GA 467 SAM_V serial reader",
            serial=sam_id,
            capabilities=CAPABILITIES,
        )

    def _initialise_sam(self) -> str:
        """Reset (optional), check the SAM (required: it proves a reader answers) and read its ID
        (optional). Readers differ: some reject reset or SAM-ID with "bad command" or stay silent."""
        try:
            self._proto.reset_sam()
        except (SamStatusError, FrameTimeout) as exc:
            log.info("%s: reset SAM not supported (%s); continuing", self.name, type(exc).__name__)
        try:
            self._proto.sam_status()
        except SamStatusError as exc:
            if exc.status.code != BAD_COMMAND:
                raise  # e.g. 60 SAM self-test failed: a real fault
        try:
            return self._proto.read_sam_id()
        except (SamStatusError, FrameTimeout, LengthError) as exc:
            log.info("%s: SAM ID not available (%s)", self.name, type(exc).__name__)
            return ""

    def _close_backend(self) -> None:
        self._link.close()

    def _check_connected(self) -> None:
        if self.port.startswith("/") and not os.path.exists(self.port):
            raise DeviceUnavailable(f"serial port {self.port} disappeared (unplugged?)")

    def _command_margin(self) -> float:
        return self._proto.timeout * 2 + self._proto.read_timeout + 0.5

    def _find_card(self, token: CancelToken | None) -> bool:
        return self._proto.find_card(_cancelled(token))

    def _read_card(self, token: CancelToken | None) -> IdentityCard:
        cancelled = _cancelled(token)
        self._proto.select_card(cancelled)
        text, photo = self._proto.read_base(cancelled)
        card = decode_text_block(text, photo)
        return with_photo(card, self.photo_decoder)


def _cancelled(token: CancelToken | None) -> Callable[[], bool] | None:
    return None if token is None else (lambda: token.cancelled)
