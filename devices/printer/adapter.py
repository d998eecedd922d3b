"""ReceiptPrinter: the ESC/POS printer adapter on the common device model.

- ``print_receipt(layout)`` renders on the caller's thread, then sends the chunks on the adapter's
  I/O thread: status first (paper out -> NO_MEDIA, cover open / offline -> DEVICE_NOT_READY), then
  chunk by chunk (cancellable between chunks), then a status round trip that confirms the printer
  took the job (a connection that died mid-job shows up here at the latest).
- When idle it polls DLE EOT on transports that can read, and pushes only changes:
  STATUS_CHANGED, PAPER_THRESHOLD (data = SupplyLevel) and COVER_OPEN events.
- A lost connection reports POWER_OFF and reconnects with backoff (DeviceAdapter).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from devices.base import Backoff, CancelToken, DeviceAdapter
from devices.model import (
    Availability,
    DeviceError,
    DeviceEvent,
    DeviceInfo,
    DeviceStatus,
    EventKind,
    MediaState,
    ResultCode,
    SupplyLevel,
)
from devices.printer.config import PrinterConfig, make_renderer, make_transport
from devices.printer.escpos_render import ESC_INIT, Renderer
from devices.printer.layout import ReceiptLayout, paper_for
from devices.printer.status import cover_state, read_flags, to_device_status
from devices.printer.transports import Transport

# Longer than any data block our renderers send: a raster band (72 bytes x 128 rows) or a QR store.
RESYNC_PADDING = 72 * 128 + 64
_NOT_READABLE = DeviceStatus(
    Availability.UNKNOWN, MediaState.UNKNOWN, SupplyLevel.UNKNOWN, "status cannot be read over this transport"
)


@dataclass(frozen=True, slots=True)
class PrintResult:
    code: ResultCode
    bytes_sent: int
    chunks: int
    confirmed: bool  # the printer answered a status query after the job (False: file / silent)
    status: DeviceStatus
    mode: str  # "text" | "raster"


class ReceiptPrinter(DeviceAdapter):
    """An ESC/POS receipt printer (usb | serial | network | file | simulator)."""

    kind = "printer"

    def __init__(
        self,
        config: PrinterConfig,
        name: str = "printer",
        *,
        transport: Transport | None = None,
        renderer: Renderer | None = None,
        required: bool = True,
        poll_interval: float = 2.0,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(name, required=required, poll_interval=poll_interval, backoff=backoff)
        self.config = config
        self.paper = paper_for(config.paper_mm)
        self.transport = transport or make_transport(config)
        self.renderer = renderer or make_renderer(config)
        self._needs_resync = False  # a job broke off mid-command: the printer may still await data

    # ----- public API (any thread) -----
    def render(self, layout: ReceiptLayout) -> list[bytes]:
        """The job's chunks (runs on the caller's thread: raster rendering takes a while)."""
        if layout.paper != self.paper:
            raise DeviceError(
                ResultCode.INVALID_DATA,
                f"layout is for {layout.paper.mm} mm paper, printer has {self.paper.mm} mm",
            )
        return self.renderer.render(layout)

    def submit_receipt(self, layout: ReceiptLayout) -> tuple[Future[PrintResult], CancelToken]:
        """Queue a receipt; cancel it with the token (takes effect between chunks)."""
        chunks = self.render(layout)
        return self.submit(lambda token: self._print(chunks, token))

    def print_receipt(self, layout: ReceiptLayout, timeout: float = 30.0) -> PrintResult:
        """Print and wait. Raises DeviceError: NO_MEDIA, DEVICE_NOT_READY, TIMEOUT, CANCELLED, ..."""
        chunks = self.render(layout)
        return self.call(lambda token: self._print(chunks, token), timeout)

    def refresh_status(self, timeout: float = 5.0) -> DeviceStatus:
        """Query the printer now (instead of waiting for the next poll)."""
        return self.call(lambda _token: self._poll(), timeout)

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        shutdown = getattr(self.transport, "shutdown", None)
        if shutdown is not None:
            shutdown()

    # ----- DeviceAdapter hooks (I/O thread) -----
    def _open(self) -> DeviceInfo:
        self.transport.open()
        if self._needs_resync:
            # Complete whatever command the printer still waits for (NUL is a no-op between commands;
            # inside a raster band it is white), then reset it.
            self.transport.write(bytes(RESYNC_PADDING) + ESC_INIT, self.config.write_timeout)
            self._needs_resync = False
        caps = ["print", "qr", "cut", "raster" if self.config.raster else f"text-{self.config.encoding}"]
        if self.transport.can_read:
            caps.append("status")
        return DeviceInfo(
            kind=self.kind,
            backend=self.config.backend,
            model=f"ESC/POS receipt printer {self.paper.mm} mm ({self.transport.describe()})",
            capabilities=tuple(caps),
        )

    def _close(self) -> None:
        self.transport.close()

    def _poll(self) -> DeviceStatus:
        status = self._read_status()
        self._publish(status)
        return status

    # ----- internals (I/O thread) -----
    def _read_status(self) -> DeviceStatus:
        if not self.transport.can_read:
            return _NOT_READABLE
        try:
            flags = read_flags(self.transport, self.config.status_timeout)
        except TimeoutError:
            return DeviceStatus(detail="printer does not accept the status query")
        return to_device_status(flags)

    def _publish(self, new: DeviceStatus) -> None:
        old = self.status
        self._set_status(new)
        if new.supply != old.supply and (
            new.supply in (SupplyLevel.LOW, SupplyLevel.OUT)
            or (new.supply == SupplyLevel.FULL and old.supply in (SupplyLevel.LOW, SupplyLevel.OUT))
        ):
            self._emit(DeviceEvent(self.name, EventKind.PAPER_THRESHOLD, new, new.supply, ("supply",)))
        if cover_state(new) == "open" and cover_state(old) != "open":
            self._emit(DeviceEvent(self.name, EventKind.COVER_OPEN, new, "open", ("extra",)))

    def _print(self, chunks: list[bytes], token: CancelToken) -> PrintResult:
        token.raise_if_cancelled()
        before = self._poll()
        _check_ready(before)
        self._set_status(before.with_(availability=Availability.BUSY, detail="printing"))
        sent = 0
        self._needs_resync = True
        try:
            for i, chunk in enumerate(chunks):
                if token.cancelled:
                    self.transport.write(ESC_INIT, self.config.write_timeout)  # leave a clean state
                    self._needs_resync = False
                    self._set_status(before)
                    raise DeviceError(ResultCode.CANCELLED, f"cancelled after {i} of {len(chunks)} chunks")
                self.transport.write(chunk, self.config.write_timeout)
                sent += len(chunk)
        except TimeoutError as exc:  # the printer stopped taking data: drop the connection, reconnect
            self._lost(exc)
            raise DeviceError(
                ResultCode.TIMEOUT, f"printer stopped accepting data after {sent} bytes"
            ) from None
        after = self._poll()  # a connection that died mid-job raises here at the latest
        self._needs_resync = False
        if after.supply == SupplyLevel.OUT:
            raise DeviceError(ResultCode.NO_MEDIA, "paper ran out during the job")
        return PrintResult(
            ResultCode.SUCCESS,
            sent,
            len(chunks),
            confirmed=after.availability != Availability.UNKNOWN,
            status=after,
            mode="raster" if self.config.raster else "text",
        )


def _check_ready(status: DeviceStatus) -> None:
    """Refuse a job the printer cannot print. UNKNOWN (unreadable or silent) is allowed through."""
    if status.supply == SupplyLevel.OUT:
        raise DeviceError(ResultCode.NO_MEDIA, "paper out")
    if cover_state(status) == "open":
        raise DeviceError(ResultCode.DEVICE_NOT_READY, "cover open")
    if status.availability == Availability.HARDWARE_ERROR:
        raise DeviceError(ResultCode.HARDWARE_ERROR, status.detail or "printer error")
    if status.availability == Availability.OFFLINE:
        raise DeviceError(ResultCode.DEVICE_NOT_READY, status.detail or "printer offline")
