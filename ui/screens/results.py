"""The results screen: ranked search hits (live as the citizen types) or one browsing group."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.session import Listing, ListingKind, Screen, Session
from ui.context import UiContext
from ui.screens.base import SearchScreen
from ui.texts import arg, bundle_chip, here_chip
from ui.widgets.common import CardButton, make_label, make_scroll_area

SEARCH_DEBOUNCE_MS = 60
BROWSE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Row:
    kind: str  # "item" | "bundle" | "department"
    code: str
    name: str
    department: str  # the department, or for a department row its item count


class ResultsScreen(SearchScreen):
    """Each row names the item, its department, and whether this kiosk can do it."""

    def __init__(self, ctx: UiContext, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(ctx, session, parent)
        self.setObjectName("results_screen")
        self.title = make_label(role="title")
        self.title.setObjectName("results_title")
        body = QWidget()
        self.list_layout = QVBoxLayout(body)
        self.list_layout.setContentsMargins(0, 0, 8, 0)
        self.list_layout.setSpacing(12)
        self.hint = make_label(role="hint")
        self.hint.setObjectName("results_hint")
        self.list_layout.addWidget(self.hint)
        self.list_layout.addStretch(1)
        self.scroll = make_scroll_area(body)
        self.scroll.setObjectName("results_list")
        self.cards: list[CardButton] = []
        self.rows: list[Row] = []
        self._shown: tuple[object, ...] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._refresh)
        self.place(self.title, self.scroll)
        self.retranslate()

    # ----- rendering -----
    def render(self) -> None:
        self.search.field.show_text(self.session.query)
        if self.session.screen is Screen.RESULTS and self.isVisible():
            self.search.field.setFocus()
        key = (self.view, self.session.listing, self.session.query.strip(), self.ctx.language)
        if key == self._shown:
            return
        if self.session.listing is None or self.view is None:
            self._show_rows([])
            self._shown = None
            return
        if self.session.listing.kind is ListingKind.SEARCH and self._shown is not None:
            self._debounce.start()  # typing: wait for the next key a moment
        else:
            self._refresh()

    def _refresh(self) -> None:
        listing = self.session.listing
        if listing is None or self.view is None:
            return
        self._shown = (self.view, listing, self.session.query.strip(), self.ctx.language)
        self._show_rows(self._rows_for(listing))

    def _rows_for(self, listing: Listing) -> list[Row]:
        view = self.view
        assert view is not None
        if listing.kind is ListingKind.SEARCH:
            return [Row(h.kind, h.code, h.name, h.department) for h in view.search(self.session.query)]
        if listing.kind is ListingKind.BUNDLES:
            return [Row("bundle", b.code, b.name, b.lead_department.name) for b in view.bundles()]
        if listing.kind is ListingKind.DEPARTMENTS:
            return [
                Row("department", d.code, d.name, self.tr("%n item(s)", "", count))
                for d, count in view.departments()
            ]
        if listing.kind is ListingKind.THEME:
            items = view.theme_items(listing.key)
        elif listing.kind is ListingKind.DEPARTMENT:
            items = view.department_items(listing.key)
        elif listing.kind is ListingKind.POPULAR:
            items = view.popular(BROWSE_LIMIT)
        else:
            items = view.category_items(listing.key)
        return [Row("item", i.code, i.name, i.department.name) for i in items[:BROWSE_LIMIT]]

    def _show_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        view = self.view
        while len(self.cards) < len(rows):
            index = len(self.cards)
            card = CardButton()
            card.setObjectName(f"result_{index}")
            card.clicked.connect(lambda _=False, n=index: self._open(n))
            self.list_layout.insertWidget(self.list_layout.count() - 1, card)
            self.cards.append(card)
        for card, row in zip(self.cards, rows, strict=False):
            chips = []
            if view is not None and row.kind != "department":
                here = view.here_code(row.code)
                nearest = ""
                if not here and row.kind == "item":
                    item = view.item(row.code)
                    nearest = view.nearest_name(item) if item is not None else ""
                chips.append(here_chip(here, nearest))
            if row.kind == "bundle":
                chips.insert(0, bundle_chip())
            card.set_content(row.name, row.department, chips)
            card.show()
        for card in self.cards[len(rows) :]:
            card.hide()
            if card.title.text():  # a hidden card keeps nothing of an earlier search (wipe)
                card.set_content("")
        self._update_texts()
        self.scroll.verticalScrollBar().setValue(0)

    def _open(self, index: int) -> None:
        if index < len(self.rows):
            row = self.rows[index]
            if row.kind == "department":
                self.session.browse(ListingKind.DEPARTMENT, row.code)
            else:
                self.session.open(row.kind, row.code)

    def _update_texts(self) -> None:
        listing = self.session.listing
        count = len(self.rows)
        query = self.session.query.strip()
        if listing is None or listing.kind is ListingKind.SEARCH:
            if query:
                self.title.setText(arg(self.tr("%n result(s) for “%1”", "", count), query))
            else:
                self.title.setText(self.tr("Search"))
        elif listing.kind is ListingKind.THEME:
            self.title.setText(arg(self.tr("Topic: %1"), listing.key))
        elif listing.kind is ListingKind.DEPARTMENT:
            name = self.view.department_name(listing.key) if self.view is not None else listing.key
            self.title.setText(arg(self.tr("Department: %1"), name))
        elif listing.kind is ListingKind.POPULAR:
            self.title.setText(self.tr("Popular services"))
        elif listing.kind is ListingKind.BUNDLES:
            self.title.setText(self.tr("One-thing services"))
        elif listing.kind is ListingKind.DEPARTMENTS:
            self.title.setText(self.tr("All departments"))
        else:
            self.title.setText(listing.key)
        if self.view is None:
            self.hint.setText(self.tr("Loading the service catalog…"))
        elif listing is not None and listing.kind is ListingKind.SEARCH and not query:
            self.hint.setText(
                self.tr("Type the name of a service, or its pinyin initials (for example sbk).")
            )
        elif count == 0:
            self.hint.setText(
                self.tr("Nothing found. Try other words, or the pinyin initials (for example sbk).")
            )
        elif listing is not None and listing.kind is ListingKind.DEPARTMENTS:
            self.hint.setText(self.tr("Touch a department to see its services."))
        else:
            self.hint.setText(self.tr("Touch a service to see what you need."))

    def retranslate(self) -> None:
        self._shown = None
        super().retranslate()
