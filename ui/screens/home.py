"""The home screen: search with the on-screen keyboard, popular items, bundles, themes, departments."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.session import ListingKind, Session
from ui.context import UiContext
from ui.screens.base import SearchScreen
from ui.texts import bundle_chip, here_chip
from ui.widgets.common import CardButton, clear_layout, make_label, make_scroll_area, set_role

POPULAR_COUNT = 6
DEPARTMENT_COUNT = 9  # the busiest ones; the rest behind "all departments"


class HomeScreen(SearchScreen):
    """Where every citizen starts: type, or browse the catalog by popularity, bundle, theme, department."""

    def __init__(self, ctx: UiContext, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(ctx, session, parent)
        self.setObjectName("home_screen")
        top = QWidget()
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.greeting = make_label(role="title")
        row.addWidget(self.greeting, 1)
        self.language_button = self._toggle("toggle_language", self.ctx.toggle_language)
        self.elderly_button = self._toggle("toggle_elderly", lambda: ctx.set_elderly(not ctx.elderly))
        row.addWidget(self.language_button)
        row.addWidget(self.elderly_button)

        body = QWidget()
        self.sections = QVBoxLayout(body)
        self.sections.setContentsMargins(0, 0, 8, 0)
        self.sections.setSpacing(16)
        self.scroll = make_scroll_area(body)
        self.scroll.setObjectName("home_content")
        self._rendered_for: tuple[object, ...] | None = None  # (view, language) shown now
        self.place(top, self.scroll)
        ctx.metrics_changed.connect(lambda _m: self._on_metrics_changed())
        self._update_icons()
        self.retranslate()

    def _toggle(self, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        set_role(button, "toggle")
        button.clicked.connect(slot)
        return button

    def _on_metrics_changed(self) -> None:
        self._update_icons()
        self._update_elderly_text()

    def _update_elderly_text(self) -> None:
        self.elderly_button.setText(self.tr("Standard mode") if self.ctx.elderly else self.tr("Senior mode"))

    def _update_icons(self) -> None:
        size = round(self.ctx.metrics.body_px * 1.2)
        self.language_button.setIcon(self.ctx.icon("globe"))
        self.elderly_button.setIcon(self.ctx.icon("textsize"))
        for button in (self.language_button, self.elderly_button):
            button.setIconSize(QSize(size, size))

    def retranslate(self) -> None:
        self.greeting.setText(self.tr("Hello! What would you like to do?"))
        self.language_button.setText(self.ctx.languages.other_language_name())
        self._update_elderly_text()
        super().retranslate()

    # ----- rendering -----
    def render(self) -> None:
        self.search.field.show_text(self.session.query)
        key = (self.view, self.ctx.language)
        if key == self._rendered_for:
            return
        self._rendered_for = key
        if self.view is None:
            clear_layout(self.sections)
            self.sections.addWidget(make_label(self.tr("Loading the service catalog…"), "hint"))
            self.sections.addStretch(1)
        else:
            self._build_sections()

    def _build_sections(self) -> None:
        view = self.view
        assert view is not None
        clear_layout(self.sections)
        self._heading(self.tr("Popular services"))
        grid = self._grid_of(2)
        for i, item in enumerate(view.popular(POPULAR_COUNT)):
            card = CardButton()
            card.setObjectName(f"popular_{item.code}")
            chip = here_chip(view.here(item), "" if view.here(item) else view.nearest_name(item))
            card.set_content(item.name, item.department.name, [chip])
            card.clicked.connect(lambda _=False, c=item.code: self.session.open_item(c))
            grid.addWidget(card, i // 2, i % 2)
        more = QPushButton(self.tr("More popular services"))
        more.setObjectName("more_popular")
        more.clicked.connect(lambda: self.session.browse(ListingKind.POPULAR))
        self.sections.addWidget(more)

        bundles = view.bundles()
        if bundles:
            self._heading(self.tr("One-thing services: several items in one application"))
            grid = self._grid_of(2)
            for i, bundle in enumerate(bundles):
                card = CardButton()
                card.setObjectName(f"bundle_{bundle.code}")
                members = self.tr("%n item(s) together", "", len(bundle.member_codes))
                card.set_content(bundle.name, f"{bundle.lead_department.name} · {members}", [bundle_chip()])
                card.clicked.connect(lambda _=False, c=bundle.code: self.session.open_bundle(c))
                grid.addWidget(card, i // 2, i % 2)

        themes = view.citizen_themes()
        if themes:
            self._heading(self.tr("By topic"))
            grid = self._grid_of(3)
            for i, theme in enumerate(themes):
                tile = self._tile(theme, len(view.theme_items(theme)))
                tile.setObjectName(f"theme_{i}")
                tile.clicked.connect(lambda _=False, t=theme: self.session.browse(ListingKind.THEME, t))
                grid.addWidget(tile, i // 3, i % 3)

        departments = sorted(view.departments(), key=lambda d: -d[1])
        self._heading(self.tr("By department"))
        grid = self._grid_of(3)
        for i, (department, count) in enumerate(departments[:DEPARTMENT_COUNT]):
            tile = self._tile(department.name, count)
            tile.setObjectName(f"department_{department.code}")
            tile.clicked.connect(
                lambda _=False, c=department.code: self.session.browse(ListingKind.DEPARTMENT, c)
            )
            grid.addWidget(tile, i // 3, i % 3)
        if len(departments) > DEPARTMENT_COUNT:
            more = QPushButton(self.tr("All %n departments", "", len(departments)))
            more.setObjectName("all_departments")
            more.clicked.connect(lambda: self.session.browse(ListingKind.DEPARTMENTS))
            self.sections.addWidget(more)
        self.sections.addStretch(1)

    def _heading(self, text: str) -> None:
        self.sections.addWidget(make_label(text, "heading"))

    def _grid_of(self, columns: int) -> QGridLayout:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        for col in range(columns):
            grid.setColumnStretch(col, 1)
        self.sections.addWidget(holder)
        return grid

    def _tile(self, name: str, count: int) -> CardButton:
        tile = CardButton(tile=True)
        tile.set_content(name, self.tr("%n item(s)", "", count))
        return tile
