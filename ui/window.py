"""The kiosk window: header, the stacked screens, the navigation bar and the idle overlay."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.hardware import KioskState
from kiosk.session import IdlePolicy, Screen, Session
from ui.catalog_view import CatalogView
from ui.context import UiContext
from ui.core_loader import CoreFactory, CoreLoader, close_core
from ui.device_status import (
    DeviceSource,
    DeviceState,
    DeviceStatusModel,
    banner_text,
    notice_icon,
    notice_text,
)
from ui.idle import IdleWatcher
from ui.screens.attract import AttractScreen
from ui.screens.base import LANDSCAPE, PORTRAIT, BaseScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.out_of_service import DeviceBanner, OutOfServiceScreen
from ui.screens.results import ResultsScreen
from ui.widgets.chrome import Header, NavBar
from ui.widgets.idle_overlay import IdleOverlay

log = logging.getLogger("kiosk.ui")

# A required device must stay unusable this long before service pauses: no flashing 暂停服务 screen
# for a glitch (or for the instant at start-up when a reader is open but has not reported yet).
OUT_OF_SERVICE_SETTLE_MS = 1000


class KioskWindow(QWidget):
    """The one top-level window. Renders ``session``; screens forward intents to it.

    Devices (``core.devices``): while a required device is unusable no session can start, and once
    that lasted ``OUT_OF_SERVICE_SETTLE_MS`` the out-of-service screen replaces the attract screen;
    a citizen already in a session keeps going with a banner, and the out-of-service screen follows
    when the session ends.

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
        self.device_status: DeviceStatusModel | None = None
        self.device_state: DeviceState | None = None
        self._core_ready = False
        self._paused = False  # out of service for longer than the settle time
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(OUT_OF_SERVICE_SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self.orientation = ""
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowTitle(ctx.config.kiosk.name)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # no size hints to the platform
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(ctx)
        self.banner = DeviceBanner(ctx)
        self.stack = QStackedWidget()
        self.nav = NavBar(ctx)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
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
        self.out_of_service = OutOfServiceScreen(ctx)
        for screen in (self.attract, self.home, self.results, self.guide, self.out_of_service):
            self.stack.addWidget(screen)
        self.overlay = IdleOverlay(self)
        self.idle = IdleWatcher(self.idle_policy, ctx.app, parent=self)
        self._loader: CoreLoader | None = None
        self._connect_signals()
        self._apply_orientation()
        self._on_session(self.session)

    def _connect_signals(self) -> None:
        self.session.add_listener(self._on_session)
        self.attract.start_requested.connect(self._start_session)
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
        self._loader.loaded.connect(self._on_core_loaded)
        self._loader.failed.connect(self._on_core_failed)
        self._loader.start()
        return self._loader

    def _on_core_loaded(self, _core: object) -> None:
        # Claimed, not taken from the signal: after shutdown() the core is already closed.
        core = self._loader.claim() if self._loader is not None else None
        if core is not None:
            self.set_core(core)

    def set_core(self, core: Any) -> None:
        self.core = core
        view = CatalogView(core, self.ctx.config)
        for screen in (self.home, self.results, self.guide):
            screen.set_view(view)
        self.out_of_service.set_catalog(core.catalog)
        self._core_ready = True
        devices = getattr(core, "devices", None)
        if devices is not None:
            self.attach_devices(devices)
        else:
            self._apply_service()
        log.info("kiosk core ready: %d items", len(core.catalog.items))
        self.core_ready.emit(core)

    # ----- devices -----
    def attach_devices(self, devices: DeviceSource) -> DeviceStatusModel:
        """Follow ``devices`` (the core's DeviceSet): availability and events reach this window
        as queued signals on the GUI thread."""
        self.detach_devices()
        model = DeviceStatusModel(devices, parent=self)
        model.state_changed.connect(self._on_devices)
        self.device_status = model
        self._on_devices(model.state)
        return model

    def detach_devices(self) -> None:
        model, self.device_status = self.device_status, None
        if model is not None:
            model.close()
            model.deleteLater()
        self.device_state = None
        self._settle.stop()
        self._paused = False

    def set_out_of_service_delay(self, ms: int) -> None:
        """How long a required device must stay unusable before service pauses."""
        self._settle.setInterval(max(0, ms))

    def _on_devices(self, state: DeviceState) -> None:
        self.device_state = state
        if not state.out_of_service:
            self._settle.stop()
            self._paused = False
        elif not self._paused and not self._settle.isActive():
            self._settle.start()
        self.out_of_service.set_state(state)
        self._render_device_notices()
        self._apply_service()

    def _on_settled(self) -> None:
        self._paused = self.device_state is not None and self.device_state.out_of_service
        if self._paused:
            log.warning("kiosk out of service: %s", self.device_state.availability.describe())
        self._apply_service()

    def _render_device_notices(self) -> None:
        state = self.device_state
        notices = state.notices() if state is not None else []
        self.header.set_indicators([(notice_icon(n), notice_text(n)) for n in notices])
        self.banner.set_text(banner_text(state) if state is not None and state.out_of_service else "")

    @property
    def out_of_service_now(self) -> bool:
        """A required device has been unusable for the settle time: service is paused."""
        return self._paused

    def _can_start(self) -> bool:
        state = self.device_state
        return self._core_ready and (state is None or state.state == KioskState.AVAILABLE)

    def _start_session(self) -> None:
        if self._can_start():
            self.session.start()

    def _apply_service(self) -> None:
        """Attract or out-of-service screen between citizens; the banner during a session."""
        if self._core_ready:
            self.attract.set_ready(self._can_start())  # INITIALIZE: "getting ready, please wait"
        active = self.session.active
        self.banner.setVisible(active and self.out_of_service_now)
        if not active:
            target = self._idle_screen()
            if self.stack.currentWidget() is not target:
                self.stack.setCurrentWidget(target)

    def _idle_screen(self) -> QWidget:
        return self.out_of_service if self._core_ready and self.out_of_service_now else self.attract

    def _on_core_failed(self, reason: str) -> None:
        log.error("kiosk out of service: %s", reason)
        self.attract.set_ready(False, failed=True)
        self.core_failed.emit(reason)

    # ----- session -----
    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_session(self, session: Session) -> None:
        widget = self.screens.get(session.screen, self.home) if session.active else self._idle_screen()
        was_active = self.stack.currentWidget() not in (self.attract, self.out_of_service)
        for screen in (self.home, self.results, self.guide):
            screen.render()
        self.stack.setCurrentWidget(widget)
        self.header.setVisible(session.active)
        self.nav.setVisible(session.active)
        self.nav.set_can_go_back(session.can_go_back)
        self.banner.setVisible(session.active and self.out_of_service_now)
        self.idle.arm(self.idle_policy.guards(session.screen))
        if isinstance(widget, BaseScreen):
            widget.render()
        if not session.active:
            self.overlay.hide()
            self.home.scroll.verticalScrollBar().setValue(0)  # the next citizen starts at the top
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
            for screen in (self.home, self.results, self.guide, self.out_of_service):
                screen.set_orientation(orientation)

    def _retranslate_chrome(self) -> None:
        self.header.retranslate()
        self.nav.retranslate()
        self.attract.retranslate()
        self.overlay.retranslate()
        self._render_device_notices()

    def shutdown(self) -> None:
        """Stop timers and the event filter; wait briefly for a running core build."""
        self.idle.shutdown()
        self.session.remove_listener(self._on_session)
        orphan = None
        if self._loader is not None:
            self._loader.wait(10.0)
            orphan = self._loader.abandon()  # built but never shown (quit during start-up)
        self.detach_devices()  # stop listening before the core stops the devices
        core, self.core = self.core, None
        for built in (core, orphan):
            if built is not None:
                close_core(built)  # stops devices, sync threads and the demo platform (bounded waits)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
