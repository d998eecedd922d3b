"""Byte transports to a receipt printer: network (TCP 9100), serial, USB, file, simulator.

Every call has a timeout. ``read`` returns b"" when nothing arrived in time and raises
ConnectionError when the peer is gone; ``write`` raises TimeoutError when the printer stops
accepting data. Transports that cannot read (files, device nodes) say so with ``can_read``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import stat
import time
from abc import ABC, abstractmethod
from typing import Any

import serial

from devices.model import DeviceError, DeviceUnavailable, ResultCode


class Transport(ABC):
    """A byte pipe to one printer; used only from the adapter's I/O thread."""

    backend = "?"
    can_read = True

    @abstractmethod
    def open(self) -> None:
        """Connect; raise DeviceUnavailable (or OSError) when the printer is not there."""

    @abstractmethod
    def close(self) -> None:
        """Disconnect; never raises."""

    @abstractmethod
    def write(self, data: bytes, timeout: float) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        raise DeviceError(ResultCode.UNSUPPORTED, f"{self.backend} transport cannot read status")

    def drain_input(self) -> None:  # noqa: B027  (optional hook: write-only transports have no input)
        """Discard bytes already received (late replies)."""

    def describe(self) -> str:
        return self.backend


class NetworkTransport(Transport):
    """Raw TCP (port 9100 "JetDirect"), with connect, send and receive timeouts."""

    backend = "network"

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self._sock: socket.socket | None = None

    def open(self) -> None:
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as exc:
            raise DeviceUnavailable(f"cannot connect to {self.host}:{self.port}: {_reason(exc)}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._connected()
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"printer accepted no data for {timeout:g} s")
            sock.settimeout(remaining)
            try:
                sent = sock.send(view)
            except TimeoutError:
                continue
            view = view[sent:]

    def read(self, size: int, timeout: float) -> bytes:
        sock = self._connected()
        ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
        if not ready:
            return b""
        sock.settimeout(0)
        try:
            data = sock.recv(size)
        except BlockingIOError:
            return b""
        if not data:
            raise ConnectionResetError(errno.ECONNRESET, "printer closed the connection")
        return data

    def drain_input(self) -> None:
        while self.read(4096, 0):
            pass

    def describe(self) -> str:
        return f"network {self.host}:{self.port}"

    def _connected(self) -> socket.socket:
        if self._sock is None:
            raise DeviceUnavailable("not connected")
        return self._sock


class SerialTransport(Transport):
    """RS-232 / USB-serial printer through pyserial (``flow``: none | rtscts | dsrdtr)."""

    backend = "serial"

    def __init__(self, device: str, baud: int = 9600, flow: str = "none") -> None:
        if not device:
            raise DeviceError(ResultCode.INVALID_DATA, "serial printer needs a device path")
        if flow not in ("none", "rtscts", "dsrdtr"):
            raise DeviceError(ResultCode.INVALID_DATA, f"unknown flow control {flow!r}")
        self.device, self.baud, self.flow = device, baud, flow
        self._port: serial.Serial | None = None

    def open(self) -> None:
        self.close()
        try:
            self._port = serial.Serial(
                self.device, self.baud, timeout=0, write_timeout=1.0,
                rtscts=self.flow == "rtscts", dsrdtr=self.flow == "dsrdtr",
            )  # fmt: skip
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceUnavailable(f"cannot open {self.device}: {_reason(exc)}") from None

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):
                port.close()

    def write(self, data: bytes, timeout: float) -> None:
        port = self._opened()
        port.write_timeout = timeout
        try:
            port.write(data)
        except serial.SerialTimeoutException:
            raise TimeoutError(f"printer accepted no data for {timeout:g} s") from None

    def read(self, size: int, timeout: float) -> bytes:
        port = self._opened()
        port.timeout = max(0.0, timeout)
        return bytes(port.read(size))

    def drain_input(self) -> None:
        self._opened().reset_input_buffer()

    def describe(self) -> str:
        return f"serial {self.device} @{self.baud}"

    def _opened(self) -> serial.Serial:
        if self._port is None:
            raise DeviceUnavailable("serial port not open")
        return self._port


class FileTransport(Transport):
    """A printer device node (/dev/usb/lp0), a named pipe or a plain file. Write-only: status UNKNOWN.

    Paths under /dev/ are never created (an unplugged printer is absent, not a new file); other
    paths are created and appended to. Writes are non-blocking with a deadline.
    """

    backend = "file"
    can_read = False

    def __init__(self, path: str) -> None:
        if not path:
            raise DeviceError(ResultCode.INVALID_DATA, "file printer needs a path")
        self.path = path
        self._fd: int | None = None

    def open(self) -> None:
        self.close()
        flags = os.O_WRONLY | os.O_NONBLOCK
        is_device = self.path.startswith("/dev/")
        if not is_device:  # a plain file is created and appended to; a missing device is absent
            flags |= os.O_CREAT | os.O_APPEND
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise DeviceUnavailable(f"cannot open {self.path}: {_reason(exc)}") from None
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            os.close(fd)
            raise DeviceUnavailable(f"{self.path} is not a file, pipe or character device")
        self._fd = fd

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def write(self, data: bytes, timeout: float) -> None:
        if self._fd is None:
            raise DeviceUnavailable("file not open")
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"printer accepted no data for {timeout:g} s")
            _, ready, _ = select.select([], [self._fd], [], remaining)
            if not ready:
                continue
            try:
                view = view[os.write(self._fd, view) :]
            except BlockingIOError:
                continue

    def describe(self) -> str:
        return f"file {self.path}"


class UsbTransport(Transport):
    """A USB printer class device through python-escpos ``Usb`` (pyusb + libusb-1.0)."""

    backend = "usb"

    def __init__(self, vendor_id: int, product_id: int, in_ep: int = 0x82, out_ep: int = 0x01) -> None:
        if not (vendor_id and product_id):
            raise DeviceError(ResultCode.INVALID_DATA, "USB printer needs usb_vendor_id and usb_product_id")
        self.vendor_id, self.product_id, self.in_ep, self.out_ep = vendor_id, product_id, in_ep, out_ep
        self._printer: Any = None

    def open(self) -> None:
        self.close()
        try:
            import usb.core  # noqa: F401  (pyusb: only needed when a USB printer is configured)
            from escpos.exceptions import DeviceNotFoundError
            from escpos.printer import Usb
        except ImportError as exc:
            raise DeviceUnavailable(f"USB support missing: {exc.name} is not installed") from None
        printer = Usb(self.vendor_id, self.product_id, timeout=1000, in_ep=self.in_ep, out_ep=self.out_ep)
        try:
            printer.open()
        except (DeviceNotFoundError, OSError, Exception) as exc:  # usb.core.NoBackendError has no base
            raise DeviceUnavailable(
                f"USB printer {self.describe()} not found: {type(exc).__name__}"
            ) from None
        self._printer = printer

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            with contextlib.suppress(Exception):
                printer.close()

    def write(self, data: bytes, timeout: float) -> None:
        import usb.core

        try:
            self._device().write(self.out_ep, data, int(timeout * 1000))
        except usb.core.USBTimeoutError:
            raise TimeoutError(f"printer accepted no data for {timeout:g} s") from None
        except usb.core.USBError as exc:
            raise ConnectionError(f"USB write failed: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        try:
            return bytes(self._device().read(self.in_ep, max(size, 16), max(1, int(timeout * 1000))))[:size]
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise ConnectionError(f"USB read failed: {exc}") from None

    def drain_input(self) -> None:
        while self.read(64, 0.001):
            pass

    def describe(self) -> str:
        return f"usb {self.vendor_id:04x}:{self.product_id:04x}"

    def _device(self) -> Any:
        if self._printer is None:
            raise DeviceUnavailable("USB printer not open")
        return self._printer.device


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
