"""Everything the screens share: configuration, language, sizes, theme and icons."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.paths import resource
from ui.fonts import install_app_font
from ui.i18n import LanguageManager
from ui.icons import IconProvider
from ui.metrics import UiMetrics
from ui.theme import ICON_COLORS, load_qss

log = logging.getLogger("kiosk.ui")


class UiContext(QObject):
    """Application-wide UI state; one per QApplication.

    Signals:
        language_changed(str): after the translator was switched; screens re-render their texts.
        metrics_changed(object): after elderly mode or the font scale changed (UiMetrics).
    """

    language_changed = Signal(str)
    metrics_changed = Signal(object)

    def __init__(
        self,
        app: QApplication,
        config: KioskConfig,
        *,
        qm_dir: Path | None,
        demo: bool = False,
        resources_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.config = config
        self.demo = demo
        self.resources_dir = resources_dir or resource()
        self.theme = config.ui.theme
        self.metrics = UiMetrics(font_scale=config.ui.font_scale, elderly=config.ui.elderly_mode)
        font = install_app_font(app, self.resources_dir / "fonts" / "wqy-microhei.ttc", self.metrics.body_px)
        self.font_family = font.family()
        self.icons = IconProvider(self.resources_dir / "icons")
        self.languages = LanguageManager(qm_dir, config.kiosk.language, parent=self)
        self.languages.changed.connect(self.language_changed)
        self.languages.set_language(config.kiosk.language)
        self.apply_style()

    # ----- language -----
    @property
    def language(self) -> str:
        return self.languages.language

    def set_language(self, language: str) -> None:
        self.languages.set_language(language)

    def toggle_language(self) -> None:
        self.languages.toggle()

    # ----- sizes and theme -----
    @property
    def elderly(self) -> bool:
        return self.metrics.elderly

    def set_elderly(self, elderly: bool) -> None:
        if elderly != self.metrics.elderly:
            self.metrics = self.metrics.with_elderly(elderly)
            self.apply_style()
            self.metrics_changed.emit(self.metrics)

    def set_display_scale(self, display_scale: float) -> None:
        """Fit the design (1080x1920 / 1920x1080) to a screen or window of another size."""
        if abs(display_scale - self.metrics.display_scale) > 1e-3:
            self.metrics = self.metrics.with_display_scale(display_scale)
            self.apply_style()
            self.metrics_changed.emit(self.metrics)

    def apply_style(self) -> None:
        font = self.app.font()
        font.setPixelSize(self.metrics.body_px)
        self.app.setFont(font)
        qss = load_qss(self.resources_dir / "themes", self.theme, self.metrics, self.font_family)
        self.app.setStyleSheet(qss)

    def icon(self, name: str, tone: str = "plain") -> QIcon:
        """Icon ``name`` coloured for ``tone``: plain, primary (on a primary button), dark, ok."""
        return self.icons.icon(name, ICON_COLORS[self.theme][tone])

    def reset(self) -> None:
        """A new citizen: language and elderly mode back to the configured defaults."""
        self.set_elderly(self.config.ui.elderly_mode)
        self.set_language(self.config.kiosk.language)

    def close(self) -> None:
        self.languages.uninstall()
