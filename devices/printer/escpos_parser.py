"""An incremental ESC/POS stream parser: the "paper" side of the printer emulator.

It understands what our renderers send and the common commands around them: ESC @, FS & / FS .,
text decoded with the printer's encoding, ESC E / ESC ! / GS ! styles, ESC a alignment, ESC d feeds,
GS ( k QR codes (payload extracted), GS v 0 and ESC * images, GS V cuts, DLE EOT status requests.
Commands split across reads are completed when the rest arrives. Unknown commands are recorded and
skipped; declared data lengths are bounded, so garbage never makes it hang or eat memory.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

_CODECS = {"gb18030": "gb18030", "gbk": "gbk", "utf8": "utf-8", "cp437": "cp437"}
# ESC commands with a fixed number of parameter bytes.
_ESC_ARGS = {
    0x40: 0, 0x32: 0, 0x3C: 0, 0x69: 0, 0x6D: 0, 0x45: 1, 0x47: 1, 0x2D: 1, 0x4D: 1, 0x61: 1, 0x21: 1,
    0x74: 1, 0x52: 1, 0x7B: 1, 0x56: 1, 0x33: 1, 0x4A: 1, 0x64: 1, 0x65: 1, 0x4B: 1, 0x55: 1, 0x20: 1,
    0x25: 1, 0x72: 1, 0x53: 0, 0x4C: 0, 0x63: 2, 0x70: 3, 0x24: 2, 0x5C: 2,
}  # fmt: skip
_GS_ARGS = {
    0x21: 1, 0x42: 1, 0x48: 1, 0x66: 1, 0x68: 1, 0x77: 1, 0x61: 1, 0x72: 1, 0x49: 1, 0x62: 1,
    0x4C: 2, 0x57: 2, 0x50: 2, 0x24: 2, 0x5C: 2, 0x3A: 0,
}  # fmt: skip
_FS_ARGS = {0x26: 0, 0x2E: 0, 0x21: 1, 0x2D: 1, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2}
_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
_QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}


@dataclass(frozen=True, slots=True)
class PrintedLine:
    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"


@dataclass(frozen=True, slots=True)
class QrPrint:
    payload: str
    module: int
    ec: str
    model: int


@dataclass(frozen=True, slots=True)
class RasterImage:
    width_dots: int
    height: int
    data: bytes
    command: str = "GS v 0"


@dataclass
class Job:
    """What one job (from ESC @ to the next) put on paper, in order in ``items``."""

    items: list[PrintedLine | QrPrint | RasterImage | str] = field(default_factory=list)
    kanji_mode: bool = False
    unknown: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[PrintedLine]:
        return [i for i in self.items if isinstance(i, PrintedLine)]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def qr_codes(self) -> list[QrPrint]:
        return [i for i in self.items if isinstance(i, QrPrint)]

    @property
    def images(self) -> list[RasterImage]:
        return [i for i in self.items if isinstance(i, RasterImage)]

    @property
    def cuts(self) -> list[str]:
        return [i for i in self.items if i in ("full-cut", "partial-cut")]

    @property
    def is_empty(self) -> bool:
        return not self.items


class _Incomplete(Exception):
    """The command's remaining bytes have not arrived yet."""


class EscPosParser:
    """Feed bytes in, read jobs out. ``feed`` returns the DLE EOT n requests it met, in order."""

    def __init__(
        self, encoding: str = "gb18030", needs_kanji_mode: bool = False, max_data: int = 4 << 20
    ) -> None:
        if encoding not in _CODECS:
            raise ValueError(f"unknown printer encoding {encoding!r}")
        self.encoding = encoding
        self.needs_kanji_mode = needs_kanji_mode  # like printers that print GBK only after FS &
        self.max_data = max_data
        self.jobs: list[Job] = [Job()]
        self._buf = bytearray()
        self._line = bytearray()
        self._reset_style()
        self._qr_store = b""
        self._qr_module, self._qr_ec, self._qr_model = 3, "L", 2

    def reset_input(self) -> None:
        """Drop a half-received command and start a fresh job (power cycle)."""
        self._buf.clear()
        self._init()

    @property
    def job(self) -> Job:
        return self.jobs[-1]

    def feed(self, data: bytes) -> list[int]:
        self._buf += data
        requests: list[int] = []
        while self._buf:
            try:
                used = self._step(requests)
            except _Incomplete:
                break
            del self._buf[:used]
        return requests

    # ----- one command or text byte; returns bytes consumed -----
    def _step(self, requests: list[int]) -> int:
        b = self._buf[0]
        if b == 0x10:
            return self._dle(requests)
        if b == 0x1B:
            return self._esc()
        if b == 0x1D:
            return self._gs()
        if b == 0x1C:
            return self._fs()
        if b in (0x0A, 0x0C):
            self._end_line()
        elif b == 0x09:
            self._text_byte(0x20)
        elif b >= 0x20:
            self._text_byte(b)
        return 1  # CR and other control bytes are ignored

    def _need(self, n: int) -> bytes:
        if len(self._buf) < n:
            raise _Incomplete
        return bytes(self._buf[:n])

    def _dle(self, requests: list[int]) -> int:
        cmd = self._need(2)[1]
        if cmd == 0x04:  # DLE EOT n: real-time status
            requests.append(self._need(3)[2])
            return 3
        if cmd == 0x05:
            return 3
        if cmd == 0x14:
            fn = self._need(3)[2]
            return 10 if fn == 8 else 5
        self.job.unknown.append(f"DLE {cmd:02x}")
        return 1

    def _esc(self) -> int:
        cmd = self._need(2)[1]
        if cmd == 0x2A:  # ESC * m nL nH d: column image
            m, nl, nh = self._need(5)[2:5]
            width = nl + 256 * nh
            size = width * (1 if m in (0, 1) else 3)
            data = self._data(5, size)
            if data is None:
                return 5
            self.job.items.append(RasterImage(width, 8 if m in (0, 1) else 24, data, "ESC *"))
            return 5 + size
        if cmd == 0x44:  # ESC D n1..nk NUL: tab stops
            end = self._buf.find(0, 2)
            if end < 0:
                raise _Incomplete
            return end + 1
        if cmd not in _ESC_ARGS:
            self.job.unknown.append(f"ESC {cmd:02x}")
            return 2
        args = self._need(2 + _ESC_ARGS[cmd])[2:]
        if cmd == 0x40:
            self._init()
        elif cmd == 0x45:
            self._bold = bool(args[0] & 1)
        elif cmd == 0x21:
            self._bold = bool(args[0] & 0x08)
            self._size = (2 if args[0] & 0x20 else 1, 2 if args[0] & 0x10 else 1)
        elif cmd == 0x61:
            self._align = _ALIGN.get(args[0], self._align)
        elif cmd == 0x64:
            self._end_line(force=False)
            self.job.items.extend(["feed"] * args[0])
        return 2 + len(args)

    def _gs(self) -> int:
        cmd = self._need(2)[1]
        if cmd == 0x56:  # GS V m [n]
            m = self._need(3)[2]
            self._end_line(force=False)
            self.job.items.append("partial-cut" if m in (1, 49, 66, 98, 104) else "full-cut")
            return 4 if m in (65, 66, 97, 98, 103, 104) else 3
        if cmd == 0x76:  # GS v 0 m xL xH yL yH d...
            head = self._need(8)
            width_bytes, height = head[4] + 256 * head[5], head[6] + 256 * head[7]
            data = self._data(8, width_bytes * height)
            if data is None:
                return 8
            self.job.items.append(RasterImage(width_bytes * 8, height, data))
            return 8 + width_bytes * height
        if cmd == 0x28:  # GS ( X pL pH ...
            head = self._need(5)
            size = head[3] + 256 * head[4]
            body = self._data(5, size)
            if body is None:
                return 5
            if head[2] == 0x6B:
                self._qr(body)
            return 5 + size
        if cmd == 0x6B:  # GS k m ...: barcode
            m = self._need(3)[2]
            if m <= 6:
                end = self._buf.find(0, 3)
                if end < 0:
                    raise _Incomplete
                return end + 1
            return 4 + self._need(4)[3]
        if cmd not in _GS_ARGS:
            self.job.unknown.append(f"GS {cmd:02x}")
            return 2
        args = self._need(2 + _GS_ARGS[cmd])[2:]
        if cmd == 0x21:
            self._size = ((args[0] >> 4) + 1, (args[0] & 0x0F) + 1)
        return 2 + len(args)

    def _fs(self) -> int:
        cmd = self._need(2)[1]
        if cmd not in _FS_ARGS:
            self.job.unknown.append(f"FS {cmd:02x}")
            return 2
        args = self._need(2 + _FS_ARGS[cmd])[2:]
        if cmd == 0x26:
            self.job.kanji_mode = self._kanji = True
        elif cmd == 0x2E:
            self.job.kanji_mode = self._kanji = False
        return 2 + len(args)

    def _data(self, offset: int, size: int) -> bytes | None:
        """The command's data block, or None when its declared size is implausible."""
        if size > self.max_data:  # a lying length: skip the header only, do not wait for gigabytes
            self.job.unknown.append(f"oversized data block ({size} bytes)")
            return None
        return self._need(offset + size)[offset:]

    def _qr(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != 0x31:  # cn 49 = QR code
            return
        fn, rest = body[1], body[2:]
        if fn == 0x41 and rest:
            self._qr_model = rest[0] - 48
        elif fn == 0x43 and rest:
            self._qr_module = rest[0]
        elif fn == 0x45 and rest:
            self._qr_ec = _QR_EC.get(rest[0], "?")
        elif fn == 0x50 and rest:
            self._qr_store = rest[1:]
        elif fn == 0x51:
            self._end_line(force=False)
            payload = codecs.decode(self._qr_store, "utf-8", errors="replace")
            self.job.items.append(QrPrint(payload, self._qr_module, self._qr_ec, self._qr_model))

    # ----- text -----
    def _text_byte(self, b: int) -> None:
        if not self._line:
            self._line_style = (self._bold, self._size, self._align)
        self._line.append(b)

    def _end_line(self, force: bool = True) -> None:
        if not self._line and not force:
            return
        codec = _CODECS[self.encoding]
        if self.encoding in ("gb18030", "gbk") and self.needs_kanji_mode and not self._kanji:
            codec = "cp437"  # a printer outside Chinese mode prints each byte as a code-page glyph
        text = codecs.decode(bytes(self._line), codec, errors="replace")
        bold, size, align = self._line_style if self._line else (self._bold, self._size, self._align)
        self.job.items.append(PrintedLine(text, bold, size[0], size[1], align))
        self._line.clear()

    def _init(self) -> None:
        self._end_line(force=False)
        if not self.job.is_empty:
            self.jobs.append(Job())
        self.job.kanji_mode = False
        self._reset_style()

    def _reset_style(self) -> None:
        self._bold, self._size, self._align, self._kanji = False, (1, 1), "left", False
        self._line_style = (self._bold, self._size, self._align)
