"""Start-up to the first painted home screen, against a bare PySide6 window (QApplication + QLabel).

Run: ``.venv/bin/python tests/benchmarks/bench_startup.py [RUNS]``. Every run is a fresh
``python -c`` process on the offscreen platform; the clock starts just before the process is
spawned and stops when the child prints the wall-clock time of the first Paint event of
the measured widget (then it quits). The kiosk child follows ``ui.app.run_gui``'s sequence:
platform, QApplication with font/translations/theme, window with the attract screen shown,
the core (catalog + search index) built on a worker thread, then the citizen's first touch is
simulated as soon as the core is ready and the home screen's first paint is timed. The
factory is ``ui.core_loader.lazy_factory()``: it imports ``kiosk.core`` on the worker, so
SQLAlchemy and pypinyin load while the attract screen is already up.

The kiosk runs share one data directory, so from the second run on the pinyin cache is warm,
as on every restart of a real kiosk; the first (cold) run is reported separately.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = r"""
import resource, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"PAINT {time.time():.6f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
            QApplication.quit()
        return False

app = QApplication(sys.argv[:1])
label = QLabel("hello")
spy = FirstPaint()
label.installEventFilter(spy)
label.resize(1080, 1920)
label.show()
app.exec()
"""

KIOSK = r"""
import resource, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from kiosk.config import load_config
from kiosk.session import IdlePolicy
from ui.app import create_context, select_platform, show_window
from ui.core_loader import lazy_factory
from ui.headless import is_offscreen
from ui.window import KioskWindow

marks = {}

class FirstPaint(QObject):
    def __init__(self, name, last):
        super().__init__()
        self.name, self.last = name, last
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.name not in marks:
            marks[self.name] = time.time()
            if self.last:
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                print(f"ATTRACT {marks['attract']:.6f}", flush=True)
                print(f"PAINT {marks[self.name]:.6f} {rss}", flush=True)
                QApplication.quit()
        return False

select_platform()
config = load_config()
ctx = create_context(config)
window = KioskWindow(ctx, idle_policy=IdlePolicy.from_config(config.ui))
attract_spy, home_spy = FirstPaint("attract", False), FirstPaint("home", True)
window.attract.installEventFilter(attract_spy)
window.home.installEventFilter(home_spy)
show_window(window, config, windowed=False, offscreen=is_offscreen(QApplication.platformName()))
window.core_ready.connect(lambda _core: window.session.start())  # the first touch, at once
window.load_core(lazy_factory("kiosk.core:build_core"))
ctx.app.exec()
window.shutdown()
"""


def run_once(code: str, env: dict[str, str]) -> tuple[float, float | None, int]:
    """(seconds to the measured first paint, seconds to the attract paint or None, peak RSS KiB)."""
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    paint = attract = None
    rss = 0
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "PAINT":
            paint, rss = float(parts[1]), int(parts[2])
        elif parts and parts[0] == "ATTRACT":
            attract = float(parts[1])
    if proc.returncode != 0 or paint is None:
        raise RuntimeError(f"child failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return paint - start, None if attract is None else attract - start, rss


def row(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{name:<34} {statistics.median(ms):>9.0f} {min(ms):>9.0f} {max(ms):>9.0f} {len(ms):>5}"


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 7
    base_env = dict(os.environ)
    base_env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        config_file = Path(tmp) / "kiosk.toml"
        config_file.write_text("[ui]\norientation = 'portrait'\n", encoding="utf-8")
        kiosk_env = dict(base_env, KIOSK_CONFIG=str(config_file), KIOSK_DATA_DIR=str(Path(tmp) / "data"))
        cold, _, _ = run_once(KIOSK, kiosk_env)
        bare, kiosk, attract, bare_rss, kiosk_rss = [], [], [], [], []
        for _ in range(runs):  # interleaved, so machine noise hits both alike
            seconds, _, rss = run_once(BARE, base_env)
            bare.append(seconds)
            bare_rss.append(rss)
            seconds, first, rss = run_once(KIOSK, kiosk_env)
            kiosk.append(seconds)
            attract.append(first or 0.0)
            kiosk_rss.append(rss)
    print(f"Start-up to first paint, offscreen, {runs} runs each (process spawn -> first Paint event)")
    print(f"{'':<34} {'median ms':>9} {'min ms':>9} {'max ms':>9} {'runs':>5}")
    print(row("bare PySide6 (QApplication+QLabel)", bare))
    print(row("kiosk: attract screen painted", attract))
    print(row("kiosk: home screen painted", kiosk))
    print(row("kiosk: home, cold pinyin cache", [cold]))
    ratio = statistics.median(kiosk) / statistics.median(bare)
    print(f"ratio kiosk home / bare window (medians): {ratio:.1f}x")
    print(
        f"peak RSS median: bare {statistics.median(bare_rss) / 1024:.0f} MiB, "
        f"kiosk {statistics.median(kiosk_rss) / 1024:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
