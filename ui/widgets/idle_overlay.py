"""The idle warning: covers the window, counts down, offers Continue and End."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.common import make_label, set_role


class IdleOverlay(QWidget):
    """A modal layer over the whole window; it follows the parent's size.

    Signals:
        continue_requested(): the Continue button (or any touch on the dimmed area).
        end_requested(): the End button: wipe now.
    """

    continue_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle_overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        set_role(self, "overlay")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(1)
        self.dialog = QFrame(self)
        set_role(self.dialog, "dialog")
        self.dialog.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.dialog.setMaximumWidth(960)
        box = QVBoxLayout(self.dialog)
        box.setContentsMargins(40, 40, 40, 40)
        box.setSpacing(24)
        self.title = make_label(role="title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seconds = make_label(role="countdown", wrap=False)
        self.seconds.setObjectName("idle_seconds")
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = make_label()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.continue_button = QPushButton(self.dialog)
        self.continue_button.setObjectName("idle_continue")
        set_role(self.continue_button, "big")
        self.continue_button.clicked.connect(self.continue_requested)
        self.end_button = QPushButton(self.dialog)
        self.end_button.setObjectName("idle_end")
        self.end_button.clicked.connect(self.end_requested)
        for widget in (self.title, self.seconds, self.message):
            box.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.end_button, 1)
        buttons.addWidget(self.continue_button, 2)
        box.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.dialog, 10)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self._left = 0
        parent.installEventFilter(self)
        self.hide()
        self.retranslate()

    def show_countdown(self, seconds: int) -> None:
        self.set_seconds(seconds)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()

    def set_seconds(self, seconds: int) -> None:
        self._left = seconds
        self.seconds.setText(str(seconds))
        self.message.setText(
            self.tr(
                "For your privacy, what you entered will be cleared and the kiosk returns to the "
                "start screen in %n second(s).",
                "",
                seconds,
            )
        )

    def retranslate(self) -> None:
        self.title.setText(self.tr("Are you still there?"))
        self.continue_button.setText(self.tr("Continue"))
        self.end_button.setText(self.tr("End now"))
        self.set_seconds(self._left)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.dialog.geometry().contains(event.position().toPoint()):
            self.continue_requested.emit()
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False
