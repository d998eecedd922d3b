"""The kiosk window: header, the stacked screens, the navigation bar and the idle overlay."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.session import IdlePolicy, Screen, Session
from ui.catalog_view import CatalogView
from ui.context import UiContext
from ui.core_loader import CoreFactory, CoreLoader
from ui.idle import IdleWatcher
from ui.screens.attract import AttractScreen
from ui.screens.base import LANDSCAPE, PORTRAIT, BaseScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.results import ResultsScreen
from ui.widgets.chrome import Header, NavBar
from ui.widgets.idle_overlay import IdleOverlay

log = logging.getLogger("kiosk.ui")


class KioskWindow(QWidget):
    """The one top-level window. Renders ``session``; screens forward intents to it.

    Signals:
        core_ready(object): the kiosk core was built and the screens can show the catalog.
        core_failed(str): building the core failed; the attract screen says "out of service".
    """

    core_ready = Signal(object)
    core_failed = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        *,
        session: Session | None = None,
        idle_policy: IdlePolicy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session or Session()
        self.idle_policy = idle_policy or IdlePolicy.from_config(ctx.config.ui)
        self.core: Any = None
        self.orientation = ""
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(ctx.config.kiosk.name)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # no size hints to the platform
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(ctx)
        self.stack = QStackedWidget()
        self.nav = NavBar(ctx)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.nav)
        self.attract = AttractScreen(ctx)
        self.home = HomeScreen(ctx, self.session)
        self.results = ResultsScreen(ctx, self.session)
        self.guide = GuideScreen(ctx, self.session)
        self.screens: dict[Screen, QWidget] = {
            Screen.ATTRACT: self.attract,
            Screen.HOME: self.home,
            Screen.RESULTS: self.results,
            Screen.GUIDE: self.guide,
        }
        for screen in (self.attract, self.home, self.results, self.guide):
            self.stack.addWidget(screen)
        self.overlay = IdleOverlay(self)
        self.idle = IdleWatcher(self.idle_policy, ctx.app, parent=self)
        self._loader: CoreLoader | None = None
        self._connect_signals()
        self._apply_orientation()
        self._on_session(self.session)

    def _connect_signals(self) -> None:
        self.session.add_listener(self._on_session)
        self.attract.start_requested.connect(self.session.start)
        self.nav.back_requested.connect(self.session.back)
        self.nav.home_requested.connect(self.session.home)
        self.nav.end_requested.connect(self.session.wipe)
        self.idle.warning_started.connect(self.overlay.show_countdown)
        self.idle.countdown.connect(self.overlay.set_seconds)
        self.idle.expired.connect(self._on_idle_expired)
        self.overlay.continue_requested.connect(self._on_continue)
        self.overlay.end_requested.connect(self._on_idle_expired)
        self.ctx.language_changed.connect(lambda _l: self._retranslate_chrome())

    # ----- the core -----
    def load_core(self, factory: CoreFactory) -> CoreLoader:
        """Build the core on a worker thread; the attract screen shows "please wait" meanwhile."""
        self._loader = CoreLoader(factory, self.ctx.config, parent=self)
        self._loader.loaded.connect(self.set_core)
        self._loader.failed.connect(self._on_core_failed)
        self._loader.start()
        return self._loader

    def set_core(self, core: Any) -> None:
        self.core = core
        view = CatalogView(core, self.ctx.config)
        for screen in (self.home, self.results, self.guide):
            screen.set_view(view)
        self.attract.set_ready(True)
        log.info("kiosk core ready: %d items", len(core.catalog.items))
        self.core_ready.emit(core)

    def _on_core_failed(self, reason: str) -> None:
        log.error("kiosk out of service: %s", reason)
        self.attract.set_ready(False, failed=True)
        self.core_failed.emit(reason)

    # ----- session -----
    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_session(self, session: Session) -> None:
        widget = self.screens.get(session.screen, self.home)
        was_active = self.stack.currentWidget() is not self.attract
        for screen in (self.home, self.results, self.guide):
            screen.render()
        self.stack.setCurrentWidget(widget)
        self.header.setVisible(session.active)
        self.nav.setVisible(session.active)
        self.nav.set_can_go_back(session.can_go_back)
        self.idle.arm(self.idle_policy.guards(session.screen))
        if isinstance(widget, BaseScreen):
            widget.render()
        if not session.active:
            self.overlay.hide()
            if was_active:
                self.ctx.reset()  # the next citizen gets the configured language and text size

    def _on_idle_expired(self) -> None:
        self.overlay.hide()
        log.info("idle timeout: wiping the session")
        self.session.wipe()

    def _on_continue(self) -> None:
        self.overlay.hide()
        self.idle.extend()

    # ----- layout -----
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_orientation()

    def _apply_orientation(self) -> None:
        configured = self.ctx.config.ui.orientation
        if configured in (PORTRAIT, LANDSCAPE):
            orientation = configured
        else:
            orientation = LANDSCAPE if self.width() > self.height() else PORTRAIT
        if orientation != self.orientation:
            self.orientation = orientation
            for screen in (self.home, self.results, self.guide):
                screen.set_orientation(orientation)

    def _retranslate_chrome(self) -> None:
        self.header.retranslate()
        self.nav.retranslate()
        self.attract.retranslate()
        self.overlay.retranslate()

    def shutdown(self) -> None:
        """Stop timers and the event filter; wait briefly for a running core build."""
        self.idle.shutdown()
        self.session.remove_listener(self._on_session)
        if self._loader is not None:
            self._loader.wait(10.0)
        core, self.core = self.core, None
        if core is not None and hasattr(core, "close"):
            core.close()  # stops devices, sync threads and the demo platform (bounded waits)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
