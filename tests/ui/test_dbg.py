from uitest_helpers import click, scroll_to, global_rect
from ui.widgets.common import CardButton
def test_dbg(qtbot, window, core):
    click(qtbot, window.attract.start_button)
    tile = window.home.findChild(CardButton, "theme_0")
    print("before", global_rect(tile), window.home.scroll.verticalScrollBar().value(), window.home.scroll.viewport().size())
    scroll_to(tile)
    print("after", global_rect(tile), window.home.scroll.verticalScrollBar().value())
    qtbot.wait(50)
    print("after wait", global_rect(tile), window.home.scroll.verticalScrollBar().value())
    click(qtbot, tile)
    print("SCREEN", window.session.screen.value); qtbot.wait(100); print("SCREEN2", window.session.screen.value)
