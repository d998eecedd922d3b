"""Devices in the kiosk window, end to end with real DeviceSets over the byte-level simulators
(SAM reader on a pty, ESC/POS printer on loopback TCP, synthetic camera) and real threads:

- a required device lost -> the 暂停服务 screen replaces the attract screen; back -> attract again;
- a citizen in a session keeps going with a banner; the kiosk pauses when the session ends;
- devices still starting -> "getting ready" on the attract screen, never 暂停服务;
- degraded optional features -> small icon + text notices in the header.

Set KIOSK_UI_SCREENSHOTS=/some/dir to keep the PNGs for a visual review.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget
from uitest_helpers import LANDSCAPE, PORTRAIT, click, dispose, global_rect, make_config, show_window

from devices.base import Backoff
from kiosk.core import build_core
from kiosk.hardware import DeviceSet, KioskState, Tuning
from kiosk.session import IdlePolicy, Screen
from ui.context import UiContext
from ui.device_status import DeviceStatusModel
from ui.window import KioskWindow

FAST = Tuning(backoff=Backoff(base=0.05, cap=0.2), poll_interval=0.05, auto_read=False)
SMALL_CAMERA = {"devices_camera_width": "320", "devices_camera_height": "240"}
WAIT_MS = 5000
LONG_IDLE = IdlePolicy(timeout_s=600, warning_s=30)
SETTLE_MS = 200  # the fixture's out-of-service delay (the product waits 1 s)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data directory for the module's cores (the pinyin cache is computed once)."""
    return tmp_path_factory.mktemp("kiosk-devices")


@pytest.fixture
def open_kiosk(qtbot, ui_context, seed_path, data_dir):
    """``open_kiosk(**config_overrides)`` -> a shown window on a real core whose DeviceSet runs
    the simulators with fast polls (the same wiring as ``build_core(with_devices=True)``)."""
    windows: list[KioskWindow] = []

    def open_(
        *, start=True, idle=LONG_IDLE, size=PORTRAIT, ctx=ui_context, settle_ms=SETTLE_MS, **overrides: str
    ) -> KioskWindow:
        config = make_config(data_dir, seed_path, **{**SMALL_CAMERA, **overrides})
        core = build_core(config)
        core.devices = DeviceSet.from_config(config, FAST)
        core.on_close(core.devices.stop)
        if start:
            core.devices.start()
        win = KioskWindow(ctx, idle_policy=idle)
        win.set_out_of_service_delay(settle_ms)
        windows.append(win)
        show_window(qtbot, win, size)
        win.set_core(core)
        return win

    yield open_
    for win in windows:
        win.shutdown()  # closes the core, which stops the devices
        dispose(win)


def wait_ready(qtbot, win: KioskWindow, timeout: int = WAIT_MS) -> float:
    """Until the attract screen accepts a touch; returns the seconds it took."""
    started = time.monotonic()
    qtbot.waitUntil(
        lambda: win.current_screen() is win.attract and win.attract.start_button.isEnabled(), timeout=timeout
    )
    return time.monotonic() - started


def wait_out_of_service(qtbot, win: KioskWindow, timeout: int = WAIT_MS) -> float:
    started = time.monotonic()
    qtbot.waitUntil(lambda: win.current_screen() is win.out_of_service, timeout=timeout)
    return time.monotonic() - started


def settle(qtbot) -> None:
    """Let posted layout requests run, as the event loop would before painting. (qtbot.wait runs
    an event loop that lets Python threads run; PySide6's QTest.qWait holds the GIL, so the
    device threads would stall meanwhile.)"""
    qtbot.wait(20)


def screenshot(qtbot, win: KioskWindow, name: str, fallback: Path) -> QImage:
    out = Path(os.environ.get("KIOSK_UI_SCREENSHOTS") or fallback)
    out.mkdir(parents=True, exist_ok=True)
    settle(qtbot)
    path = out / f"{name}.png"
    assert win.grab().save(str(path))
    return QImage(str(path))


def search(qtbot, win: KioskWindow, text: str = "sbk") -> None:
    click(qtbot, win.attract.start_button)
    for ch in text:
        click(qtbot, win.current_screen().search.keyboard.keys[ch])
    qtbot.waitUntil(lambda: bool(win.results.cards) and win.results.cards[0].isVisible())


def test_unplugged_id_reader_pauses_service_and_replug_restores_it(qtbot, ui_context, seed_path, data_dir):
    """The launcher's path: ``build_core(with_devices=True)`` with the devices' own timings."""
    core = build_core(make_config(data_dir, seed_path, **SMALL_CAMERA), with_devices=True)
    win = KioskWindow(ui_context, idle_policy=LONG_IDLE)
    try:
        show_window(qtbot, win)
        win.set_core(core)
        wait_ready(qtbot, win)
        threads: list[int] = []
        win.device_status.state_changed.connect(lambda _state: threads.append(threading.get_ident()))
        emulator = core.devices.adapter("id_reader").emulator

        emulator.unplug()
        wait_out_of_service(qtbot, win)
        screen = win.out_of_service
        assert screen.title.text() == "暂停服务"
        assert screen.reason.text() == "设备维护中"
        assert screen.hotline.text() == "政务服务便民热线：12345"
        assert "西湖区市民之家（杭州市西湖区文三路 100 号）" in screen.counter.text()
        assert screen.hours.text().startswith("办公时间：周一至周五")
        assert screen.technician.isVisible()
        assert screen.technician.text().startswith("技术信息：id_reader (simulator): ")
        assert not win.header.isVisible() and not win.nav.isVisible()
        click(qtbot, screen)  # a touch starts nothing while out of service
        assert win.session.screen is Screen.ATTRACT and win.current_screen() is screen

        emulator.replug()  # picked up again with the adapter's backoff, without a restart
        wait_ready(qtbot, win, timeout=10_000)
        assert threads and set(threads) == {threading.get_ident()}  # delivered on the GUI thread
        click(qtbot, win.attract.start_button)
        assert win.session.screen is Screen.HOME
    finally:
        win.shutdown()
        dispose(win)


def test_paper_out_on_the_required_printer_gives_the_consumables_reason(qtbot, open_kiosk, tmp_path):
    win = open_kiosk()
    wait_ready(qtbot, win)
    printer = win.core.devices.adapter("printer").transport.emulator
    printer.set_state(paper="out")
    wait_out_of_service(qtbot, win)
    screen = win.out_of_service
    assert screen.reason.text() == "打印纸已用完"
    assert screen.technician.text() == "技术信息：printer (simulator): paper out"
    screenshot(qtbot, win, "out_of_service_paper_portrait", tmp_path)
    win.ctx.set_language("en_US")
    assert (screen.title.text(), screen.reason.text()) == ("Service paused", "The receipt paper has run out")
    assert screen.hotline.text() == "Government service hotline: 12345"
    assert screen.technician.text() == "Technical details: printer (simulator): paper out"
    screenshot(qtbot, win, "out_of_service_paper_portrait_en", tmp_path)
    win.ctx.set_language("zh_CN")
    printer.set_state(paper="ok")
    wait_ready(qtbot, win)
    assert not screen.isVisible()


@pytest.mark.parametrize("ending", ["end button", "idle timeout"])
def test_a_citizen_in_a_session_keeps_going_and_the_kiosk_pauses_afterwards(
    qtbot, open_kiosk, ending, tmp_path
):
    idle = IdlePolicy(timeout_s=0.3, warning_s=0.8) if ending == "idle timeout" else LONG_IDLE
    win = open_kiosk(idle=idle)
    wait_ready(qtbot, win)
    search(qtbot, win)
    emulator = win.core.devices.adapter("id_reader").emulator

    emulator.unplug()
    qtbot.waitUntil(win.banner.isVisible, timeout=WAIT_MS)
    assert win.banner.text.text().startswith("身份证读卡器暂时无法使用。您可以继续浏览")
    assert win.current_screen() is win.results and win.session.query == "sbk"  # not kicked out
    for a, b in itertools.combinations([win.header, win.banner, win.stack, win.nav], 2):
        assert not global_rect(a).intersects(global_rect(b))  # the banner covers nothing
    click(qtbot, win.results.cards[0])  # the session goes on
    assert win.session.screen is Screen.GUIDE and win.current_screen() is win.guide
    assert win.banner.isVisible()
    screenshot(qtbot, win, f"session_banner_portrait_{ending.replace(' ', '_')}", tmp_path)

    if ending == "end button":
        click(qtbot, win.nav.end_button)
    else:
        with qtbot.waitSignal(win.idle.expired, timeout=WAIT_MS):
            pass
    assert win.session.screen is Screen.ATTRACT and win.session.query == ""
    assert win.current_screen() is win.out_of_service and not win.banner.isVisible()
    emulator.replug()
    wait_ready(qtbot, win)


def test_a_short_glitch_does_not_flash_the_out_of_service_screen(qtbot, open_kiosk):
    win = open_kiosk(settle_ms=5000)
    wait_ready(qtbot, win)
    shown: list[QWidget] = []
    win.stack.currentChanged.connect(lambda _i: shown.append(win.stack.currentWidget()))
    emulator = win.core.devices.adapter("id_reader").emulator
    emulator.unplug()
    qtbot.waitUntil(lambda: win.device_state.out_of_service, timeout=WAIT_MS)
    assert not win.attract.start_button.isEnabled()  # no session starts meanwhile
    emulator.replug()
    wait_ready(qtbot, win)
    assert shown == [] and win.current_screen() is win.attract


def test_devices_still_starting_show_getting_ready_not_out_of_service(qtbot, open_kiosk):
    win = open_kiosk(start=False)
    assert win.device_state.state is KioskState.INITIALIZE
    assert win.current_screen() is win.attract
    assert win.attract.prompt.text() == "正在准备，请稍候…"
    assert not win.attract.start_button.isEnabled()
    click(qtbot, win.attract)
    assert win.session.screen is Screen.ATTRACT
    win.core.devices.start()
    wait_ready(qtbot, win)
    assert win.attract.prompt.text() == "请触摸屏幕开始办理"


def test_degraded_optional_features_show_in_the_header(qtbot, open_kiosk, tmp_path):
    win = open_kiosk(devices_camera_source=str(tmp_path / "no-such-video.mp4"))
    wait_ready(qtbot, win)  # an optional camera never stops service
    qtbot.waitUntil(lambda: win.header.indicator_texts() == ["摄像头暂不可用"], timeout=WAIT_MS)
    click(qtbot, win.attract.start_button)
    assert win.header.isVisible() and not win.banner.isVisible()

    def shown() -> list[QWidget]:
        return [w for w in win.header.findChildren(QWidget, "device_indicator") if w.isVisible()]

    (box,) = shown()
    icon, label = (w for w in box.findChildren(QLabel))
    assert not icon.pixmap().isNull() and label.text() == "摄像头暂不可用"  # icon and text, not colour
    header = global_rect(win.header)
    assert header.contains(global_rect(box)) and not global_rect(box).intersects(
        global_rect(win.header.clock)
    )

    printer = win.core.devices.adapter("printer").transport.emulator
    printer.set_state(paper="near-end")
    qtbot.waitUntil(lambda: win.header.indicator_texts() == ["打印纸将尽", "摄像头暂不可用"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(shown()) == 2)
    assert win.session.screen is Screen.HOME and not win.banner.isVisible()
    screenshot(qtbot, win, "header_indicators_portrait", tmp_path)
    win.ctx.set_elderly(True)  # the largest text: the notices still fit beside the kiosk's name
    settle(qtbot)
    header = global_rect(win.header)
    names = (win.header.kiosk_name, win.header.point_name, win.header.clock)
    for label in names:
        assert label.width() >= label.sizeHint().width(), f"{label.text()!r} is cut"
    for box in shown():
        assert header.contains(global_rect(box))
        for other in names:
            assert not global_rect(box).intersects(global_rect(other))
    screenshot(qtbot, win, "header_indicators_portrait_elderly", tmp_path)
    win.ctx.set_elderly(False)
    win.ctx.set_language("en_US")
    assert win.header.indicator_texts() == ["Receipt paper low", "Camera unavailable"]
    win.ctx.set_language("zh_CN")
    printer.set_state(paper="ok")
    qtbot.waitUntil(lambda: win.header.indicator_texts() == ["摄像头暂不可用"], timeout=WAIT_MS)


def test_model_delivers_on_the_gui_thread_and_close_detaches(qtbot, seed_path, tmp_path):
    config = make_config(
        tmp_path, seed_path, devices_camera_backend="none", devices_smart_card_backend="none"
    )
    devices = DeviceSet.from_config(config, FAST)
    devices.start()
    try:
        assert devices.wait_for(lambda a: a.available, 5.0).available
        model = DeviceStatusModel(devices)
        seen: list[tuple[int, KioskState]] = []
        model.state_changed.connect(lambda state: seen.append((threading.get_ident(), state.state)))
        events: list[str] = []
        model.device_event.connect(lambda event: events.append(event.device))
        emulator = devices.adapter("id_reader").emulator
        emulator.unplug()
        qtbot.waitUntil(lambda: model.state.out_of_service, timeout=WAIT_MS)
        assert seen[-1] == (threading.get_ident(), KioskState.UNAVAILABLE)
        assert "id_reader" in events
        model.close()
        model.close()  # twice is fine
        count = len(seen)
        emulator.replug()
        assert devices.wait_for(lambda a: a.available, 5.0).available
        qtbot.wait(100)  # anything still queued would arrive now
        assert len(seen) == count and model.state.out_of_service  # nothing after close
        model.deleteLater()
    finally:
        devices.stop(timeout=3.0)


def labels_fit(root: QWidget) -> None:
    """Every visible text is inside the window and tall enough for its wrapped lines."""
    window = root.window()
    for label in root.findChildren(QLabel):
        if not (label.isVisible() and label.text()):
            continue
        rect = global_rect(label)
        assert window.rect().contains(rect), f"{label.text()[:20]!r} {rect} sticks out"
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{label.text()[:20]!r} clipped: {label.height()} < {needed}"


@pytest.mark.parametrize(
    ("size", "elderly", "theme"),
    [
        (PORTRAIT, False, "default"),
        (LANDSCAPE, False, "default"),
        (LANDSCAPE, True, "default"),
        (PORTRAIT, True, "high_contrast"),
    ],
)
def test_out_of_service_screen_layout_and_screenshots(
    request, qtbot, qapp, open_kiosk, ui_context, qm_dir, seed_path, tmp_path, size, elderly, theme
):
    ctx = ui_context
    if theme != "default":
        ctx = UiContext(qapp, make_config(tmp_path, seed_path, ui_theme=theme), qm_dir=qm_dir)
        request.addfinalizer(ctx.close)  # runs before open_kiosk disposes the window: only a translator
    # A required printer the printer package rejects: out of service at once, with a long detail.
    win = open_kiosk(
        ctx=ctx,
        size=size,
        devices_printer_backend="serial",
        devices_printer_device="",
        devices_camera_backend="none",
        devices_smart_card_backend="none",
    )
    win.ctx.set_elderly(elderly)
    wait_out_of_service(qtbot, win)
    screen = win.out_of_service
    assert screen.orientation == ("portrait" if size == PORTRAIT else "landscape")
    settle(qtbot)
    labels_fit(screen)
    parts = [screen.headline, screen.help_card, screen.technician, screen.clock]
    for a, b in itertools.combinations(parts, 2):
        assert not global_rect(a).intersects(global_rect(b)), f"{a.objectName()} overlaps {b.objectName()}"
    assert screen.technician.text() == (
        "技术信息：printer (serial): configuration error: serial printer needs a device path"
    )
    tag = f"{'portrait' if size == PORTRAIT else 'landscape'}{'_elderly' if elderly else ''}"
    tag += "" if theme == "default" else f"_{theme}"
    image = screenshot(qtbot, win, f"out_of_service_{tag}", tmp_path)
    assert (image.width(), image.height()) == size
