"""The attract screen: the kiosk's name, where it is, the time, and "touch to start"."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.widgets.common import make_label, set_role


class AttractScreen(QWidget):
    """Shown between citizens. A touch anywhere starts a session once the catalog is ready.

    Signals:
        start_requested(): the citizen touched the screen.
    """

    start_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("attract_screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        set_role(self, "attract")
        self._ready = False
        self._failed = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 96, 64, 96)
        layout.setSpacing(24)
        point = ctx.config.service_point
        self.clock = make_label(role="clock", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = make_label(ctx.config.kiosk.name, "hero")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.place = make_label(f"{point.name}\n{point.address}", "heading")
        self.place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hours = make_label(role="heading")
        self.hours.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.touch_icon = QLabel()
        self.touch_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = make_label(role="title")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = QPushButton()
        self.start_button.setObjectName("attract_start")
        set_role(self.start_button, "big")
        self.start_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.start_button.clicked.connect(self._request_start)
        layout.addWidget(self.clock)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.place)
        layout.addWidget(self.hours)
        layout.addStretch(3)
        layout.addWidget(self.touch_icon)
        layout.addWidget(self.prompt)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._update_clock)
        self._timer.start()
        ctx.metrics_changed.connect(lambda _m: self._update_icon())
        self._update_icon()
        self.retranslate()

    @property
    def ready(self) -> bool:
        return self._ready

    def set_ready(self, ready: bool, failed: bool = False) -> None:
        self._ready = ready
        self._failed = failed
        self.retranslate()

    def _update_icon(self) -> None:
        size = self.ctx.metrics.hero_px * 2
        self.touch_icon.setPixmap(self.ctx.icon("touch", "dark").pixmap(QSize(size, size)))

    def _update_clock(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock.setText(now.toString("yyyy-MM-dd  HH:mm"))

    def _request_start(self) -> None:
        if self._ready:
            self.start_requested.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._request_start()
        event.accept()

    def retranslate(self) -> None:
        self.hours.setText(self.tr("Open: %1").replace("%1", self.ctx.config.service_point.hours))
        if self._failed:
            self.prompt.setText(self.tr("Out of service. Please ask the staff for help."))
            self.start_button.setText(self.tr("Out of service"))
        elif self._ready:
            self.prompt.setText(self.tr("Touch the screen to start"))
            self.start_button.setText(self.tr("Start"))
        else:
            self.prompt.setText(self.tr("Getting ready, please wait…"))
            self.start_button.setText(self.tr("Please wait"))
        self.start_button.setEnabled(self._ready)
        self._update_clock()
