"""Idle detection: an application-wide event filter, a silence timer and the warning countdown."""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.session import IdlePolicy

# Events that show a person is at the kiosk (as ints: comparing enum members is slower).
ACTIVITY_EVENTS = frozenset(
    t.value
    for t in (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
    )
)


class IdleWatcher(QObject):
    """Watches every input event of the application while armed.

    After ``policy.timeout_s`` without input it starts a warning of ``policy.warning_s``; input
    during the warning does not cancel it (only ``extend()`` does, from the overlay's button), and
    at zero ``expired`` is emitted.

    Signals:
        warning_started(int): the countdown began; whole seconds left.
        countdown(int): whole seconds left, emitted when the number changes.
        warning_cancelled(): ``extend()`` ended the warning.
        expired(): the countdown reached zero.
    """

    warning_started = Signal(int)
    countdown = Signal(int)
    warning_cancelled = Signal()
    expired = Signal()

    def __init__(self, policy: IdlePolicy, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self._app = app
        self._armed = False
        self._warning = False
        self._last_shown = -1
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(max(1, round(policy.timeout_s * 1000)))
        self._idle.timeout.connect(self._start_warning)
        self._tick = QTimer(self)
        self._tick.setInterval(max(10, min(250, round(policy.warning_s * 1000 / 20))))
        self._tick.timeout.connect(self._on_tick)
        self._elapsed = QElapsedTimer()

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def warning(self) -> bool:
        return self._warning

    def arm(self, armed: bool) -> None:
        """Guard the session (True) or stop watching (False, e.g. on the attract screen)."""
        if armed == self._armed:
            return
        self._armed = armed
        if armed:  # the filter only runs while a citizen is served (it sees every event)
            self._app.installEventFilter(self)
            self._idle.start()
        else:
            self._app.removeEventFilter(self)
            self._stop_all()

    def extend(self) -> None:
        """The citizen is still here: end the warning and start a new silence period."""
        if self._warning:
            self._stop_all()
            self.warning_cancelled.emit()
        if self._armed:
            self._idle.start()

    def remaining_ms(self) -> int:
        if not self._warning:
            return round(self.policy.warning_s * 1000)
        return max(0, round(self.policy.warning_s * 1000) - self._elapsed.elapsed())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._warning and event.type().value in ACTIVITY_EVENTS:
            self._idle.start()
        return False

    def shutdown(self) -> None:
        self._stop_all()
        self._armed = False
        self._app.removeEventFilter(self)

    def _start_warning(self) -> None:
        if not self._armed:
            return
        self._warning = True
        self._elapsed.start()
        self._last_shown = self._seconds_left()
        self._tick.start()
        self.warning_started.emit(self._last_shown)

    def _seconds_left(self) -> int:
        return math.ceil(self.remaining_ms() / 1000)

    def _on_tick(self) -> None:
        if self.remaining_ms() <= 0:
            self._stop_all()
            self.expired.emit()
            return
        left = self._seconds_left()
        if left != self._last_shown:
            self._last_shown = left
            self.countdown.emit(left)

    def _stop_all(self) -> None:
        self._idle.stop()
        self._tick.stop()
        self._warning = False
