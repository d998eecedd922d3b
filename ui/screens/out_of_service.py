"""The out-of-service screen (暂停服务): shown instead of the attract screen while a required device
is unusable. It says why in citizen words, where else to go (the service point's counter, its
hours, the 12345 hotline) and, small at the bottom, which device failed and how (for the technician).
``DeviceBanner`` tells a citizen already in a session instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.hardware import OutOfService
from ui.context import UiContext
from ui.device_status import AVAILABLE_STATE, DeviceState, reason_text
from ui.screens.base import LANDSCAPE, PORTRAIT
from ui.texts import arg
from ui.theme import ICON_COLORS
from ui.widgets.common import make_label, set_role

DEFAULT_HOTLINE = "12345"


class OutOfServiceScreen(QWidget):
    """No new session can start here; a touch does nothing. ``set_state`` updates the reason."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("out_of_service_screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        set_role(self, "screen")
        self.state = AVAILABLE_STATE
        self.orientation = ""
        self._catalog: Any = None
        self.clock = make_label(role="heading", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # the headline: icon, 暂停服务, the reason, an apology
        self.headline = QWidget()
        head = QVBoxLayout(self.headline)
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(20)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = make_label(role="hero")
        self.title.setObjectName("out_of_service_title")
        self.reason = make_label(role="title")
        self.reason.setObjectName("out_of_service_reason")
        self.apology = make_label(role="muted")
        self.comeback = make_label(role="muted")
        for widget in (self.icon, self.title, self.reason, self.apology, self.comeback):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            head.addWidget(widget)
        # where else to go
        self.help_card = QFrame()
        set_role(self.help_card, "section")
        card = QVBoxLayout(self.help_card)
        card.setContentsMargins(32, 28, 32, 28)
        card.setSpacing(18)
        self.help_heading = make_label(role="heading")
        self.counter = make_label()
        self.hours = make_label()
        self.hotline = make_label(role="title")
        self.hotline.setObjectName("out_of_service_hotline")
        card.addWidget(self.help_heading)
        self._icons: dict[str, QLabel] = {}
        for name, label in (("pin", self.counter), ("phone", self.hotline)):
            card.addLayout(self._icon_row(name, label))
            if label is self.counter:
                card.addLayout(self._icon_row("", self.hours))
        self.technician = make_label(role="small")
        self.technician.setObjectName("out_of_service_technician")
        self.technician.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(48, 32, 48, 32)
        self._grid.setSpacing(32)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._update_clock)
        self._timer.start()
        ctx.metrics_changed.connect(lambda _m: self._update_icons())
        ctx.language_changed.connect(lambda _l: self.retranslate())
        self.set_orientation(PORTRAIT)
        self._update_icons()
        self.retranslate()

    def _icon_row(self, icon: str, label: QLabel) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        picture = QLabel()
        picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self._icons[icon or f"blank-{id(label)}"] = picture
        row.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(label, 1)
        return row

    # ----- state -----
    def set_catalog(self, catalog: Any) -> None:
        """The loaded catalog: the counter's hours and phone, the region's hotline."""
        self._catalog = catalog
        self.retranslate()

    def set_state(self, state: DeviceState) -> None:
        self.state = state
        self._update_icons()
        self.retranslate()

    # ----- layout -----
    def set_orientation(self, orientation: str) -> None:
        if orientation == self.orientation:
            return
        self.orientation = orientation
        grid = self._grid
        for widget in (self.clock, self.headline, self.help_card, self.technician):
            grid.removeWidget(widget)
        for i in range(5):
            grid.setRowStretch(i, 0)
            grid.setColumnStretch(i, 0)
        if orientation == LANDSCAPE:
            grid.addWidget(self.clock, 0, 0, 1, 2)
            grid.addWidget(self.headline, 2, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(self.help_card, 2, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(self.technician, 4, 0, 1, 2)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(1, 1)
            grid.setRowStretch(3, 1)
        else:
            grid.addWidget(self.clock, 0, 0)
            grid.addWidget(self.headline, 2, 0)
            grid.addWidget(self.help_card, 3, 0)
            grid.addWidget(self.technician, 5, 0)
            grid.setColumnStretch(0, 1)
            grid.setRowStretch(1, 2)
            grid.setRowStretch(4, 3)
        for widget in (self.clock, self.headline, self.help_card):
            widget.show()  # the technician line shows only when there is something to say

    def _update_icons(self) -> None:
        metrics = self.ctx.metrics
        big = metrics.hero_px * 2
        name = "paper" if self.state.reason == OutOfService.CONSUMABLES else "maintenance"
        # rendered at its size: a QIcon would not scale its 64 px pixmap up
        self.icon.setPixmap(self.ctx.icons.pixmap(name, ICON_COLORS[self.ctx.theme]["plain"], big))
        small = round(metrics.body_px * 1.4)
        for key, picture in self._icons.items():
            picture.setFixedSize(small, small)
            if not key.startswith("blank-"):
                picture.setPixmap(self.ctx.icon(key).pixmap(QSize(small, small)))

    def _update_clock(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("yyyy-MM-dd  HH:mm"))

    # ----- texts -----
    def _point(self) -> tuple[str, str, str, str]:
        """(name, address, hours, phone) of this service point: the catalog's directory entry
        (counter hours) when it has one, else the configuration."""
        point = self.ctx.config.service_point
        name, address, hours, phone = point.name, point.address, point.hours, ""
        catalog = self._catalog
        if catalog is not None and point.code in catalog.service_points:
            entry = catalog.service_point(point.code)
            name, address, hours, phone = entry.name, entry.address, entry.hours, entry.phone
        return name, address, hours, phone

    def hotline_number(self) -> str:
        region = getattr(self._catalog, "region", None)
        return getattr(region, "hotline", "") or DEFAULT_HOTLINE

    def retranslate(self) -> None:
        name, address, hours, phone = self._point()
        self.title.setText(self.tr("Service paused"))
        self.reason.setText(reason_text(self.state))
        self.apology.setText(
            self.tr(
                "This self-service kiosk cannot start new services right now. "
                "We are sorry for the inconvenience."
            )
        )
        self.comeback.setText(self.tr("It reopens by itself as soon as it is fixed."))
        self.help_heading.setText(self.tr("Meanwhile you can:"))
        counter = arg(self.tr("Go to a service counter: %1, %2"), name, address)
        if phone:
            counter += "\n" + arg(self.tr("Phone: %1"), phone)
        self.counter.setText(counter)
        self.hours.setText(arg(self.tr("Opening hours: %1"), hours))
        self.hotline.setText(arg(self.tr("Government service hotline: %1"), self.hotline_number()))
        lines = self.state.technician_lines()
        self.technician.setText(arg(self.tr("Technical details: %1"), "; ".join(lines)) if lines else "")
        self.technician.setVisible(bool(lines))
        self._update_clock()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a touch never starts a session here


class DeviceBanner(QFrame):
    """The non-modal notice above the current screen while a citizen's session goes on although
    the kiosk is out of service (icon and text, not colour only)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("device_banner")
        set_role(self, "banner", tone="warn")
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(16)
        self.icon = QLabel()
        self.text = make_label(role="strong")
        self.text.setObjectName("device_banner_text")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1)
        ctx.metrics_changed.connect(lambda _m: self._update_icon())
        self._update_icon()
        self.hide()

    def set_text(self, text: str) -> None:
        self.text.setText(text)

    def _update_icon(self) -> None:
        size = round(self.ctx.metrics.body_px * 1.5)
        self.icon.setPixmap(self.ctx.icon("warning").pixmap(QSize(size, size)))
