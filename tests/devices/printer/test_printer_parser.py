"""The emulator's ESC/POS stream parser: split commands, garbage, lying lengths, kanji mode."""

from __future__ import annotations

import random

from devices.printer.escpos_parser import EscPosParser
from devices.printer.escpos_render import EscPosTextRenderer
from devices.printer.layout import PAPER_58, ReceiptLayout


def _receipt() -> ReceiptLayout:
    return ReceiptLayout(PAPER_58).title("回执").kv("金额：", "¥1.00（免费）").qr("码：中文").cut()


def test_byte_by_byte_equals_all_at_once() -> None:
    data = b"".join(EscPosTextRenderer("gb18030").render(_receipt()))
    whole, split = EscPosParser(), EscPosParser()
    whole.feed(data)
    for i in range(len(data)):
        split.feed(data[i : i + 1])
    assert whole.jobs[-1].items == split.jobs[-1].items
    job = split.jobs[-1]
    assert job.kanji_mode
    assert job.lines[0].text == "回执" and job.lines[0].width == 2 and job.lines[0].bold
    assert job.lines[1].text.endswith("￥1.00（免费）")
    assert job.qr_codes[0].payload == "码：中文" and job.qr_codes[0].ec == "M"
    assert job.cuts == ["full-cut"]


def test_status_requests_are_reported_in_order() -> None:
    parser = EscPosParser()
    assert parser.feed(b"\x10\x04\x01\x10\x04") == [1]
    assert parser.feed(b"\x04") == [4]


def test_garbage_never_raises_and_parsing_recovers() -> None:
    rng = random.Random(7)
    parser = EscPosParser(max_data=1 << 16)
    for _ in range(300):
        parser.feed(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
    # Whatever command the garbage left open is satisfied by NULs (all lengths are bounded) ...
    parser.feed(bytes(70_000))
    # ... and the next job prints normally.
    parser.feed(b"\x1b@\x1c&" + "恢复".encode("gb18030") + b"\n")
    assert parser.jobs[-1].text == "恢复"
    assert len(parser.jobs) > 1


def test_oversized_image_header_is_skipped_not_awaited() -> None:
    parser = EscPosParser(max_data=1024)
    parser.feed(b"\x1b@\x1dv0\x00\xff\xff\xff\xff" + b"OK\n")
    job = parser.jobs[-1]
    assert any("oversized" in u for u in job.unknown)
    assert job.lines[-1].text == "OK"


def test_raster_image_recognised() -> None:
    parser = EscPosParser()
    parser.feed(b"\x1b@\x1dv0\x00\x30\x00\x02\x00" + b"\xff" * 96)
    (img,) = parser.jobs[-1].images
    assert (img.width_dots, img.height, len(img.data)) == (384, 2, 96)


def test_printer_needing_kanji_mode_prints_garbage_without_fs_ampersand() -> None:
    text = "回执".encode("gb18030") + b"\n"
    without = EscPosParser(needs_kanji_mode=True)
    without.feed(b"\x1b@" + text)
    with_fs = EscPosParser(needs_kanji_mode=True)
    with_fs.feed(b"\x1b@\x1c&" + text)
    assert without.jobs[-1].text != "回执"
    assert with_fs.jobs[-1].text == "回执"
