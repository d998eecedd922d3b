"""A serial link for the SAM reader: pyserial with bounded reads and writes, clean error details.

Every failure of the port itself (missing, busy, unplugged, write stuck) becomes DeviceUnavailable,
which the adapter base turns into POWER_OFF + reconnect with backoff.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Callable
from typing import Any

import serial

from devices.model import DeviceUnavailable

SerialFactory = Callable[..., Any]


class SerialLink:
    """One serial port; ``read(n, timeout)`` never blocks longer than ``timeout``."""

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        *,
        write_timeout: float = 1.0,
        exclusive: bool = True,
        factory: SerialFactory | None = None,
    ) -> None:
        self.port = port
        self.baud = baud
        self.write_timeout = write_timeout
        self.exclusive = exclusive
        self._factory = factory or serial.Serial
        self._ser: Any = None

    @property
    def is_open(self) -> bool:
        return self._ser is not None

    def open(self) -> None:
        if not self.port:
            raise DeviceUnavailable("no serial port configured")
        try:
            self._ser = self._factory(
                port=self.port,
                baudrate=self.baud,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=0.05,
                write_timeout=self.write_timeout,
                exclusive=self.exclusive,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            self._ser = None
            raise DeviceUnavailable(self._open_problem(exc)) from None

    def close(self) -> None:
        ser, self._ser = self._ser, None
        if ser is not None:
            with contextlib.suppress(Exception):  # closing a vanished port may fail; nothing to do
                ser.close()

    def write(self, data: bytes) -> None:
        ser = self._require()
        try:
            ser.write(data)
            ser.flush()
        except serial.SerialTimeoutException:
            raise DeviceUnavailable(
                f"{self.port}: write did not complete within {self.write_timeout:g} s"
            ) from None
        except (serial.SerialException, OSError) as exc:
            raise DeviceUnavailable(f"{self.port}: write failed ({_errno_text(exc)})") from None

    def read(self, n: int, timeout: float) -> bytes:
        ser = self._require()
        try:
            if abs((ser.timeout or 0) - timeout) > 0.001:
                ser.timeout = max(0.0, timeout)
            return bytes(ser.read(max(1, n)))
        except (serial.SerialException, OSError) as exc:
            raise DeviceUnavailable(f"{self.port}: read failed ({_errno_text(exc)})") from None

    def discard_input(self) -> None:
        ser = self._require()
        try:
            ser.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise DeviceUnavailable(f"{self.port}: flush failed ({_errno_text(exc)})") from None

    def _require(self) -> Any:
        if self._ser is None:
            raise DeviceUnavailable(f"{self.port}: port not open")
        return self._ser

    def _open_problem(self, exc: BaseException) -> str:
        code = getattr(exc, "errno", None)
        if code == errno.ENOENT:
            return f"serial port {self.port} not found (unplugged?)"
        if code in (errno.EACCES, errno.EPERM):
            return f"no permission to open {self.port} (add the kiosk user to the dialout group)"
        if code in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EBUSY):
            return f"serial port {self.port} is in use by another process"
        return f"cannot open {self.port}: {_errno_text(exc)}"


def _errno_text(exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in errno.errorcode:
        return errno.errorcode[code]
    text = str(exc)
    return text[:120] if text else type(exc).__name__
