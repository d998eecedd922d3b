"""GA 467 command exchanges over a byte link: SAM reset/status/ID, find, select, read text + photo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from devices.id_card.frames import (
    FrameDecoder,
    LengthError,
    Response,
    encode_command,
    expect,
    read_frame,
)
from devices.id_card.text import PHOTO_LEN, TEXT_LEN

# (CMD, PARA) of the commands we send; the full frames are pinned by tests against the notes.
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
READ_SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_BASE = (0x30, 0x01)
SAM_ID_LEN = 16
FIND_DATA_LEN = 4
SELECT_DATA_LEN = 8
READ_BASE_DATA_LEN = 2 + 2 + TEXT_LEN + PHOTO_LEN  # 1284 -> LEN 0x0508, frame 1295 bytes

OK = 0x90
FOUND = 0x9F
NOT_FOUND = 0x80


class Link(Protocol):
    def write(self, data: bytes) -> None: ...
    def read(self, n: int, timeout: float) -> bytes: ...
    def discard_input(self) -> None: ...


def format_sam_id(raw: bytes) -> str:
    """``"05.01-20101103-0000123456-1234567890"``-style text of the 16-byte SAM ID.

    Layout as in HslCommunication ``ExtractSafeModuleNumber`` [R]: byte 0 and byte 2 as two digits,
    then three little-endian uint32 at bytes 4, 8 and 12.
    """
    if len(raw) != SAM_ID_LEN:
        raise LengthError(f"SAM ID of {len(raw)} bytes, expected {SAM_ID_LEN}")
    u32 = [int.from_bytes(raw[i : i + 4], "little") for i in (4, 8, 12)]
    return f"{raw[0]:02d}.{raw[2]:02d}-{u32[0]}-{u32[1]:09d}-{u32[2]:09d}"


class SamProtocol:
    """Request/response over ``link``; each exchange flushes stale input first (resync)."""

    def __init__(self, link: Link, *, timeout: float = 1.0, read_timeout: float = 3.0) -> None:
        self.link = link
        self.timeout = timeout
        self.read_timeout = read_timeout
        self._decoder = FrameDecoder()

    def exchange(
        self,
        command: tuple[int, int],
        what: str,
        *,
        timeout: float | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Response:
        self.link.discard_input()
        self._decoder.reset()
        self.link.write(encode_command(*command))
        body = read_frame(
            self.link.read, self._decoder, timeout or self.timeout, what=what, cancelled=cancelled
        )
        return Response.parse(body)

    def reset_sam(self) -> None:
        expect(self.exchange(RESET_SAM, "reset SAM"), OK, "reset SAM")

    def sam_status(self) -> None:
        expect(self.exchange(SAM_STATUS, "SAM status"), OK, "SAM status")

    def read_sam_id(self) -> str:
        resp = expect(self.exchange(READ_SAM_ID, "read SAM ID"), OK, "read SAM ID")
        return format_sam_id(resp.data)

    def find_card(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """True if a card is in the field (9F), False if not (80); other codes raise."""
        resp = self.exchange(FIND_CARD, "find card", cancelled=cancelled)
        if resp.sw1 == resp.sw2 == 0 and resp.sw3 == NOT_FOUND:
            return False
        expect(resp, FOUND, "find card")
        _check_len(resp, FIND_DATA_LEN, "find card")
        return True

    def select_card(self, cancelled: Callable[[], bool] | None = None) -> None:
        resp = expect(self.exchange(SELECT_CARD, "select card", cancelled=cancelled), OK, "select card")
        _check_len(resp, SELECT_DATA_LEN, "select card")

    def read_base(self, cancelled: Callable[[], bool] | None = None) -> tuple[bytes, bytes]:
        """Text block (256 bytes) and WLT photo (1024 bytes) of the selected card."""
        resp = self.exchange(READ_BASE, "read card", timeout=self.read_timeout, cancelled=cancelled)
        expect(resp, OK, "read card")
        _check_len(resp, READ_BASE_DATA_LEN, "read card")
        text_len = int.from_bytes(resp.data[0:2], "big")
        photo_len = int.from_bytes(resp.data[2:4], "big")
        if (text_len, photo_len) != (TEXT_LEN, PHOTO_LEN):
            raise LengthError(f"read card: text/photo lengths {text_len}/{photo_len}, expected 256/1024")
        return resp.data[4 : 4 + TEXT_LEN], resp.data[4 + TEXT_LEN :]


def _check_len(resp: Response, expected: int, what: str) -> None:
    if len(resp.data) != expected:
        raise LengthError(f"{what}: {len(resp.data)} data bytes, expected {expected}")
