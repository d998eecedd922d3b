"""Monochrome SVG icons from ``resources/icons``, recoloured for the current theme."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

SOURCE_COLOR = "#000000"


class IconProvider:
    """Renders ``<name>.svg`` in a given colour; results are cached per (name, colour, size)."""

    def __init__(self, icons_dir: Path) -> None:
        self.icons_dir = icons_dir
        self._svg: dict[str, str] = {}
        self._cache: dict[tuple[str, str, int], QIcon] = {}

    def icon(self, name: str, color: str, size: int = 64) -> QIcon:
        key = (name, color, size)
        if key not in self._cache:
            self._cache[key] = QIcon(self.pixmap(name, color, size))
        return self._cache[key]

    def pixmap(self, name: str, color: str, size: int) -> QPixmap:
        svg = self._svg.get(name)
        if svg is None:
            path = self.icons_dir / f"{name}.svg"
            svg = path.read_text(encoding="utf-8") if path.is_file() else ""
            self._svg[name] = svg
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        if svg:
            renderer = QSvgRenderer(QByteArray(svg.replace(SOURCE_COLOR, color).encode()))
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
        return pixmap
