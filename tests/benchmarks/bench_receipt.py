"""Receipt build time: text mode (ESC/POS + our GB18030/GBK/UTF-8 path) vs raster mode (CJK font image).

Run: ``.venv/bin/python tests/benchmarks/bench_receipt.py [N]``. One "build" is what the kiosk does
before sending a receipt: construct the layout (办事回执 test receipt) and render it to the printer
chunks. Raster mode is measured with a warm renderer (the kiosk keeps one PaperRenderer and its glyph
cache) and cold (a new renderer per receipt: font load + empty cache, i.e. the first receipt). The
PNG preview (render + PNG encode) is listed for comparison.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from devices.printer.cli import test_receipt_layout  # noqa: E402
from devices.printer.escpos_render import EscPosTextRenderer  # noqa: E402
from devices.printer.preview import PaperRenderer  # noqa: E402
from devices.printer.raster import RasterRenderer  # noqa: E402

FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"


def measure(build: Callable[[], int], n: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, bytes of the last build) over ``n`` builds after one warm-up."""
    size = build()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        size = build()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, size


def main(n: int = 100) -> None:
    warm = PaperRenderer(FONT)
    rows: list[tuple[str, int, int, float, float, int]] = []
    for mm in (58, 80):
        for name, build, count in _cases(mm, warm, n):
            median, p95, size = measure(build, count)
            rows.append((name, mm, count, median, p95, size))

    print(f"Receipt build time (layout + render to printer bytes), {n} builds per text/raster-warm case")
    print(f"{'mode':<24} {'paper':>5} {'N':>5} {'median ms':>10} {'p95 ms':>9} {'bytes':>8}")
    for name, mm, count, median, p95, size in rows:
        print(f"{name:<24} {mm:>3}mm {count:>5} {median:>10.2f} {p95:>9.2f} {size:>8}")


def _cases(mm: int, warm: PaperRenderer, n: int) -> list[tuple[str, Callable[[], int], int]]:
    def text(encoding: str) -> Callable[[], int]:
        renderer = EscPosTextRenderer(encoding, kanji_mode=True)
        return lambda: _size(renderer.render(test_receipt_layout(mm)))

    raster = RasterRenderer(warm)
    return [
        *((f"text {enc}", text(enc), n) for enc in ("gb18030", "gbk", "utf8")),
        ("raster (warm renderer)", lambda: _size(raster.render(test_receipt_layout(mm))), n),
        (
            "raster (cold renderer)",
            lambda: _size(RasterRenderer(PaperRenderer(FONT)).render(test_receipt_layout(mm))),
            max(5, n // 10),
        ),
        ("preview PNG (warm)", lambda: _png_size(warm, mm), max(5, n // 4)),
    ]


def _size(chunks: list[bytes]) -> int:
    return sum(len(c) for c in chunks)


def _png_size(renderer: PaperRenderer, mm: int) -> int:
    buf = io.BytesIO()
    renderer.preview(test_receipt_layout(mm)).save(buf, format="PNG")
    return buf.tell()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
