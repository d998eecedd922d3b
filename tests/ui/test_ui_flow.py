"""Click real widgets: start, type pinyin initials, read guides, navigate back and home."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton
from uitest_helpers import click, scroll_to, visible_texts

from kiosk.session import Screen
from ui.widgets.common import CardButton


def start(qtbot, window) -> None:
    assert window.current_screen() is window.attract
    assert not window.nav.isVisible()  # no Back/Home on the attract screen
    click(qtbot, window.attract.start_button)
    assert window.current_screen() is window.home
    assert window.nav.back_button.isVisible() and window.nav.home_button.isVisible()


def type_keys(qtbot, window, text: str) -> None:
    for ch in text:
        screen = window.current_screen()
        click(qtbot, screen.search.keyboard.keys[ch])


def result_names(window) -> list[str]:
    return [card.title.text() for card in window.results.cards if card.isVisible()]


def test_pinyin_initials_typed_on_the_keyboard_find_the_social_security_card(qtbot, window, core):
    start(qtbot, window)
    type_keys(qtbot, window, "sbk")
    assert window.current_screen() is window.results
    assert window.results.search.field.text() == "sbk"
    expected = [hit.name for hit in core.search("sbk")]
    assert expected, "the search found nothing for sbk"
    qtbot.waitUntil(lambda: result_names(window) == expected)
    assert any("社会保障卡" in name or "社保卡" in name for name in result_names(window))
    assert window.nav.back_button.isVisible() and window.nav.home_button.isVisible()
    # Every hit shows its department and whether this kiosk can do it.
    card = window.results.cards[0]
    assert card.subtitle.text() == core.search("sbk")[0].department
    assert card.chips.texts()[-1] in ("本机可办",) or card.chips.texts()[-1].startswith("请到")


def test_delete_and_clear_keys_edit_the_query_live(qtbot, window):
    start(qtbot, window)
    type_keys(qtbot, window, "sbkx")
    click(qtbot, window.results.search.keyboard.backspace_key)
    assert window.session.query == "sbk"
    qtbot.waitUntil(lambda: bool(result_names(window)))
    click(qtbot, window.results.search.keyboard.clear_key)
    assert window.session.query == "" and window.results.search.field.text() == ""
    qtbot.waitUntil(lambda: result_names(window) == [])
    assert "sbk" in window.results.hint.text()  # the empty-query hint shows an example


def open_first_result(qtbot, window, query: str) -> None:
    type_keys(qtbot, window, query)
    qtbot.waitUntil(lambda: bool(result_names(window)))
    click(qtbot, window.results.cards[0])
    assert window.current_screen() is window.guide


def test_guide_shows_materials_fees_time_limits_and_place(qtbot, window, core):
    start(qtbot, window)
    open_first_result(qtbot, window, "sbk")
    item = core.catalog.item(window.session.subject.code)
    guide = window.guide
    assert guide.title.text() == item.name
    materials = " ".join(guide.section("materials").texts())
    for material in item.materials:
        assert material.name in materials
    assert "必须" in materials or "非必须" in materials or "免提交" in materials
    fees = " ".join(guide.section("fees").texts())
    assert ("免费" in fees) if item.is_free else all(f.standard in fees for f in item.fees)
    time = " ".join(guide.section("time").texts())
    assert "法定办结时限" in time and "承诺办结时限" in time
    assert ("即办件" in time) == (item.handling.value == "即办件")
    place = " ".join(guide.section("location").texts())
    assert "地址" in place and "咨询电话" in place
    assert item.conditions in " ".join(guide.section("conditions").texts())
    chips = guide.chips.texts()
    if item.visits == 0:
        assert "零跑腿" in chips
    elif item.visits == 1:
        assert "最多跑一次" in chips
    click(qtbot, window.nav.back_button)
    assert window.current_screen() is window.results and window.session.query == "sbk"
    click(qtbot, window.nav.home_button)
    assert window.current_screen() is window.home and window.home.search.field.text() == ""


def test_item_not_available_here_lists_the_nearest_service_points(qtbot, window, core):
    point = window.ctx.config.service_point.code
    item = next(i for i in core.catalog.item_list if not core.catalog.can_handle_here(i, point))
    start(qtbot, window)
    window.session.open_item(item.code)
    availability = window.guide.section("availability")
    texts = " ".join(availability.texts())
    assert "本机暂不能办理" in texts
    nearest = core.catalog.nearest_points(item, 30.2741, 120.1551, 3, exclude=point)
    assert nearest
    for entry in nearest:
        assert entry.point.name in texts and entry.point.address in texts
    assert window.guide.chips.texts()[0].startswith("请到")


def test_bundle_guide_shows_members_and_merged_materials(qtbot, window, core):
    bundle = core.catalog.bundles[0]
    members = core.catalog.bundle_members(bundle)
    start(qtbot, window)
    card = window.home.findChild(CardButton, f"bundle_{bundle.code}")
    assert card is not None
    scroll_to(card)
    click(qtbot, card)
    guide = window.guide
    assert window.current_screen() is guide and guide.title.text() == bundle.name
    member_texts = " ".join(guide.section("members").texts())
    for item in members:
        assert item.name in member_texts
    merged = bundle.merged_materials(members)
    numbered = [t.split(". ", 1)[1] for t in guide.section("materials").texts() if t[:1].isdigit()]
    assert numbered == [m.name for m in merged]  # each material once
    assert "一件事" in guide.chips.texts()
    member_card = guide.findChild(CardButton, f"member_{members[0].code}")
    scroll_to(member_card)
    click(qtbot, member_card)
    assert guide.title.text() == members[0].name
    click(qtbot, window.nav.back_button)
    assert guide.title.text() == bundle.name


@pytest.mark.parametrize("section", ["theme", "department"])
def test_browsing_a_theme_or_department_lists_its_items(qtbot, window, core, section):
    start(qtbot, window)
    if section == "theme":
        tile = window.home.findChild(CardButton, "theme_0")
        expected = core.catalog.by_theme(core.catalog.citizen_themes[0])
    else:
        department, expected = max(core.catalog.by_department().items(), key=lambda kv: len(kv[1]))
        tile = window.home.findChild(CardButton, f"department_{department.code}")
    scroll_to(tile)
    click(qtbot, tile)
    assert window.session.screen is Screen.RESULTS
    qtbot.waitUntil(lambda: len(result_names(window)) == len(expected))
    assert result_names(window) == [i.name for i in expected]


def test_all_departments_list_leads_to_a_department(qtbot, window, core):
    groups = core.catalog.by_department()
    start(qtbot, window)
    more = window.home.findChild(QPushButton, "all_departments")
    scroll_to(more)
    click(qtbot, more)
    qtbot.waitUntil(lambda: len(result_names(window)) == len(groups))
    assert result_names(window) == [d.name for d in groups]
    last = window.results.cards[len(groups) - 1]
    scroll_to(last)
    click(qtbot, last)
    department = list(groups)[-1]
    qtbot.waitUntil(lambda: result_names(window) == [i.name for i in groups[department]])
    assert department.name in window.results.title.text()


def test_end_button_wipes_the_session(qtbot, window):
    start(qtbot, window)
    type_keys(qtbot, window, "hk")
    click(qtbot, window.nav.end_button)
    assert window.current_screen() is window.attract
    assert window.session.query == "" and window.results.search.field.text() == ""
    assert visible_texts(window.attract)
