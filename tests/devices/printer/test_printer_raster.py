"""Raster mode (GS v 0) and the PNG preview; raster output is the preview's paper thresholded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from devices.printer.cli import test_receipt_layout as build_test_receipt
from devices.printer.cli import write_preview
from devices.printer.escpos_parser import EscPosParser
from devices.printer.layout import PAPER_58, PAPER_80, ReceiptLayout
from devices.printer.preview import FontNotFoundError, PaperRenderer
from devices.printer.raster import RasterRenderer, raster_commands, raster_header, to_monochrome


def test_raster_header_golden() -> None:
    assert raster_header(72, 300) == bytes.fromhex("1d763000 4800 2c01")
    assert raster_header(48, 1) == bytes.fromhex("1d763000 3000 0100")
    with pytest.raises(ValueError):
        raster_header(0, 1)


def test_raster_bits_are_msb_first_and_one_is_black() -> None:
    img = Image.new("1", (16, 2), 1)
    img.putpixel((0, 0), 0)  # top-left black
    img.putpixel((15, 1), 0)  # bottom-right black
    (cmd,) = raster_commands(img)
    assert cmd == raster_header(2, 2) + bytes([0x80, 0x00, 0x00, 0x01])


def test_raster_bands_and_odd_widths() -> None:
    cmds = raster_commands(Image.new("1", (10, 300), 1), band_height=128)
    assert [len(c) for c in cmds] == [8 + 2 * 128, 8 + 2 * 128, 8 + 2 * 44]
    with pytest.raises(ValueError):
        raster_commands(Image.new("L", (8, 8)))


@pytest.mark.parametrize(("paper", "width_bytes"), [(PAPER_58, 48), (PAPER_80, 72)])
def test_raster_receipt_is_the_thresholded_paper(paper_renderer: PaperRenderer, paper, width_bytes) -> None:
    layout = build_test_receipt(paper.mm)
    chunks = RasterRenderer(paper_renderer).render(layout)
    parser = EscPosParser()
    parser.feed(b"".join(chunks))
    job = parser.jobs[-1]
    assert {img.width_dots for img in job.images} == {paper.dots}
    assert job.cuts == ["full-cut"] and not job.lines
    printed = b"".join(img.data for img in job.images)
    expected = b"".join(c[8:] for c in raster_commands(to_monochrome(paper_renderer.paper(layout))))
    assert printed == expected
    assert len(printed) == width_bytes * sum(img.height for img in job.images)
    assert printed.count(0) < len(printed)  # there is ink on the paper


def test_preview_png_size_and_content(paper_renderer: PaperRenderer, font_path: Path, tmp_path: Path) -> None:
    for paper, width in ((PAPER_58, 384 + 2 * 40 + 48), (PAPER_80, 576 + 2 * 32 + 48)):
        out = write_preview(build_test_receipt(paper.mm), tmp_path / f"r{paper.mm}.png", font_path)
        with Image.open(out) as img:
            assert img.format == "PNG" and img.width == width and img.height > 600
            gray = img.convert("L")
            strip = gray.crop((24, 24, img.width - 24, img.height - 24))
            dark = sum(strip.histogram()[:100])
            assert 0.02 < dark / (strip.width * strip.height) < 0.4  # text and a QR code, not blank
            assert gray.getpixel((2, 2)) < 240  # grey desk around the white paper


def test_preview_text_lines_match_printed_rows(paper_renderer: PaperRenderer) -> None:
    one = paper_renderer.paper(ReceiptLayout(PAPER_58).text("一行"))
    two = paper_renderer.paper(ReceiptLayout(PAPER_58).text("一" * 17))  # 34 columns: wraps to 2 rows
    assert one.width == two.width == 384
    assert two.height == 2 * one.height


def test_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="not found"):
        PaperRenderer(tmp_path / "nope.ttc")
