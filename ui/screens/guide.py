"""The service-guide screen: everything a citizen must know before going on, for an item or a bundle."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.items import ServiceItem
from kiosk.session import Session, Subject, SubjectKind
from ui.context import UiContext
from ui.screens import guide_sections as sections
from ui.screens.base import LANDSCAPE, BaseScreen
from ui.texts import bundle_chip, fee_free, handling_short, here_chip, visits_chip
from ui.widgets.common import ChipRow, clear_layout, make_label, make_scroll_area


class GuideScreen(BaseScreen):
    """Portrait: one column, most important first. Landscape: materials and conditions on the
    left, availability, time, fees and place on the right."""

    def __init__(self, ctx: UiContext, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(ctx, session, parent)
        self.setObjectName("guide_screen")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(12)
        self.title = make_label(role="title")
        self.title.setObjectName("guide_title")
        self.subtitle = make_label(role="muted")
        self.chips = ChipRow()
        self.chips.setObjectName("guide_chips")
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        outer.addWidget(self.chips)
        body = QWidget()
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom, body)
        self.columns.setContentsMargins(0, 0, 8, 0)
        self.columns.setSpacing(16)
        self.main_column = QVBoxLayout()
        self.side_column = QVBoxLayout()
        for column in (self.main_column, self.side_column):
            column.setSpacing(16)
            self.columns.addLayout(column, 1)
        self.scroll = make_scroll_area(body)
        self.scroll.setObjectName("guide_content")
        outer.addWidget(self.scroll, 1)
        self.sections: list[sections.Section] = []
        self._shown: tuple[object, ...] | None = None

    def section(self, name: str) -> sections.Section | None:
        return next((s for s in self.sections if s.objectName() == f"guide_{name}"), None)

    # ----- rendering -----
    def render(self) -> None:
        subject = self.session.subject
        key = (self.view, subject, self.ctx.language)
        if key == self._shown:
            return
        self._shown = key
        self._clear()
        if subject is None or self.view is None:
            return
        if subject.kind is SubjectKind.ITEM:
            self._render_item(subject)
        else:
            self._render_bundle(subject)
        self.arrange()
        self.scroll.verticalScrollBar().setValue(0)

    def _clear(self) -> None:
        self.title.clear()
        self.subtitle.clear()
        self.chips.set_chips([])
        for column in (self.main_column, self.side_column):
            clear_layout(column)
        for section in self.sections:
            section.hide()
            section.deleteLater()
        self.sections = []

    def _render_item(self, subject: Subject) -> None:
        view = self.view
        assert view is not None
        item = view.item(subject.code)
        if item is None:
            self.title.setText(self.tr("This service is no longer in the catalog."))
            return
        here = view.here(item)
        self.title.setText(item.name)
        self.subtitle.setText(item.department.name)
        self.chips.set_chips(self._item_chips(item, here, view.nearest_name(item) if not here else ""))
        self.sections = [
            sections.availability(view, item),
            sections.materials(
                item.materials, self.tr("What you need to bring (%n)", "", len(item.materials))
            ),
            sections.conditions(item),
            sections.time_limits(item),
            sections.fees(item),
            sections.location(item),
        ]
        bundles = view.bundles_containing(item.code)
        if bundles:
            self.sections.append(sections.related_bundles(bundles, self.session.open_bundle))

    def _item_chips(self, item: ServiceItem, here: bool, nearest: str) -> list[tuple[str, str]]:
        chips = [here_chip(here, nearest), visits_chip(item.visits)]
        chips.append((handling_short(item.handling), "info"))
        chips.append((fee_free(), "ok") if item.is_free else (self.tr("Fee charged"), "warn"))
        return chips

    def _render_bundle(self, subject: Subject) -> None:
        view = self.view
        assert view is not None
        bundle = view.bundle(subject.code)
        if bundle is None:
            self.title.setText(self.tr("This service is no longer in the catalog."))
            return
        members = view.bundle_members(bundle)
        all_here = all(view.here(m) for m in members)
        self.title.setText(bundle.name)
        self.subtitle.setText(bundle.lead_department.name)
        self.chips.set_chips([bundle_chip(), here_chip(all_here)])
        merged = bundle.merged_materials(members)
        heading = self.tr("What you need to bring, once for all items (%n)", "", len(merged))
        self.sections = [
            sections.bundle_availability(view, members),
            sections.bundle_members(view, members, self.session.open_item),
            sections.materials(merged, heading),
            sections.bundle_about(bundle),
            sections.bundle_time(members),
        ]

    def arrange(self) -> None:
        landscape = self.orientation == LANDSCAPE
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        for column in (self.main_column, self.side_column):
            while column.count():
                column.takeAt(0)
        if landscape:
            for section in self.sections:
                (self.main_column if section.main else self.side_column).addWidget(section)
            self.columns.setStretch(0, 3)
            self.columns.setStretch(1, 2)
        else:
            # Portrait reading order: can I do it here, what to bring, who can apply, then the rest.
            for section in self.sections:
                self.main_column.addWidget(section)
            self.columns.setStretch(0, 1)
            self.columns.setStretch(1, 0)
        for column in (self.main_column, self.side_column):
            column.addStretch(1)
        for section in self.sections:
            section.show()

    def retranslate(self) -> None:
        self._shown = None
        super().retranslate()
