"""GA 467 SAM_V serial frames: encode, incremental decode with resync, and the SW3 status table.

Frame (both directions)::

    AA AA AA 96 69 | LEN_H LEN_L | body… | CHK

LEN is big-endian and counts every byte after itself, CHK included. CHK is the XOR of LEN_H..last
body byte. A request body is ``CMD PARA [DATA]``; a response body is ``SW1 SW2 SW3 [DATA]``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import xor

from devices.model import DeviceError, ResultCode

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
MIN_LEN = 3  # CMD PARA CHK (requests); responses need 4 (SW1 SW2 SW3 CHK)
MAX_LEN = 4096  # the largest known reply (text + photo + fingerprint) is 2314


class FrameError(DeviceError):
    """The bytes on the line are not a valid frame. ``code`` is INVALID_DATA unless said otherwise."""

    def __init__(self, detail: str, code: ResultCode = ResultCode.INVALID_DATA) -> None:
        super().__init__(code, detail)


class ChecksumError(FrameError):
    """A complete frame whose XOR checksum does not match."""


class LengthError(FrameError):
    """A LEN field out of range, or a frame whose length does not fit the command."""


class TruncatedFrame(FrameError):
    """A frame started but the deadline passed before its last byte arrived."""


class GarbageError(FrameError):
    """Bytes arrived before the deadline, but no frame preamble among them."""


class FrameTimeout(FrameError):
    """Nothing at all arrived before the deadline (silence)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, ResultCode.TIMEOUT)


def checksum(data: bytes | bytearray | memoryview) -> int:
    return reduce(xor, data, 0)


def encode_frame(body: bytes) -> bytes:
    """Wrap ``body`` in preamble, LEN and CHK."""
    length = len(body) + 1
    if length > 0xFFFF:
        raise ValueError("frame body too long")
    len_bytes = length.to_bytes(2, "big")
    return PREAMBLE + len_bytes + body + bytes([checksum(len_bytes + body)])


def encode_command(cmd: int, para: int, data: bytes = b"") -> bytes:
    return encode_frame(bytes([cmd, para]) + data)


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return encode_frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True, slots=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @classmethod
    def parse(cls, body: bytes) -> Response:
        if len(body) < 3:
            raise LengthError(f"response body of {len(body)} bytes has no SW1 SW2 SW3")
        return cls(body[0], body[1], body[2], bytes(body[3:]))


class FrameDecoder:
    """Incremental, I/O-free frame parser.

    ``feed`` bytes, then call ``next_frame`` until it returns None. Bytes before a preamble are
    dropped silently (counted in ``discarded``). A LEN out of range raises LengthError and skips
    one byte (resync); a bad checksum raises ChecksumError and drops that frame. After an error the
    decoder stays usable.
    """

    def __init__(self, max_len: int = MAX_LEN, min_len: int = MIN_LEN) -> None:
        self.max_len = max_len
        self.min_len = min_len
        self._buf = bytearray()
        self.discarded = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def reset(self) -> None:
        self._drop(len(self._buf))
        self.discarded = 0

    @property
    def in_frame(self) -> bool:
        """A preamble is buffered: the current frame is incomplete."""
        return self._buf.startswith(PREAMBLE)

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def needed(self) -> int:
        """How many more bytes complete the frame in progress (at least 1)."""
        if not self.in_frame:
            return HEADER_LEN
        if len(self._buf) < HEADER_LEN:
            return HEADER_LEN - len(self._buf)
        total = HEADER_LEN + int.from_bytes(self._buf[5:7], "big")
        return max(1, total - len(self._buf))

    def next_frame(self) -> bytes | None:
        """Return the next frame's body (without LEN and CHK), or None if more bytes are needed."""
        self._sync()
        if len(self._buf) < HEADER_LEN:
            return None
        length = int.from_bytes(self._buf[5:7], "big")
        if not self.min_len <= length <= self.max_len:
            self._drop(1)
            self.discarded += 1
            raise LengthError(f"frame LEN {length} outside {self.min_len}..{self.max_len}")
        total = HEADER_LEN + length
        if len(self._buf) < total:
            return None
        expected = checksum(memoryview(self._buf)[5 : total - 1])
        got = self._buf[total - 1]
        if expected != got:
            self._drop(total)
            raise ChecksumError(f"checksum 0x{got:02X}, expected 0x{expected:02X} (frame of {total} bytes)")
        body = bytes(self._buf[HEADER_LEN : total - 1])
        self._drop(total)
        return body

    def deadline_error(self, what: str) -> FrameError:
        """The error that describes the buffer's state when time ran out."""
        if self.in_frame:
            have = len(self._buf)
            want = have + self.needed()
            return TruncatedFrame(f"{what}: truncated frame, {have} of {want} bytes before the deadline")
        if self.discarded or self._buf:
            return GarbageError(f"{what}: {self.discarded + len(self._buf)} bytes without a frame preamble")
        return FrameTimeout(f"{what}: no answer")

    def _sync(self) -> None:
        idx = self._buf.find(PREAMBLE)
        if idx == 0:
            return
        if idx < 0:  # keep a possible partial preamble at the end
            keep = 0
            for n in range(min(len(PREAMBLE) - 1, len(self._buf)), 0, -1):
                if self._buf.endswith(PREAMBLE[:n]):
                    keep = n
                    break
            idx = len(self._buf) - keep
        self.discarded += idx
        self._drop(idx)

    def _drop(self, n: int) -> None:
        # Zero before release: the text block holds personal data (best effort in Python).
        self._buf[:n] = bytes(n)
        del self._buf[:n]


ReadFn = Callable[[int, float], bytes]


def read_frame(
    read: ReadFn,
    decoder: FrameDecoder,
    timeout: float,
    *,
    what: str = "reply",
    slice_s: float = 0.05,
    cancelled: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """Read one frame body through ``read(n, timeout)`` within ``timeout`` seconds.

    ``read`` returns up to n bytes, or b"" after its timeout. Never waits past the deadline
    (plus one ``slice_s``). Raises a FrameError subclass, or DeviceError(CANCELLED).
    """
    deadline = clock() + timeout
    while True:
        try:
            body = decoder.next_frame()
        except FrameError as exc:  # say which exchange failed
            raise type(exc)(f"{what}: {exc.detail}") from None
        if body is not None:
            return body
        if cancelled is not None and cancelled():
            raise DeviceError(ResultCode.CANCELLED, f"{what}: cancelled")
        remaining = deadline - clock()
        if remaining <= 0:
            raise decoder.deadline_error(what)
        decoder.feed(read(decoder.needed(), min(remaining, slice_s)))


@dataclass(frozen=True, slots=True)
class SamStatus:
    code: int
    result: ResultCode
    zh: str
    en: str

    def describe(self) -> str:
        return f"SW3=0x{self.code:02X} {self.zh} ({self.en})"


_R = ResultCode
SW3_TABLE: dict[int, SamStatus] = {
    s.code: s
    for s in (
        SamStatus(0x90, _R.SUCCESS, "操作成功", "success"),
        SamStatus(0x91, _R.INVALID_DATA, "证/卡中此项无内容", "the card has no content for this item"),
        SamStatus(0x9F, _R.SUCCESS, "寻找证/卡成功", "card found"),
        SamStatus(0x10, _R.HARDWARE_ERROR, "接收业务终端数据的校验和错", "checksum error in the command"),
        SamStatus(0x11, _R.HARDWARE_ERROR, "接收业务终端数据的长度错", "length error in the command"),
        SamStatus(0x21, _R.UNSUPPORTED, "接收业务终端的命令错误", "invalid command"),
        SamStatus(0x23, _R.SEQUENCE_ERROR, "越权操作", "unauthorised operation"),
        SamStatus(0x24, _R.HARDWARE_ERROR, "无法识别的错误", "unknown error"),
        SamStatus(0x31, _R.INVALID_DATA, "证/卡认证机具失败", "card failed to authenticate the SAM"),
        SamStatus(0x32, _R.INVALID_DATA, "机具认证证/卡失败", "SAM failed to authenticate the card"),
        SamStatus(0x33, _R.INVALID_DATA, "信息验证错误", "information verification error"),
        SamStatus(0x40, _R.INVALID_DATA, "无法识别的证/卡类型", "unknown card type"),
        SamStatus(0x41, _R.USER_ERROR, "读证/卡操作失败", "read failed (card moved?)"),
        SamStatus(0x47, _R.USER_ERROR, "取随机数失败", "random-number failure"),
        SamStatus(0x60, _R.HARDWARE_ERROR, "SAM_V 自检失败，不能接收命令", "SAM self-test failed"),
        SamStatus(0x66, _R.HARDWARE_ERROR, "SAM_V 没经过授权，无法使用", "SAM not authorised"),
        SamStatus(0x80, _R.NO_MEDIA, "寻找证/卡失败", "no card found"),
        SamStatus(0x81, _R.NO_MEDIA, "选取证/卡失败", "select failed"),
    )
}


def sam_status(sw3: int) -> SamStatus:
    return SW3_TABLE.get(sw3) or SamStatus(sw3, _R.HARDWARE_ERROR, "未知状态码", "unknown status code")


class SamStatusError(DeviceError):
    """The reader answered with a non-success SW3 (or SW1/SW2 not 00 00)."""

    def __init__(self, status: SamStatus, what: str) -> None:
        super().__init__(status.result, f"{what}: {status.describe()}")
        self.status = status


def expect(resp: Response, ok: int, what: str) -> Response:
    """Raise SamStatusError unless SW1 = SW2 = 00 and SW3 = ``ok``."""
    if resp.sw1 or resp.sw2:
        raise SamStatusError(
            SamStatus(
                resp.sw3, _R.HARDWARE_ERROR, "SW1/SW2 异常", f"SW1 SW2 = {resp.sw1:02X} {resp.sw2:02X}"
            ),
            what,
        )
    if resp.sw3 != ok:
        raise SamStatusError(sam_status(resp.sw3), what)
    return resp
