"""Start-up: core built off the GUI thread, run_gui end to end, headless platform selection."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from uitest_helpers import click, dispose, show_window

from kiosk.session import IdlePolicy, Screen
from ui.headless import headless_platform
from ui.window import KioskWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bare_window(qtbot, ui_context):
    win = KioskWindow(ui_context, idle_policy=IdlePolicy(timeout_s=600, warning_s=30))
    show_window(qtbot, win)
    yield win
    win.shutdown()
    dispose(win)


def test_core_is_built_on_a_worker_thread_while_the_attract_screen_waits(qtbot, bare_window, core):
    win = bare_window
    release = threading.Event()
    threads = []

    def factory(config):
        threads.append(threading.get_ident())
        assert release.wait(10)
        return core

    assert not win.attract.start_button.isEnabled()
    with qtbot.waitSignal(win.core_ready, timeout=10000):
        win.load_core(factory)
        qtbot.waitUntil(lambda: bool(threads))
        assert win.attract.start_button.text() == "请稍候"  # the GUI stays live while the core builds
        click(qtbot, win.attract)  # touching now does nothing
        assert win.session.screen is Screen.ATTRACT
        release.set()
    assert threads[0] != threading.get_ident()
    assert win.attract.start_button.isEnabled() and win.attract.prompt.text() == "请触摸屏幕开始办理"
    click(qtbot, win.attract)  # a touch anywhere starts
    assert win.session.screen is Screen.HOME


def test_a_failing_core_puts_the_kiosk_out_of_service(qtbot, bare_window):
    def factory(config):
        raise OSError("catalog unreadable")

    with qtbot.waitSignal(bare_window.core_failed, timeout=10000) as blocker:
        bare_window.load_core(factory)
    assert "catalog unreadable" in blocker.args[0]
    assert bare_window.attract.prompt.text() == "暂停服务，请联系工作人员。"
    assert not bare_window.attract.start_button.isEnabled()


class FakeCore:
    """A core that only counts how often it was closed."""

    def __init__(self) -> None:
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_quitting_while_the_core_builds_closes_it_and_never_shows_it(qtbot, bare_window):
    win = bare_window
    release = threading.Event()
    started = threading.Event()
    built = FakeCore()

    def factory(config):
        started.set()
        assert release.wait(10)
        return built

    win.load_core(factory)
    qtbot.waitUntil(started.is_set)
    threading.Timer(0.2, release.set).start()
    win.shutdown()  # waits for the build, as on quit during start-up
    assert built.closed == 1  # its devices and threads are stopped, not left running
    qtbot.wait(100)  # the queued "loaded" arrives at a window that has shut down
    assert win.core is None and built.closed == 1


def test_a_core_finished_after_the_loader_was_abandoned_is_closed_by_the_worker(qtbot, session_config):
    from ui.core_loader import CoreLoader

    release = threading.Event()
    built = FakeCore()
    loaded = []
    loader = CoreLoader(lambda config: release.wait(10) and built, session_config)
    loader.loaded.connect(loaded.append)
    loader.start()
    assert loader.abandon() is None  # not built yet
    release.set()
    assert loader.wait(10)
    qtbot.wait(50)
    assert built.closed == 1 and loaded == [] and loader.claim() is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "offscreen"),
        ({"DISPLAY": ":0"}, None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None),
        ({"QT_QPA_PLATFORM": "xcb"}, None),
    ],
)
def test_headless_platform(env, expected):
    assert headless_platform(env, "linux") == expected
    assert headless_platform({}, "win32") is None


def run_gui_subprocess(tmp_path, session_config, args: str, **env_changes: str | None):
    """``run_gui(load_config(), build_core, <args>)`` in a fresh interpreter (one QApplication each)."""
    env = dict(os.environ)
    env.update(
        {
            "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
            "KIOSK_DATA_DIR": str(session_config.data_dir),  # pinyin already cached there by `core`
            "KIOSK_CATALOG_SEED_PATH": session_config.catalog.seed_path,
        }
    )
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    (tmp_path / "kiosk.toml").write_text("[ui]\norientation = 'portrait'\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from kiosk.config import load_config\n"
        "from kiosk.core import build_core\n"
        "from ui.app import run_gui\n"
        f"sys.exit(run_gui(load_config(), build_core, {args}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
    )


def test_run_gui_quits_after_exit_after_ms(tmp_path, session_config, core):
    proc = run_gui_subprocess(
        tmp_path, session_config, "demo=False, windowed=True, exit_after_ms=500", QT_QPA_PLATFORM="offscreen"
    )
    assert proc.returncode == 0, proc.stderr
    assert "no display" not in proc.stderr  # the platform was chosen explicitly
    assert not (session_config.data_dir / "demo-home.png").exists() or "screenshot" not in proc.stdout


def test_demo_without_a_display_runs_offscreen_says_so_and_saves_a_screenshot(tmp_path, session_config, core):
    proc = run_gui_subprocess(
        tmp_path,
        session_config,
        "demo=True, windowed=False",
        DISPLAY=None,
        WAYLAND_DISPLAY=None,
        QT_QPA_PLATFORM=None,
    )
    assert proc.returncode == 0, proc.stderr
    assert "offscreen" in proc.stderr and "no display" in proc.stderr
    shot = session_config.data_dir / "demo-home.png"
    assert str(shot) in proc.stdout
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1080, 1920)
    colours = {image.pixel(x, y) for x in range(0, 1080, 40) for y in range(0, 1920, 40)}
    assert len(colours) > 5  # a real home screen, not a blank window
