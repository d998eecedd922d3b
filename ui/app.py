"""Starting the kiosk GUI: platform, application, fonts, translations, theme, window, core.

``run_gui`` is what the launcher calls. The window (attract screen) is shown first and the core
(catalog and search index) is built on a worker thread, so the screen is never blank.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.paths import resource
from kiosk.session import IdlePolicy
from ui.context import UiContext
from ui.core_loader import CoreFactory
from ui.headless import OFFSCREEN_MESSAGE, headless_platform, is_offscreen
from ui.i18n import TranslationError, ensure_translations
from ui.window import KioskWindow

log = logging.getLogger("kiosk.ui")

PORTRAIT_SIZE = (1080, 1920)
LANDSCAPE_SIZE = (1920, 1080)
DEMO_SCREENSHOT = "demo-home.png"


def select_platform() -> bool:
    """Switch to the offscreen platform when there is no display; True if it did."""
    platform = headless_platform(os.environ)
    if platform is None:
        return False
    os.environ["QT_QPA_PLATFORM"] = platform
    print(OFFSCREEN_MESSAGE, file=sys.stderr, flush=True)
    log.info("no display: running on the %s platform", platform)
    return True


def translations_dir(config: KioskConfig) -> Path | None:
    """Where the current .qm files are (built now into the data directory if needed)."""
    try:
        return ensure_translations(resource("i18n"), [resource("i18n"), config.data_dir / "i18n"])
    except TranslationError as exc:
        log.warning("translations unavailable, showing source strings: %s", exc)
        return None


def create_context(config: KioskConfig, *, demo: bool = False) -> UiContext:
    """The QApplication (created if needed) with font, translations and theme applied."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("gov-kiosk")
    return UiContext(app, config, qm_dir=translations_dir(config), demo=demo)


def design_size(orientation: str, available_w: int, available_h: int) -> tuple[int, int]:
    """The design size for ``ui.orientation`` (``auto`` follows the screen's shape)."""
    if orientation == "auto":
        orientation = "landscape" if available_w > available_h else "portrait"
    return LANDSCAPE_SIZE if orientation == "landscape" else PORTRAIT_SIZE


def fit_scale(width: int, height: int, design: tuple[int, int]) -> float:
    """How much the design must shrink or grow to fit ``width`` x ``height`` (clamped 0.4–3)."""
    return max(0.4, min(3.0, width / design[0], height / design[1]))


def show_window(window: KioskWindow, config: KioskConfig, *, windowed: bool, offscreen: bool) -> None:
    """Fullscreen and frameless on a kiosk; a normal window with ``windowed``; the design size
    offscreen (whose virtual screen is small). Everything is scaled to the screen or window
    (``UiMetrics.display_scale``), so a 1366x768 panel or a laptop window shows the same layout."""
    screen = QGuiApplication.primaryScreen()
    if offscreen or screen is None:
        width, height = PORTRAIT_SIZE if config.ui.orientation != "landscape" else LANDSCAPE_SIZE
        window.resize(width, height)
        window.show()
        return
    if windowed or not config.ui.fullscreen:
        available = screen.availableGeometry()
        design = design_size(config.ui.orientation, available.width(), available.height())
        scale = min(1.0, fit_scale(round(available.width() * 0.9), round(available.height() * 0.9), design))
        window.ctx.set_display_scale(scale)
        window.resize(round(design[0] * scale), round(design[1] * scale))
        window.show()
        return
    geometry = screen.geometry()
    window.ctx.set_display_scale(
        fit_scale(
            geometry.width(), geometry.height(), design_size("auto", geometry.width(), geometry.height())
        )
    )
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.setGeometry(geometry)  # also right where no window manager applies the fullscreen state
    QGuiApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)  # touch only
    window.showFullScreen()


def save_screenshot(window: KioskWindow, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def run_gui(
    config: KioskConfig,
    core_factory: CoreFactory,
    *,
    demo: bool,
    windowed: bool,
    exit_after_ms: int | None = None,
) -> int:
    """Run the kiosk window until the application quits; returns the exit code.

    ``core_factory(config)`` builds the KioskCore on a worker thread. Without a display the
    offscreen platform is used (and said so); with ``demo`` a screenshot of the home screen is
    then saved to ``<data_dir>/demo-home.png`` and the program ends, unless ``exit_after_ms``
    sets when to quit.
    """
    select_platform()
    ctx = create_context(config, demo=demo)
    app = ctx.app
    offscreen = is_offscreen(QGuiApplication.platformName())
    window = KioskWindow(ctx, idle_policy=IdlePolicy.from_config(config.ui))
    app.aboutToQuit.connect(window.shutdown)
    show_window(window, config, windowed=windowed, offscreen=offscreen)
    exit_code = {"value": 0}

    if demo and offscreen:

        def screenshot() -> None:
            try:
                path = save_screenshot(window, config.data_dir / DEMO_SCREENSHOT)
            except OSError as exc:
                log.error("demo screenshot failed: %s", exc)
                exit_code["value"] = 1
            else:
                print(f"kiosk: screenshot of the home screen saved to {path}", flush=True)
            if exit_after_ms is None:
                app.quit()

        def on_ready(_core: object) -> None:
            window.session.start()
            QTimer.singleShot(200, screenshot)

        window.core_ready.connect(on_ready)

    def on_failed(reason: str) -> None:
        print(f"kiosk: out of service: {reason}", file=sys.stderr, flush=True)
        if demo and offscreen and exit_after_ms is None:
            exit_code["value"] = 1
            app.quit()

    window.core_failed.connect(on_failed)
    window.load_core(core_factory)
    if exit_after_ms is not None:
        QTimer.singleShot(max(0, exit_after_ms), app.quit)
    code = app.exec()
    window.shutdown()
    QGuiApplication.restoreOverrideCursor()
    ctx.close()
    window.deleteLater()
    return code or exit_code["value"]
