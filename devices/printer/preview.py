"""Draw a ReceiptLayout the way a thermal printer prints it: the preview PNG and the raster source.

The paper image is grayscale, exactly the printable width of the roll (384 or 576 dots), laid out on
the printer's own grid: 12x24-dot half-width cells, 24x24 full-width cells, pixel-doubled double
size, 30-dot line pitch. Raster mode prints this image thresholded; the preview puts it on a white
paper strip with margins and cut marks.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from devices.printer.layout import (
    CutRow,
    FeedRow,
    Paper,
    QrRow,
    ReceiptLayout,
    Row,
    TextRow,
    aligned_offset,
)
from devices.printer.textcols import char_width, text_width

GLYPH = 24  # dots: full-width glyph cell height and width
LINE_PITCH = 30  # dots per normal text line (glyph + spacing)
SYSTEM_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_PAPER_MARGIN_DOTS = {58: 40, 80: 32}  # unprintable edge of the roll, each side
_BACKGROUND = (214, 216, 220)


class FontNotFoundError(FileNotFoundError):
    """No CJK font: raster mode and the preview need one (e.g. resources/fonts/wqy-microhei.ttc)."""


def find_cjk_font(path: str | Path | None = None) -> Path:
    """``path`` if given (it must exist), else the first installed system CJK font."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise FontNotFoundError(f"CJK font not found: {p}")
        return p
    for candidate in SYSTEM_CJK_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontNotFoundError("no CJK font configured or installed (fonts-wqy-microhei)")


class PaperRenderer:
    """Renders layouts to paper images. Holds the font and a glyph cache (one per kiosk)."""

    def __init__(self, font_path: str | Path | None = None, font_index: int = 1) -> None:
        path = find_cjk_font(font_path)
        try:  # index 1 of wqy-microhei.ttc is its monospaced face; single-face fonts have only 0
            self._font = ImageFont.truetype(str(path), 22, index=font_index)
        except OSError:
            self._font = ImageFont.truetype(str(path), 22, index=0)
        self.font_path = path
        self._glyphs: dict[tuple[str, bool], Image.Image] = {}

    # ----- public -----
    def segments(self, layout: ReceiptLayout) -> list[Image.Image]:
        """One grayscale image per piece of paper (split after each cut); the last may be uncut."""
        return [img for img, _ in self._pieces(layout)]

    def paper(self, layout: ReceiptLayout) -> Image.Image:
        """All printed paper as one grayscale image (what raster mode thresholds)."""
        return _stack(self.segments(layout), layout.paper.dots)

    def preview(self, layout: ReceiptLayout) -> Image.Image:
        """RGB picture of the receipt: white paper strip with margins on a grey desk, cuts marked."""
        paper = layout.paper
        margin = _PAPER_MARGIN_DOTS.get(paper.mm, 32)
        pieces = self._pieces(layout)
        gap, outer = 18, 24
        strip_w = paper.dots + 2 * margin
        height = 2 * outer + sum(img.height + margin + gap for img, _ in pieces) - gap
        canvas = Image.new("RGB", (strip_w + 2 * outer, height), _BACKGROUND)
        draw = ImageDraw.Draw(canvas)
        y = outer
        for img, cut in pieces:
            h = img.height + margin
            draw.rectangle([outer + 3, y + 3, outer + strip_w + 3, y + h + 3], fill=(170, 172, 178))
            draw.rectangle([outer, y, outer + strip_w, y + h], fill=(255, 255, 255))
            canvas.paste(img.convert("RGB"), (outer + margin, y + margin // 2))
            if cut is not None:  # the cutter's line; a full cut also separates the pieces
                _dashed(draw, outer, y + h, outer + strip_w, (120, 120, 120))
            y += h + gap
        return canvas

    def _pieces(self, layout: ReceiptLayout) -> list[tuple[Image.Image, CutRow | None]]:
        pieces: list[tuple[Image.Image, CutRow | None]] = []
        strips: list[Image.Image] = []
        for row in layout.rows():
            strips.append(self.row_image(row, layout.paper))
            if isinstance(row, CutRow):
                pieces.append((_stack(strips, layout.paper.dots), row))
                strips = []
        if strips or not pieces:
            pieces.append((_stack(strips, layout.paper.dots), None))
        return pieces

    def save_preview(self, layout: ReceiptLayout, path: str | Path) -> Path:
        out = Path(path)
        self.preview(layout).save(out, format="PNG")
        return out

    # ----- rows -----
    def row_image(self, row: Row, paper: Paper) -> Image.Image:
        if isinstance(row, TextRow):
            return self._text_row(row, paper)
        if isinstance(row, QrRow):
            return _qr_image(row, paper)
        if isinstance(row, FeedRow):
            return Image.new("L", (paper.dots, LINE_PITCH * row.lines), 255)
        if isinstance(row, CutRow):
            return Image.new("L", (paper.dots, LINE_PITCH * row.feed_lines), 255)
        raise TypeError(f"not a row: {type(row).__name__}")

    def _text_row(self, row: TextRow, paper: Paper) -> Image.Image:
        cell = paper.column_dots
        text = row.text.rstrip()
        line = Image.new("L", (max(1, text_width(text) * cell), GLYPH), 255)
        x = 0
        for ch in text:
            w = char_width(ch)
            if w == 0:
                continue
            if ch != " " and ch != "\u3000":
                line.paste(self._glyph(ch, row.bold, w * cell), (x, 0))
            x += w * cell
        if row.width_mult != 1 or row.height_mult != 1:  # printers double size by pixel doubling
            line = line.resize(
                (line.width * row.width_mult, GLYPH * row.height_mult), Image.Resampling.NEAREST
            )
        out = Image.new("L", (paper.dots, line.height + LINE_PITCH - GLYPH), 255)
        out.paste(line, (aligned_offset(row.align, line.width, paper.dots), 0))
        return out

    def _glyph(self, ch: str, bold: bool, width: int) -> Image.Image:
        key = (ch, bold)
        cached = self._glyphs.get(key)
        if cached is not None and cached.width == width:
            return cached
        # Draw wider than the cell and squeeze: like the printer's narrow 12x24 Latin font.
        draw_w = max(width, int(self._font.getlength(ch)) + 2)
        img = Image.new("L", (draw_w, GLYPH), 255)
        draw = ImageDraw.Draw(img)
        x = (draw_w - self._font.getlength(ch)) / 2
        for dx in (0, 1) if bold else (0,):  # emphasised = double strike shifted one dot
            draw.text((x + dx, 19), ch, font=self._font, fill=0, anchor="ls")
        if draw_w != width:
            img = img.resize((width, GLYPH), Image.Resampling.LANCZOS)
        self._glyphs[key] = img
        return img


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data.encode("utf-8"), optimize=0)  # one byte segment: OpenCV misreads mixed segments
    code.make(fit=True)
    return code.get_matrix()


def _qr_image(row: QrRow, paper: Paper) -> Image.Image:
    matrix = qr_matrix(row.data)
    side = len(matrix) * row.module
    quiet = 2 * row.module
    img = Image.new("L", (paper.dots, side + 2 * quiet + LINE_PITCH - GLYPH), 255)
    draw = ImageDraw.Draw(img)
    x0 = aligned_offset(row.align, side, paper.dots)
    for r, cells in enumerate(matrix):
        for c, dark in enumerate(cells):
            if dark:
                x, y = x0 + c * row.module, quiet + r * row.module
                draw.rectangle([x, y, x + row.module - 1, y + row.module - 1], fill=0)
    return img


def _stack(images: list[Image.Image], width: int) -> Image.Image:
    out = Image.new("L", (width, max(1, sum(i.height for i in images))), 255)
    y = 0
    for img in images:
        out.paste(img, (0, y))
        y += img.height
    return out


def _dashed(draw: ImageDraw.ImageDraw, x0: int, y: int, x1: int, colour: tuple[int, int, int]) -> None:
    for x in range(x0, x1, 12):
        draw.line([x, y, min(x + 6, x1), y], fill=colour, width=2)


__all__ = ["GLYPH", "LINE_PITCH", "FontNotFoundError", "PaperRenderer", "find_cjk_font", "qr_matrix"]
