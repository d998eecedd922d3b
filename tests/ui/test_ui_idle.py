"""Idle timeout: warning overlay with countdown, Continue keeps the session, zero wipes it."""

from __future__ import annotations

import pytest
from uitest_helpers import click, dispose, show_window

from kiosk.session import IdlePolicy, Screen
from ui.window import KioskWindow


@pytest.fixture
def idle_window(qtbot, ui_context, core):
    win = KioskWindow(ui_context, idle_policy=IdlePolicy(timeout_s=0.3, warning_s=0.8))
    show_window(qtbot, win)
    win.set_core(core)
    yield win
    dispose(win)


def begin_search(qtbot, win, text: str = "sbk") -> None:
    click(qtbot, win.attract.start_button)
    for ch in text:
        click(qtbot, win.current_screen().search.keyboard.keys[ch])
    qtbot.waitUntil(lambda: any(c.isVisible() for c in win.results.cards))


def test_warning_appears_after_silence_and_continue_keeps_the_session(qtbot, idle_window):
    win = idle_window
    begin_search(qtbot, win)
    with qtbot.waitSignal(win.idle.warning_started, timeout=3000):
        pass
    assert win.overlay.isVisible()
    assert win.overlay.seconds.text() == "1"  # 0.8 s rounds up to one whole second
    assert "秒" in win.overlay.message.text()
    assert win.overlay.continue_button.text() == "继续办理"
    assert win.overlay.continue_button.height() >= 60
    click(qtbot, win.overlay.continue_button)
    assert not win.overlay.isVisible()
    assert win.session.screen is Screen.RESULTS and win.session.query == "sbk"
    assert win.results.search.field.text() == "sbk"
    # A new silence period starts: the warning comes back later, not at once.
    assert not win.idle.warning
    with qtbot.waitSignal(win.idle.warning_started, timeout=3000):
        pass


def test_countdown_to_zero_wipes_the_session_and_returns_to_attract(qtbot, idle_window):
    win = idle_window
    begin_search(qtbot, win)
    click(qtbot, win.results.cards[0])
    assert win.current_screen() is win.guide and win.guide.title.text()
    with qtbot.waitSignal(win.idle.expired, timeout=5000):
        pass
    assert win.current_screen() is win.attract and not win.overlay.isVisible()
    assert win.session.query == "" and win.session.subject is None and win.session.history == []
    assert win.results.search.field.text() == "" and win.home.search.field.text() == ""
    assert not any(card.isVisibleTo(win.results) for card in win.results.cards)
    assert not any(card.title.text() or card.chips.texts() for card in win.results.cards)
    assert win.guide.title.text() == "" and win.guide.sections == []
    assert not win.header.isVisible() and not win.nav.isVisible()


def test_touches_keep_the_session_alive(qtbot, ui_context, core):
    win = KioskWindow(ui_context, idle_policy=IdlePolicy(timeout_s=0.6, warning_s=0.8))
    show_window(qtbot, win)
    win.set_core(core)
    click(qtbot, win.attract.start_button)
    try:
        with qtbot.assertNotEmitted(win.idle.warning_started):
            for _ in range(8):  # 8 x 0.15 s of touches: twice the 0.6 s timeout
                qtbot.wait(150)
                click(qtbot, win.current_screen().search.keyboard.keys["1"])
        with qtbot.waitSignal(win.idle.warning_started, timeout=3000):
            pass
    finally:
        dispose(win)


def test_wipe_restores_the_configured_language_and_text_size(qtbot, idle_window):
    win = idle_window
    click(qtbot, win.attract.start_button)
    click(qtbot, win.home.language_button)
    click(qtbot, win.home.elderly_button)
    assert win.ctx.language == "en_US" and win.ctx.elderly
    with qtbot.waitSignal(win.idle.expired, timeout=5000):
        pass
    assert win.ctx.language == "zh_CN" and not win.ctx.elderly
    assert win.nav.back_button.text() == "返回"


def test_end_now_on_the_warning_wipes_at_once(qtbot, idle_window):
    win = idle_window
    begin_search(qtbot, win, "hk")
    with qtbot.waitSignal(win.idle.warning_started, timeout=3000):
        pass
    click(qtbot, win.overlay.end_button)
    assert win.session.screen is Screen.ATTRACT and win.session.query == ""


def test_the_attract_screen_never_times_out(qtbot, idle_window):
    with qtbot.assertNotEmitted(idle_window.idle.warning_started, wait=700):
        pass
    assert not idle_window.idle.armed


def test_the_next_citizen_starts_at_the_top_of_the_home_screen(qtbot, idle_window):
    win = idle_window
    click(qtbot, win.attract.start_button)
    bar = win.home.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=3000)
    bar.setValue(bar.maximum())
    with qtbot.waitSignal(win.idle.expired, timeout=5000):
        pass
    assert bar.value() == 0
