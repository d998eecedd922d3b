"""CJK rendering: the application font has a glyph for every character the kiosk shows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from kiosk.paths import resource
from ui.fonts import choose_family, uncovered_characters


def catalog_texts(catalog) -> list[str]:
    texts = list(catalog.categories) + list(catalog.citizen_themes) + list(catalog.business_themes)
    for item in catalog.item_list:
        texts += [item.name, item.department.name, item.category, item.conditions, item.location, item.hours]
        texts += [m.name for m in item.materials] + [f"{f.name}{f.standard}" for f in item.fees]
    for bundle in catalog.bundles:
        texts += [bundle.name, bundle.lead_department.name, bundle.description]
    for point in catalog.service_points.values():
        texts += [point.name, point.address, point.hours]
    return texts


def test_the_bundled_font_is_the_application_font(ui_context):
    assert resource("fonts", "wqy-microhei.ttc").is_file()
    assert QApplication.font().family() == "WenQuanYi Micro Hei" == ui_context.font_family


def test_ui_font_covers_every_character_of_the_catalog(ui_context, core):
    texts = catalog_texts(core.catalog)
    assert sum(len(t) for t in texts) > 5000
    assert uncovered_characters(QApplication.font(), texts) == set()


def test_ui_font_covers_the_chinese_translations(ui_context):
    root = ET.parse(resource("i18n", "kiosk_zh_CN.ts")).getroot()
    texts = [t.text or "" for t in root.iter("translation")] + [
        n.text or "" for n in root.iter("numerusform")
    ]
    assert uncovered_characters(QApplication.font(), texts) == set()


def test_coverage_check_can_fail(ui_context):
    assert uncovered_characters(QApplication.font(), ["\U0001f9ff"]) == {"\U0001f9ff"}  # not in the font
    assert uncovered_characters(QFont("DejaVu Sans"), ["社保卡"]) == set("社保卡")


def test_missing_bundled_font_falls_back_to_a_system_font_with_a_warning(qapp, caplog):
    with caplog.at_level("WARNING", logger="kiosk.ui"):
        family = choose_family(Path("/nonexistent/wqy-microhei.ttc"))
    assert family
    assert "missing" in caplog.text


@pytest.mark.parametrize("theme", ["default", "high_contrast"])
def test_themes_render_every_token(theme, ui_context):
    from ui.metrics import UiMetrics
    from ui.theme import load_qss

    qss = load_qss(resource("themes"), theme, UiMetrics(elderly=True), "WenQuanYi Micro Hei")
    assert "@" not in qss and "min-height: 78px" in qss  # 60 px targets x 1.3 in elderly mode
