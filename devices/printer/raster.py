"""Raster mode: the whole receipt as 1-bit images (GS v 0), for printers without Chinese fonts.

The image is the preview's paper image thresholded, so the printout is exactly what the preview
shows. Our own GS v 0 encoder (python-escpos's ``image()`` prints a warning to stdout when the
profile has no paper width): bands of at most ``band_height`` rows, so a job can be cancelled
between bands and cheap printers' input buffers are not overrun.
"""

from __future__ import annotations

from PIL import Image

from devices.printer.escpos_render import ESC_INIT, cut_command
from devices.printer.layout import CutRow, ReceiptLayout
from devices.printer.preview import PaperRenderer

GS_V0 = b"\x1dv0"
_INVERT = bytes(255 - i for i in range(256))
DEFAULT_THRESHOLD = 150  # grey below this prints black: keeps anti-aliased strokes solid


def to_monochrome(img: Image.Image, threshold: int = DEFAULT_THRESHOLD) -> Image.Image:
    """Grayscale (or any) image -> mode "1" (white = 1) with a hard threshold, no dithering."""
    gray = img.convert("L")
    return gray.point(lambda v: 255 if v >= threshold else 0, mode="1")


def raster_header(width_bytes: int, height: int, mode: int = 0) -> bytes:
    """GS v 0 m xL xH yL yH: ``width_bytes`` bytes per row, ``height`` rows."""
    if not (0 < width_bytes <= 0xFFFF and 0 < height <= 0xFFFF):
        raise ValueError("raster image size out of range")
    return GS_V0 + bytes([mode]) + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")


def raster_commands(img: Image.Image, band_height: int = 128) -> list[bytes]:
    """GS v 0 commands for a mode-"1" image, one per band of ``band_height`` rows.

    ESC/POS raster data: 1 bit per dot, MSB first, 1 = black; rows padded to whole bytes.
    """
    if img.mode != "1":
        raise ValueError("raster_commands needs a 1-bit image (use to_monochrome)")
    width_bytes = (img.width + 7) // 8
    # Pillow packs mode "1" MSB first with 1 = white: invert the bits so that 1 = black.
    padded = Image.new("1", (width_bytes * 8, img.height), 1)
    padded.paste(img, (0, 0))
    data = padded.tobytes().translate(_INVERT)
    out = []
    for top in range(0, img.height, band_height):
        rows = min(band_height, img.height - top)
        start = top * width_bytes
        out.append(raster_header(width_bytes, rows) + data[start : start + rows * width_bytes])
    return out


class RasterRenderer:
    """Raster mode renderer: same layout and paper images as the preview, printed as bitmaps."""

    def __init__(
        self, paper_renderer: PaperRenderer, threshold: int = DEFAULT_THRESHOLD, band_height: int = 128
    ) -> None:
        self.paper_renderer = paper_renderer
        self.threshold = threshold
        self.band_height = band_height

    def render(self, layout: ReceiptLayout) -> list[bytes]:
        chunks = [ESC_INIT]
        cuts = [row for row in layout.rows() if isinstance(row, CutRow)]
        for i, segment in enumerate(self.paper_renderer.segments(layout)):
            chunks.extend(raster_commands(to_monochrome(segment, self.threshold), self.band_height))
            if i < len(cuts):  # the segment's blank feed is in the image: cut right after it
                chunks.append(cut_command(cuts[i].partial, 0))
        return chunks
