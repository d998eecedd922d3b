"""The receipt layout model: one list of blocks, rendered to ESC/POS text, raster and PNG preview.

Build a receipt with the chaining helpers and hand it to any renderer::

    layout = (ReceiptLayout(PAPER_80)
              .title("办事回执")
              .separator()
              .kv("受理编号：", "2024-000123")
              .qr("https://example.gov.cn/q/123")
              .cut())

``rows()`` flattens the blocks into printed rows (text already wrapped to the paper's columns).
Every renderer consumes the rows, so line breaks are identical on paper, in raster mode and in the
preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import qrcode
import qrcode.constants

from devices.printer.textcols import clean_text, text_width, truncate, wrap


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Paper:
    """Printable width of a roll: 203 dpi heads, 12-dot half-width columns."""

    mm: int
    columns: int
    dots: int

    @property
    def column_dots(self) -> int:
        return self.dots // self.columns


PAPER_58 = Paper(58, 32, 384)
PAPER_80 = Paper(80, 48, 576)


def paper_for(mm: int) -> Paper:
    """The Paper for 58 or 80 mm rolls; anything else is a configuration error."""
    if mm == 58:
        return PAPER_58
    if mm == 80:
        return PAPER_80
    raise ValueError(f"unsupported paper width {mm} mm (58 or 80)")


# ----- blocks (what the caller describes) -----
@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph; wrapped to the paper (half the columns when double width)."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double_width: bool = False
    double_height: bool = False


@dataclass(frozen=True, slots=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True, slots=True)
class KeyValue:
    """``key`` on the left, ``value`` right-aligned; long values wrap under the value column."""

    key: str
    value: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code (error correction M); ``module`` is the dot size of one module (1-16)."""

    data: str
    module: int = 6
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        if not self.data:
            raise ValueError("QR code data is empty")
        if len(self.data.encode("utf-8")) > QR_MAX_BYTES_M:
            raise ValueError(f"QR code data longer than {QR_MAX_BYTES_M} bytes")
        if not 1 <= self.module <= 16:
            raise ValueError("QR module size must be 1-16 dots")


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """Feed the paper past the cutter and cut (partial: leave a hinge)."""

    partial: bool = False
    feed_lines: int = 4


Block = Text | Separator | KeyValue | QrCode | Feed | Cut

QR_MAX_BYTES_M = 2331  # version 40, error correction M, byte mode


# ----- rows (what every renderer prints) -----
@dataclass(frozen=True, slots=True)
class TextRow:
    text: str  # fits the row: width(text) * width_mult <= columns
    align: Align = Align.LEFT
    bold: bool = False
    width_mult: int = 1
    height_mult: int = 1


@dataclass(frozen=True, slots=True)
class QrRow:
    data: str
    module: int  # dot size actually used (shrunk so the code fits the paper)
    modules: int  # modules per side (version 1 = 21), quiet zone excluded
    align: Align = Align.CENTER


@dataclass(frozen=True, slots=True)
class FeedRow:
    lines: int


@dataclass(frozen=True, slots=True)
class CutRow:
    partial: bool
    feed_lines: int


Row = TextRow | QrRow | FeedRow | CutRow


@dataclass
class ReceiptLayout:
    """An ordered list of blocks for one paper width (the receipt model every renderer shares)."""

    paper: Paper = PAPER_80
    blocks: list[Block] = field(default_factory=list)

    # builder helpers (return self for chaining)
    def add(self, block: Block) -> ReceiptLayout:
        self.blocks.append(block)
        return self

    def text(self, text: str, align: Align = Align.LEFT, *, bold: bool = False, double_width: bool = False,
             double_height: bool = False) -> ReceiptLayout:  # fmt: skip
        return self.add(Text(text, align, bold, double_width, double_height))

    def title(self, text: str) -> ReceiptLayout:
        """Centred, bold, double width and height."""
        return self.text(text, Align.CENTER, bold=True, double_width=True, double_height=True)

    def separator(self, char: str = "-") -> ReceiptLayout:
        return self.add(Separator(char))

    def kv(self, key: str, value: str, *, bold: bool = False) -> ReceiptLayout:
        return self.add(KeyValue(key, value, bold))

    def qr(self, data: str, module: int = 6, align: Align = Align.CENTER) -> ReceiptLayout:
        return self.add(QrCode(data, module, align))

    def feed(self, lines: int = 1) -> ReceiptLayout:
        return self.add(Feed(lines))

    def cut(self, partial: bool = False) -> ReceiptLayout:
        return self.add(Cut(partial))

    # flattening
    def rows(self) -> list[Row]:
        rows: list[Row] = []
        for block in self.blocks:
            rows.extend(block_rows(block, self.paper))
        return rows


def block_rows(block: Block, paper: Paper) -> list[Row]:
    """The printed rows of one block on ``paper``."""
    cols = paper.columns
    if isinstance(block, Text):
        wm = 2 if block.double_width else 1
        hm = 2 if block.double_height else 1
        return [
            TextRow(line, block.align, block.bold, wm, hm)
            for line in wrap(clean_text(block.text), cols // wm)
        ]
    if isinstance(block, Separator):
        char = clean_text(block.char)[:1] or "-"
        return [TextRow(char * (cols // max(1, text_width(char))))]
    if isinstance(block, KeyValue):
        return [TextRow(line, Align.LEFT, block.bold) for line in kv_lines(block.key, block.value, cols)]
    if isinstance(block, QrCode):
        return [_qr_row(block, paper)]
    if isinstance(block, Feed):
        return [FeedRow(max(0, min(block.lines, 255)))]
    if isinstance(block, Cut):
        return [CutRow(block.partial, max(0, min(block.feed_lines, 255)))]
    raise TypeError(f"not a receipt block: {type(block).__name__}")


def kv_lines(key: str, value: str, columns: int) -> list[str]:
    """A key-value row laid out in ``columns``: one line when it fits, else a hanging indent."""
    key, value = clean_text(key).strip(), clean_text(value).strip()
    kw, vw = text_width(key), text_width(value)
    if kw + vw + 1 <= columns:
        return [key + " " * (columns - kw - vw) + value]
    if kw <= columns // 2:
        parts = wrap(value, columns - kw)
        return [key + parts[0]] + [" " * kw + part for part in parts[1:]]
    # A very long key: the key wraps on its own lines, the value follows right-aligned.
    lines = wrap(key, columns)
    for part in wrap(value, columns):
        lines.append(" " * (columns - text_width(part)) + part)
    return lines


def qr_modules(data: str) -> int:
    """Modules per side of the smallest QR code (error correction M) holding ``data``."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data.encode("utf-8"), optimize=0)  # one byte segment: OpenCV misreads mixed segments
    return code.best_fit() * 4 + 17  # the version, without drawing the code and choosing its mask


def _qr_row(block: QrCode, paper: Paper) -> QrRow:
    modules = qr_modules(block.data)
    module = max(1, min(block.module, paper.dots // modules))
    return QrRow(block.data, module, modules, block.align)


def aligned_offset(align: Align, used: int, total: int) -> int:
    """Left offset of content ``used`` wide in ``total`` (columns or dots)."""
    if align == Align.CENTER:
        return max(0, (total - used) // 2)
    if align == Align.RIGHT:
        return max(0, total - used)
    return 0


__all__ = [
    "PAPER_58",
    "PAPER_80",
    "Align",
    "Block",
    "Cut",
    "CutRow",
    "Feed",
    "FeedRow",
    "KeyValue",
    "Paper",
    "QrCode",
    "QrRow",
    "ReceiptLayout",
    "Row",
    "Separator",
    "Text",
    "TextRow",
    "aligned_offset",
    "kv_lines",
    "paper_for",
    "qr_modules",
    "text_width",
    "truncate",
]
