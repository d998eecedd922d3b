"""Optional backend: a vendor ``sdtapi`` library (sdtapi.dll / libsdtapi.so) through ctypes.

Loaded only when configured with a library path. The library's calls block without a timeout of
their own: they run on the adapter thread, so ``call()``/``read_once`` still return on time, but a
hung vendor call holds that thread until it returns. Not tested against a real vendor library.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Callable
from typing import Any

from devices.base import Backoff, CancelToken
from devices.id_card.frames import SamStatus, SamStatusError, sam_status
from devices.id_card.presence import IdReaderAdapter
from devices.id_card.text import (
    PHOTO_LEN,
    TEXT_LEN,
    IdentityCard,
    PhotoDecoder,
    decode_text_block,
    with_photo,
)
from devices.model import DeviceError, DeviceInfo, DeviceUnavailable, ResultCode

REQUIRED = ("SDT_OpenPort", "SDT_ClosePort", "SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg")
# SDK-only return codes (not SW3 values)
SDK_CODES = {
    0x01: SamStatus(0x01, ResultCode.DEVICE_NOT_READY, "端口打开失败/端口号不合法", "port error"),
    0x02: SamStatus(0x02, ResultCode.TIMEOUT, "接收超时", "timeout"),
    0x03: SamStatus(0x03, ResultCode.HARDWARE_ERROR, "数据传输错误", "transfer error"),
    0x05: SamStatus(0x05, ResultCode.HARDWARE_ERROR, "串口波特率错误", "baud-rate error"),
}
_OK, _FOUND = 0x90, 0x9F


class SdtApiLibraryError(DeviceError):
    """The vendor library is not configured, missing, not loadable or lacks a function."""

    def __init__(self, detail: str) -> None:
        super().__init__(ResultCode.UNSUPPORTED, detail)


class SdtApi:
    """Typed ctypes bindings of the generic 公安部 SDK functions."""

    def __init__(self, library: str, *, loader: Callable[[str], Any] | None = None) -> None:
        if not library:
            raise SdtApiLibraryError(
                "sdtapi backend: no vendor library configured (devices.id_reader.library)"
            )
        if os.sep in library and not os.path.exists(library):
            raise SdtApiLibraryError(f"sdtapi backend: vendor library not found: {library}")
        load = loader or (ctypes.WinDLL if os.name == "nt" else ctypes.CDLL)  # type: ignore[attr-defined]
        try:
            lib = load(library)
        except OSError as exc:
            raise SdtApiLibraryError(f"sdtapi backend: cannot load {library}: {exc}") from None
        missing = [name for name in REQUIRED if not hasattr(lib, name)]
        if missing:
            raise SdtApiLibraryError(f"sdtapi backend: {library} lacks {', '.join(missing)}")
        c_int, c_ubyte_p, c_uint_p = (
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_ubyte),
            ctypes.POINTER(ctypes.c_uint),
        )
        signatures = {
            "SDT_OpenPort": [c_int],
            "SDT_ClosePort": [c_int],
            "SDT_StartFindIDCard": [c_int, c_ubyte_p, c_int],
            "SDT_SelectIDCard": [c_int, c_ubyte_p, c_int],
            "SDT_ReadBaseMsg": [c_int, c_ubyte_p, c_uint_p, c_ubyte_p, c_uint_p, c_int],
        }
        for name, argtypes in signatures.items():
            fn = getattr(lib, name)
            fn.argtypes = argtypes
            fn.restype = c_int
        self._lib = lib
        self.library = library

    def open_port(self, port: int) -> int:
        return int(self._lib.SDT_OpenPort(port))

    def close_port(self, port: int) -> int:
        return int(self._lib.SDT_ClosePort(port))

    def find(self, port: int) -> int:
        buf = (ctypes.c_ubyte * 8)()
        return int(self._lib.SDT_StartFindIDCard(port, buf, 0))

    def select(self, port: int) -> int:
        buf = (ctypes.c_ubyte * 16)()
        return int(self._lib.SDT_SelectIDCard(port, buf, 0))

    def read_base(self, port: int) -> tuple[int, bytes, bytes]:
        text = (ctypes.c_ubyte * (TEXT_LEN + 64))()
        photo = (ctypes.c_ubyte * (PHOTO_LEN + 64))()
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        rc = int(
            self._lib.SDT_ReadBaseMsg(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0)
        )
        t = bytes(text)[: min(text_len.value, len(text))]
        p = bytes(photo)[: min(photo_len.value, len(photo))]
        ctypes.memset(text, 0, len(text))  # personal data: do not leave it in the buffer
        return rc, t, p


class SdtApiReader(IdReaderAdapter):
    """ID-card reader through the vendor SDK. ``port``: 1-16 serial, 1001-1016 USB."""

    def __init__(
        self,
        library: str,
        port: int = 1001,
        *,
        name: str = "id_reader",
        required: bool = False,
        poll_interval: float = 0.25,
        backoff: Backoff | None = None,
        auto_read: bool = True,
        removal_misses: int = 2,
        photo_decoder: PhotoDecoder | None = None,
        loader: Callable[[str], Any] | None = None,
    ) -> None:
        super().__init__(
            name,
            required=required,
            poll_interval=poll_interval,
            backoff=backoff,
            auto_read=auto_read,
            removal_misses=removal_misses,
            photo_decoder=photo_decoder,
        )
        self.api = SdtApi(library, loader=loader)  # fails fast on a missing library
        self.port = port

    def _open(self) -> DeviceInfo:
        rc = self.api.open_port(self.port)
        if rc != _OK:
            raise DeviceUnavailable(f"SDT_OpenPort({self.port}): {_status(rc).describe()}")
        return DeviceInfo(
            kind=self.kind, backend="sdtapi", model=f"sdtapi ({os.path.basename(self.api.library)})"
        )

    def _close_backend(self) -> None:
        with contextlib.suppress(Exception):  # must not raise
            self.api.close_port(self.port)

    def _find_card(self, token: CancelToken | None) -> bool:
        rc = self.api.find(self.port)
        if rc == _FOUND:
            return True
        if rc == 0x80:
            return False
        raise _error(rc, "SDT_StartFindIDCard")

    def _read_card(self, token: CancelToken | None) -> IdentityCard:
        rc = self.api.select(self.port)
        if rc != _OK:
            raise _error(rc, "SDT_SelectIDCard")
        rc, text, photo = self.api.read_base(self.port)
        if rc != _OK:
            raise _error(rc, "SDT_ReadBaseMsg")
        return with_photo(decode_text_block(text, photo), self.photo_decoder)


def _status(rc: int) -> SamStatus:
    return SDK_CODES.get(rc) or sam_status(rc & 0xFF)


def _error(rc: int, what: str) -> DeviceError:
    status = _status(rc)
    if rc == 0x01:
        return DeviceUnavailable(f"{what}: {status.describe()}")
    return SamStatusError(status, what)
