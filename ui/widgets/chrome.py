"""The window chrome: the header (kiosk, service point, clock, device notices) and the Back/Home
navigation bar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ui.context import UiContext
from ui.widgets.common import clear_layout, make_label, set_role


class Header(QFrame):
    """Kiosk name, service point, a DEMO tag in demo mode, the clock, and small device notices
    (icon and text, e.g. "receipt paper low") on the service point's line, set with
    ``set_indicators``."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        set_role(self, "header")
        layout = QGridLayout(self)
        layout.setContentsMargins(24, 10, 24, 10)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(0)
        self.kiosk_name = make_label(ctx.config.kiosk.name, "heading", wrap=False)
        self.point_name = make_label(ctx.config.service_point.name, "small", wrap=False)
        self.demo_tag = make_label(role="demo", wrap=False)
        self.demo_tag.setVisible(ctx.demo)
        self.clock = make_label(role="heading", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.indicators = QHBoxLayout()
        self.indicators.setSpacing(12)
        layout.addWidget(self.kiosk_name, 0, 0, 1, 2)
        layout.addWidget(self.demo_tag, 0, 2, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.clock, 0, 3)
        layout.addWidget(self.point_name, 1, 0)
        layout.addLayout(self.indicators, 1, 1, 1, 3)  # under the clock, beside the service point
        layout.setColumnStretch(1, 1)
        self._indicator_items: list[tuple[str, str]] = []
        ctx.metrics_changed.connect(lambda _m: self.set_indicators(self._indicator_items))
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.update_clock)
        self._timer.start()
        self.retranslate()

    def update_clock(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm"))

    def set_indicators(self, items: Sequence[tuple[str, str]]) -> None:
        """Show ``(icon name, translated text)`` notices; an empty list removes them."""
        self._indicator_items = list(items)
        clear_layout(self.indicators)
        if items:
            self.indicators.addStretch(1)
        size = round(self.ctx.metrics.small_px * 1.2)
        for icon, text in items:
            box = QWidget()
            box.setObjectName("device_indicator")
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(6)
            picture = QLabel()
            picture.setPixmap(self.ctx.icon(icon, "dark").pixmap(QSize(size, size)))
            label = make_label(text, "chip", wrap=False)
            set_role(label, "chip", tone="warn")
            row.addWidget(picture)
            row.addWidget(label)
            box.setAccessibleName(text)
            self.indicators.addWidget(box)

    def indicator_texts(self) -> list[str]:
        return [text for _icon, text in self._indicator_items]

    def retranslate(self) -> None:
        self.demo_tag.setText(self.tr("DEMO"))
        self.update_clock()


class NavBar(QFrame):
    """Back, Home and End: visible on every screen but the attract screen.

    Signals:
        back_requested(), home_requested(), end_requested()
    """

    back_requested = Signal()
    home_requested = Signal()
    end_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        set_role(self, "navbar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(24)
        self.back_button = self._button("nav_back", self.back_requested)
        self.home_button = self._button("nav_home", self.home_requested)
        self.end_button = self._button("nav_end", self.end_requested)
        layout.addWidget(self.back_button, 2)
        layout.addWidget(self.home_button, 2)
        layout.addStretch(1)
        layout.addWidget(self.end_button, 2)
        ctx.metrics_changed.connect(lambda _m: self._update_icons())
        self._update_icons()
        self.retranslate()

    def _button(self, name: str, signal: Signal) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        set_role(button, "nav")
        button.clicked.connect(signal)
        return button

    def _update_icons(self) -> None:
        size = round(self.ctx.metrics.body_px * 1.2)
        for button, name in (
            (self.back_button, "back"),
            (self.home_button, "home"),
            (self.end_button, "exit"),
        ):
            button.setIcon(self.ctx.icon(name))
            button.setIconSize(QSize(size, size))

    def set_can_go_back(self, can: bool) -> None:
        self.back_button.setEnabled(can)

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.home_button.setText(self.tr("Home"))
        self.end_button.setText(self.tr("End"))
