"""Every screen renders in both orientations, both text sizes and both themes (screenshots).

Set KIOSK_UI_SCREENSHOTS=/some/dir to keep the PNGs for a visual review.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from uitest_helpers import LANDSCAPE, PORTRAIT, dispose, make_config, show_window

from kiosk.session import IdlePolicy
from ui.context import UiContext
from ui.window import KioskWindow


def grab(win, directory: Path, name: str) -> QImage:
    QTest.qWait(20)  # let posted layout requests run, as the event loop would before painting
    path = directory / f"{name}.png"
    assert win.grab().save(str(path))
    image = QImage(str(path))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 37)}
    assert len(colours) > 3, f"{name} looks blank"
    return image


@pytest.mark.parametrize(
    ("theme", "elderly", "size"),
    [
        ("default", False, PORTRAIT),
        ("default", False, LANDSCAPE),
        ("default", True, PORTRAIT),
        ("default", True, LANDSCAPE),
        ("high_contrast", False, PORTRAIT),
    ],
)
def test_every_screen_renders(qtbot, qapp, tmp_path, seed_path, qm_dir, core, theme, elderly, size):
    out = Path(os.environ.get("KIOSK_UI_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    config = make_config(tmp_path, seed_path, ui_theme=theme, ui_elderly_mode=str(elderly).lower())
    ctx = UiContext(qapp, config, qm_dir=qm_dir)
    win = KioskWindow(ctx, idle_policy=IdlePolicy(timeout_s=600, warning_s=30))
    try:
        show_window(qtbot, win, size)
        tag = f"{'portrait' if size == PORTRAIT else 'landscape'}_{theme}{'_elderly' if elderly else ''}"
        win.set_core(core)
        grab(win, out, f"{tag}_1_attract")
        win.session.start()
        grab(win, out, f"{tag}_2_home")
        win.session.set_query("sbk")
        qtbot.waitUntil(lambda: win.results.cards and win.results.cards[0].isVisible())
        grab(win, out, f"{tag}_3_results")
        point = config.service_point.code
        here = next(
            i for i in core.catalog.item_list if core.catalog.can_handle_here(i, point) and i.materials
        )
        win.session.open_item(here.code)
        grab(win, out, f"{tag}_4_guide_here")
        elsewhere = next(i for i in core.catalog.item_list if not core.catalog.can_handle_here(i, point))
        win.session.open_item(elsewhere.code)
        grab(win, out, f"{tag}_5_guide_elsewhere")
        win.session.open_bundle(core.catalog.bundles[0].code)
        grab(win, out, f"{tag}_6_bundle")
        win.overlay.show_countdown(30)
        grab(win, out, f"{tag}_7_idle_warning")
    finally:
        win.shutdown()
        dispose(win)
        ctx.close()
