"""Translated wording for domain values (time limits, visits, material flags, availability).

Context "Guide" for lupdate; the domain enums carry Chinese data values, the citizen sees these.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.domain.items import HandlingKind, Material, MaterialFormat
from ui.widgets.common import Chip

translate = QCoreApplication.translate


def arg(text: str, *values: object) -> str:
    """Qt-style ``%1``, ``%2`` substitution (QString.arg is not available in Python)."""
    for i, value in reversed(list(enumerate(values, start=1))):
        text = text.replace(f"%{i}", str(value))
    return text


def pair(label: str, value: str) -> str:
    """``label: value`` with the language's colon (full-width in Chinese)."""
    return arg(translate("Guide", "%1: %2"), label, value)


def handling(kind: HandlingKind) -> str:
    if kind is HandlingKind.IMMEDIATE:
        return translate("Guide", "Immediate: decided on the spot")
    return translate("Guide", "Promised: decided within the promised time")


def handling_short(kind: HandlingKind) -> str:
    if kind is HandlingKind.IMMEDIATE:
        return translate("Guide", "Decided on the spot")
    return translate("Guide", "Decided within a promised time")


def days(n: int) -> str:
    if n <= 0:
        return translate("Guide", "on the spot")
    return translate("Guide", "%n working day(s)", "", n)


def visits_chip(visits: int) -> Chip:
    if visits <= 0:
        return translate("Guide", "No visit needed"), "ok"
    if visits == 1:
        return translate("Guide", "At most one visit"), "ok"
    return translate("Guide", "%n visits needed", "", visits), "neutral"


def here_chip(here: bool, nearest_name: str = "") -> Chip:
    if here:
        return translate("Guide", "Available at this kiosk"), "ok"
    if nearest_name:
        return arg(translate("Guide", "Please go to %1"), nearest_name), "warn"
    return translate("Guide", "Please go to a service counter"), "warn"


def fee_free() -> str:
    return translate("Guide", "Free of charge")


def material_format(fmt: MaterialFormat) -> str:
    if fmt is MaterialFormat.ELECTRONIC:
        return translate("Guide", "Electronic")
    if fmt is MaterialFormat.BOTH:
        return translate("Guide", "Paper or electronic")
    return translate("Guide", "Paper")


def material_chips(material: Material) -> list[Chip]:
    """The flags of one material, each in words (colour is never the only cue)."""
    chips: list[Chip] = []
    if material.shared:
        chips.append((translate("Guide", "No need to bring (shared data)"), "ok"))
    elif material.required:
        chips.append((translate("Guide", "Required"), "warn"))
    else:
        chips.append((translate("Guide", "Optional"), "neutral"))
    if not material.shared:
        if material.original_count:
            chips.append((translate("Guide", "Original × %n", "", material.original_count), "info"))
        if material.copy_count:
            chips.append((translate("Guide", "Copies × %n", "", material.copy_count), "info"))
        chips.append((material_format(material.format), "neutral"))
    if material.commitment_allowed:
        chips.append((translate("Guide", "Written commitment accepted"), "info"))
    return chips


def bundle_chip() -> Chip:
    return translate("Guide", "One-thing bundle"), "bundle"


def distance(km: float | None) -> str:
    if km is None:
        return ""
    if km < 1:
        return arg(translate("Guide", "%1 m away"), round(km * 1000))
    return arg(translate("Guide", "%1 km away"), f"{km:.1f}")
