"""Helpers shared by the UI tests (imported by name: tests/ui is on sys.path under pytest)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.config import KioskConfig
from kiosk.config.loader import validate

PORTRAIT = (1080, 1920)
LANDSCAPE = (1920, 1080)


def make_config(data_dir: Path, seed: Path, **overrides: str) -> KioskConfig:
    """Defaults plus environment-style overrides (``ui_theme="high_contrast"``); never reads files."""
    env = {"KIOSK_CATALOG_SEED_PATH": str(seed)}
    env.update({f"KIOSK_{k.upper()}": v for k, v in overrides.items()})
    return KioskConfig(validate({}, env)).replace({"kiosk.data_dir": str(data_dir)})


def show_window(qtbot, window, size: tuple[int, int] = PORTRAIT):
    """Show and wait; the caller disposes of the window (conftest.dispose), not qtbot."""
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def dispose(widget) -> None:
    """Close and delete now, so the next test's style sheet does not re-polish a dead window.

    Lives here, not in conftest.py: with several test folders on the command line pytest loads
    every folder's conftest up front, and ``import conftest`` then finds another folder's."""
    from PySide6.QtCore import QCoreApplication, QEvent

    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def click(qtbot, widget: QWidget) -> None:
    """A real mouse press and release in the middle of ``widget``."""
    assert widget.isVisible(), f"{widget.objectName() or widget} is not visible"
    assert widget.isEnabled(), f"{widget.objectName() or widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisible()]


def visible_texts(root: QWidget) -> list[str]:
    return [w.text() for w in root.findChildren(QLabel) if w.isVisible() and w.text()]


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def scroll_to(widget: QWidget) -> None:
    """Scroll the enclosing QScrollArea so ``widget`` is on screen (a finger would swipe)."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)
