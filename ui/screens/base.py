"""What every screen has: the shared context, the catalog once loaded, and an orientation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.session import Session
from ui.catalog_view import CatalogView
from ui.context import UiContext
from ui.widgets.common import make_label, set_role
from ui.widgets.keyboard import SearchPanel

PORTRAIT = "portrait"
LANDSCAPE = "landscape"


class BaseScreen(QWidget):
    """A screen renders the session and forwards the citizen's intents to it."""

    def __init__(self, ctx: UiContext, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.view: CatalogView | None = None
        self.orientation = PORTRAIT
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        set_role(self, "screen")
        ctx.language_changed.connect(lambda _lang: self.retranslate())

    def set_view(self, view: CatalogView) -> None:
        self.view = view
        self.render()

    def set_orientation(self, orientation: str) -> None:
        if orientation != self.orientation:
            self.orientation = orientation
            self.arrange()

    def arrange(self) -> None:
        """Re-place the widgets for ``self.orientation``."""

    def render(self) -> None:
        """Show the current session state."""

    def retranslate(self) -> None:
        """Set every translated text again, then re-render."""
        self.render()


class SearchScreen(BaseScreen):
    """A screen with the search field and the on-screen keyboard around some content.

    Portrait: top, field, content, keyboard (the keyboard at hand height at the bottom).
    Landscape: top across; field and keyboard on the left, content on the right.
    """

    def __init__(self, ctx: UiContext, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(ctx, session, parent)
        self.search = SearchPanel()
        self.search.query_edited.connect(self.session.set_query)
        self.tips = make_label(role="hint")
        self.tips.setObjectName("search_tips")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(24, 16, 24, 16)
        self._grid.setSpacing(16)
        self.top: QWidget | None = None
        self.content: QWidget | None = None

    def place(self, top: QWidget, content: QWidget) -> None:
        self.top = top
        self.content = content
        self.arrange()

    def arrange(self) -> None:
        if self.top is None or self.content is None:
            return
        grid = self._grid
        widgets = (self.top, self.search, self.content, self.search.keyboard)
        for widget in (*widgets, self.tips):
            grid.removeWidget(widget)
        for i in range(5):
            grid.setRowStretch(i, 0)
            grid.setColumnStretch(i, 0)
        if self.orientation == LANDSCAPE:
            grid.addWidget(self.top, 0, 0, 1, 2)
            grid.addWidget(self.search, 1, 0)
            grid.addWidget(self.search.keyboard, 2, 0)
            grid.addWidget(self.content, 1, 1, 3, 1)
            grid.addWidget(self.tips, 3, 0)
            grid.setRowStretch(3, 1)
            grid.setColumnStretch(0, 9)
            grid.setColumnStretch(1, 11)
        else:
            grid.addWidget(self.top, 0, 0)
            grid.addWidget(self.search, 1, 0)
            grid.addWidget(self.content, 2, 0)
            grid.addWidget(self.search.keyboard, 3, 0)
            grid.setRowStretch(2, 1)
            grid.setColumnStretch(0, 1)
        for widget in widgets:
            widget.show()
        self.tips.setVisible(self.orientation == LANDSCAPE)

    def retranslate(self) -> None:
        self.search.retranslate()
        self.tips.setText(
            self.tr(
                "Tip: type a name (社保卡), full pinyin (shebaoka) or the initials (sbk), or an item code."
            )
        )
        super().retranslate()
