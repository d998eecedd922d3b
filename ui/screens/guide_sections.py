"""The sections of a service guide (办事指南), built from catalog data for the guide screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.domain.items import Bundle, Material, ServiceItem
from ui.catalog_view import CatalogView
from ui.texts import arg, days, distance, fee_free, handling, here_chip, material_chips, pair
from ui.widgets.common import CardButton, ChipRow, make_label, set_role

translate = QCoreApplication.translate
Opener = Callable[[str], None]


class Section(QFrame):
    """A white card with a heading; ``key`` says where it goes (main or side column)."""

    def __init__(self, name: str, heading: str, main: bool, tone: str = "") -> None:
        super().__init__()
        self.setObjectName(f"guide_{name}")
        self.main = main
        if tone:
            set_role(self, "banner", tone=tone)
        else:
            set_role(self, "section")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 20, 24, 20)
        self.body.setSpacing(12)
        self.body.addWidget(make_label(heading, "heading"))

    def text(self, text: str, role: str = "") -> None:
        self.body.addWidget(make_label(text, role))

    def add(self, widget: QWidget) -> None:
        self.body.addWidget(widget)

    def texts(self) -> list[str]:
        """Every visible text of the section (for tests and accessibility checks)."""
        from PySide6.QtWidgets import QLabel

        return [w.text() for w in self.findChildren(QLabel) if w.text()]


def _not_given() -> str:
    return translate("Guide", "Not provided. Please ask the staff.")


def availability(view: CatalogView, item: ServiceItem) -> Section:
    here = view.here(item)
    heading = translate("Guide", "Can I do it at this kiosk?")
    section = Section("availability", heading, main=False, tone="ok" if here else "warn")
    if here:
        section.text(translate("Guide", "Yes. You can apply for it right here at this kiosk."))
    else:
        section.text(translate("Guide", "Not at this kiosk. Please go to one of these service points:"))
        nearby = view.nearest(item)
        for entry in nearby:
            point = entry.point
            section.text(point.name, "strong")
            lines = [arg(translate("Guide", "Address: %1"), point.address)]
            lines.append(arg(translate("Guide", "Hours: %1"), point.hours))
            if point.phone:
                lines.append(arg(translate("Guide", "Phone: %1"), point.phone))
            far = distance(entry.distance_km)
            if far:
                lines.append(far)
            section.text("\n".join(lines), "")
        if not nearby:
            section.text(_not_given())
    return section


def conditions(item: ServiceItem) -> Section:
    section = Section("conditions", translate("Guide", "Who can apply"), main=True)
    section.text(item.conditions or _not_given())
    return section


def materials(entries: tuple[Material, ...], heading: str) -> Section:
    section = Section("materials", heading, main=True)
    if not entries:
        section.text(translate("Guide", "No materials are needed."))
    for n, material in enumerate(entries, start=1):
        section.text(f"{n}. {material.name}", "strong")
        chips = ChipRow()
        chips.set_chips(material_chips(material))
        section.add(chips)
        details = [material.notes] if material.notes else []
        if material.commitment_allowed and material.commitment_text:
            details.append(material.commitment_text)
        if details:
            section.text("\n".join(details), "small")
    return section


def time_limits(item: ServiceItem) -> Section:
    section = Section("time", translate("Guide", "How long it takes"), main=False)
    section.text(handling(item.handling), "strong")
    section.text(arg(translate("Guide", "Legal time limit: %1"), days(item.legal_days)))
    section.text(arg(translate("Guide", "Promised time limit: %1"), days(item.promised_days)))
    return section


def fees(item: ServiceItem) -> Section:
    section = Section("fees", translate("Guide", "Fees"), main=False)
    if item.is_free:
        section.text(fee_free(), "strong")
    for fee in item.fees:
        section.text(pair(fee.name, fee.standard), "strong")
        if fee.basis:
            section.text(arg(translate("Guide", "Basis: %1"), fee.basis), "small")
        if fee.waivable:
            section.text(translate("Guide", "A reduction or waiver can be requested."), "small")
    return section


def location(item: ServiceItem) -> Section:
    section = Section("location", translate("Guide", "Where and when"), main=False)
    section.text(arg(translate("Guide", "Address: %1"), item.location or _not_given()))
    section.text(arg(translate("Guide", "Hours: %1"), item.hours or _not_given()))
    section.text(arg(translate("Guide", "Phone: %1"), item.phone or _not_given()))
    return section


def related_bundles(bundles: list[Bundle], open_bundle: Opener) -> Section:
    section = Section("bundles", translate("Guide", "Also part of these one-thing services"), main=False)
    for bundle in bundles:
        card = CardButton()
        card.setObjectName(f"guide_bundle_{bundle.code}")
        card.set_content(bundle.name, bundle.lead_department.name)
        card.clicked.connect(lambda _=False, c=bundle.code: open_bundle(c))
        section.add(card)
    return section


def bundle_about(bundle: Bundle) -> Section:
    section = Section("about", translate("Guide", "About this one-thing service"), main=False)
    section.text(bundle.description or _not_given())
    section.text(arg(translate("Guide", "Lead department: %1"), bundle.lead_department.name))
    return section


def bundle_members(view: CatalogView, members: list[ServiceItem], open_item: Opener) -> Section:
    heading = translate("Guide", "%n item(s) handled together", "", len(members))
    section = Section("members", heading, main=True)
    for item in members:
        here = view.here(item)
        card = CardButton()
        card.setObjectName(f"member_{item.code}")
        card.set_content(
            item.name, item.department.name, [here_chip(here, "" if here else view.nearest_name(item))]
        )
        card.clicked.connect(lambda _=False, c=item.code: open_item(c))
        section.add(card)
    return section


def bundle_availability(view: CatalogView, members: list[ServiceItem]) -> Section:
    elsewhere = [m for m in members if not view.here(m)]
    tone = "warn" if elsewhere else "ok"
    section = Section("availability", translate("Guide", "Can I do it at this kiosk?"), main=False, tone=tone)
    if not elsewhere:
        section.text(translate("Guide", "Yes. You can apply for all of it right here at this kiosk."))
    else:
        section.text(translate("Guide", "Some items must be done at a service point:"))
        for item in elsewhere:
            name = view.nearest_name(item)
            section.text(f"{item.name} → {name}" if name else item.name)
    return section


def bundle_time(members: list[ServiceItem]) -> Section:
    section = Section("time", translate("Guide", "How long it takes"), main=False)
    longest = max((m.promised_days for m in members), default=0)
    section.text(arg(translate("Guide", "Promised time limit: %1"), days(longest)))
    fees_total = [pair(m.name, f"{f.name} {f.standard}") for m in members for f in m.fees]
    section.text(
        pair(translate("Guide", "Fees"), fee_free()) if not fees_total else translate("Guide", "Fees")
    )
    for line in fees_total:
        section.text(line, "small")
    return section
