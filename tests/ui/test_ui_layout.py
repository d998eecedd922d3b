"""Portrait and landscape layouts, touch-target sizes, elderly mode, the language toggle."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QScrollArea
from uitest_helpers import LANDSCAPE, PORTRAIT, click, global_rect, visible_buttons

from kiosk.session import Screen


def key_widgets(win) -> dict[str, list]:
    """The widgets each screen must show whole and apart."""
    nav = [win.header, win.nav.back_button, win.nav.home_button, win.nav.end_button]
    home, results, guide = win.home, win.results, win.guide
    return {
        "home": [
            *nav,
            home.greeting,
            home.language_button,
            home.elderly_button,
            home.search.field,
            home.scroll,
            home.search.keyboard,
        ],
        "results": [*nav, results.title, results.search.field, results.scroll, results.search.keyboard],
        "guide": [*nav, guide.title, guide.chips, guide.scroll],
    }


def go_to(qtbot, win, core, screen: str) -> None:
    if win.session.active:
        click(qtbot, win.nav.home_button)
    else:
        click(qtbot, win.attract.start_button)
    if screen in ("results", "guide"):
        for ch in "sbk":
            click(qtbot, win.current_screen().search.keyboard.keys[ch])
        qtbot.waitUntil(lambda: win.results.cards and win.results.cards[0].isVisible())
    if screen == "guide":
        click(qtbot, win.results.cards[0])
    qtbot.wait(10)  # let layouts settle


def scroll_area_of(widget):
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def check_buttons(win, minimum: float) -> None:
    window_rect = win.rect()
    for button in visible_buttons(win):
        name = button.objectName() or button.text() or repr(button)
        assert button.width() >= minimum and button.height() >= minimum, (
            f"{name}: {button.width()}x{button.height()} < {minimum}"
        )
        rect = global_rect(button)
        area = scroll_area_of(button)
        if area is None:
            assert window_rect.contains(rect), f"{name} sticks out of the window: {rect}"
        else:  # inside a scroll area: never wider than the visible column
            viewport = global_rect(area.viewport())
            assert viewport.left() <= rect.left() and rect.right() <= viewport.right(), f"{name} is clipped"


SMALL_PANEL = (1366, 768)  # a common small kiosk panel: everything is scaled by 768/1080


@pytest.mark.parametrize(
    ("size", "elderly"), [*itertools.product([PORTRAIT, LANDSCAPE], [False, True]), (SMALL_PANEL, True)]
)
def test_layouts_keep_key_widgets_whole_apart_and_touchable(qtbot, window, core, size, elderly):
    scale = 768 / 1080 if size == SMALL_PANEL else 1.0
    window.ctx.set_display_scale(scale)
    window.ctx.set_elderly(elderly)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.home.orientation == ("portrait" if size == PORTRAIT else "landscape"))
    minimum = (60 if elderly else 44) * scale - 1
    for screen, widgets in key_widgets(window).items():
        go_to(qtbot, window, core, screen)
        assert window.current_screen().objectName() == f"{screen}_screen"
        rects = {}
        for widget in widgets:
            name = widget.objectName() or type(widget).__name__
            assert widget.isVisible(), f"{screen}: {name} hidden at {size}"
            rect = global_rect(widget)
            assert window.rect().contains(rect), f"{screen}: {name} {rect} outside {size}"
            rects[name + str(id(widget))] = (name, rect)
        for (a, ra), (b, rb) in itertools.combinations(rects.values(), 2):
            assert not ra.intersects(rb), f"{screen} at {size}: {a} {ra} overlaps {b} {rb}"
        check_buttons(window, minimum)


def test_metrics_scale_sizes_and_minimums():
    from ui.metrics import UiMetrics

    normal, elderly = UiMetrics(), UiMetrics(elderly=True)
    assert normal.target_px >= 44 and elderly.target_px >= 60 and elderly.body_px >= 24
    assert UiMetrics(font_scale=0.8).target_px >= 44  # the smallest configurable scale keeps 44 px
    small = UiMetrics(elderly=True, display_scale=0.5)
    assert small.target_px == round(elderly.target_px * 0.5)
    assert UiMetrics(font_scale=2.0).body_px == 48


def test_attract_screen_fits_both_orientations(qtbot, window):
    for size in (PORTRAIT, LANDSCAPE):
        window.resize(*size)
        qtbot.wait(10)
        for widget in (window.attract.title, window.attract.prompt, window.attract.start_button):
            assert widget.isVisible() and window.rect().contains(global_rect(widget))
        check_buttons(window, 44)


def test_elderly_toggle_enlarges_targets_and_text(qtbot, window):
    click(qtbot, window.attract.start_button)
    normal_key = window.home.search.keyboard.keys["a"].height()
    click(qtbot, window.home.elderly_button)
    assert window.ctx.elderly and window.home.elderly_button.text() == "标准模式"
    qtbot.wait(10)
    assert window.home.search.keyboard.keys["a"].height() > normal_key
    check_buttons(window, 60)
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text():
            size = QFontInfo(label.font()).pixelSize()
            assert size >= 24, f"{label.text()!r} is {size} px (< 18 pt) in elderly mode"
    click(qtbot, window.home.elderly_button)
    assert not window.ctx.elderly and window.home.elderly_button.text() == "长辈模式"


def test_language_toggle_switches_every_text(qtbot, window):
    click(qtbot, window.attract.start_button)
    home = window.home
    assert home.language_button.text() == "English"
    assert window.nav.back_button.text() == "返回"
    click(qtbot, home.language_button)
    assert window.ctx.language == "en_US"
    assert (window.nav.back_button.text(), window.nav.home_button.text()) == ("Back", "Home")
    assert home.search.keyboard.keys["backspace"].text() == "Delete"
    assert home.greeting.text() == "Hello! What would you like to do?"
    assert home.language_button.text() == "中文"
    for ch in "sbk":
        click(qtbot, window.current_screen().search.keyboard.keys[ch])
    qtbot.waitUntil(lambda: window.results.title.text().endswith("for “sbk”"))
    click(qtbot, window.results.cards[0])
    assert "What you need to bring" in " ".join(window.guide.section("materials").texts())
    click(qtbot, window.nav.home_button)
    click(qtbot, home.language_button)
    assert window.nav.back_button.text() == "返回" and home.greeting.text().startswith("您好")
    assert window.session.screen is Screen.HOME
