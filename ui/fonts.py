"""The CJK application font: the bundled WenQuanYi Micro Hei, else a system CJK font."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QRawFont

log = logging.getLogger("kiosk.ui")

# System families that cover Simplified Chinese, tried in order when the bundled font is absent.
SYSTEM_CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


def load_font_file(path: Path) -> str | None:
    """Register ``path`` with Qt; returns its (non-monospace) family, or None if unusable."""
    if not path.is_file():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("font file %s could not be loaded", path)
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    proportional = [f for f in families if "mono" not in f.lower()]
    return (proportional or families or [None])[0]


def choose_family(font_path: Path) -> str:
    """The bundled font's family; if it is absent, a system CJK family, else the default family."""
    family = load_font_file(font_path)
    if family:
        return family
    installed = set(QFontDatabase.families())
    fallback = next((f for f in SYSTEM_CJK_FAMILIES if f in installed), None)
    if fallback:
        log.warning("bundled font %s missing: using the system font %s", font_path, fallback)
        return fallback
    default = QGuiApplication.font().family()
    log.warning("bundled font %s missing and no CJK system font: Chinese may not render", font_path)
    return default


def install_app_font(app: QGuiApplication, font_path: Path, pixel_size: int) -> QFont:
    """Make the CJK family the application font; returns it."""
    font = QFont(choose_family(font_path))
    font.setPixelSize(pixel_size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return font


def uncovered_characters(font: QFont, texts: Iterable[str]) -> set[str]:
    """Characters of ``texts`` that ``font``'s own font file has no glyph for (whitespace ignored).

    QRawFont looks at the one file, not at the fallback fonts Qt would substitute, so a
    character reported here would depend on whatever else is installed.
    """
    raw = QRawFont.fromFont(font)
    chars = {c for text in texts for c in text if not c.isspace()}
    return {c for c in chars if not raw.supportsCharacter(ord(c))}
