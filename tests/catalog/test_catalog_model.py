"""The Catalog's lookups: categories, departments, themes, popularity, bundles and 就近办."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kiosk.catalog.loader import CatalogLoader
from kiosk.catalog.model import Catalog, haversine_km
from kiosk.domain.items import Level

HOME = "SP-330106-001"  # 西湖区市民之家, the default kiosk location


def by_name(catalog: Catalog, name: str) -> Any:
    return next(item for item in catalog if item.name == name)


def test_item_lookup_and_immutability(seed: Catalog) -> None:
    first = seed.item_list[0]
    assert seed.item(first.code) is first and first.code in seed
    with pytest.raises(KeyError, match="no service item with code 'nope'"):
        seed.item("nope")
    with pytest.raises(AttributeError, match="immutable"):
        seed.version = 99  # type: ignore[misc]
    with pytest.raises(TypeError):
        seed.items["x"] = first  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.name = "x"  # type: ignore[misc]


def test_browsing_by_category_department_and_theme(seed: Catalog) -> None:
    assert sum(len(seed.by_category(c)) for c in seed.categories) == len(seed)
    assert all(i.category == "户籍" for i in seed.by_category("户籍"))
    assert seed.by_category("不存在") == []
    groups = seed.by_department()
    assert list(groups) == seed.departments()
    assert sum(len(v) for v in groups.values()) == len(seed)
    assert len(seed.departments()) >= 25
    names = {d.name for d in seed.departments()}
    assert {"杭州市人力资源和社会保障局", "杭州市公安局出入境管理局", "杭州住房公积金管理中心"} <= names
    marriage = seed.by_theme("婚姻登记")
    assert marriage and all("婚姻登记" in i.citizen_themes for i in marriage)
    business = seed.by_theme("准营准办")
    assert business and all("准营准办" in i.business_themes for i in business)
    for theme in seed.citizen_themes:
        assert seed.by_theme(theme), f"theme {theme} has no items"


def test_popular_puts_kiosk_items_first(seed: Catalog) -> None:
    top = seed.popular(20)
    assert len(top) == 20 and all(i.kiosk_supported for i in top)
    pops = [i.popularity for i in top]
    assert pops == sorted(pops, reverse=True)
    everything = seed.popular(len(seed) + 5)
    assert len(everything) == len(seed)
    first_unsupported = next(n for n, i in enumerate(everything) if not i.kiosk_supported)
    assert all(not i.kiosk_supported for i in everything[first_unsupported:])
    assert seed.popular(0) == []


def test_bundle_lookups(seed: Catalog) -> None:
    birth = next(b for b in seed.bundles if b.name == "出生一件事")
    assert seed.bundle(birth.code) is birth
    members = seed.bundle_members(birth.code)
    assert [m.code for m in members] == list(birth.member_codes)
    registration = by_name(seed, "出生登记（户口）")
    assert birth in seed.bundles_containing(registration)
    assert birth in seed.bundles_containing(registration.code)
    assert seed.bundles_containing(by_name(seed, "电费缴纳")) == []
    with pytest.raises(KeyError):
        seed.bundle("YJS-000000-999")


def test_can_handle_here(seed: Catalog) -> None:
    card = by_name(seed, "社会保障卡申领")  # kiosk-supported, handled at every district centre
    assert seed.can_handle_here(card, HOME) and seed.can_handle_here(card.code, HOME)
    passport = by_name(seed, "普通护照签发")  # handled at this centre's windows, not on the kiosk
    assert seed.handled_at(passport, HOME) and not seed.can_handle_here(passport, HOME)
    allowance = by_name(seed, "高龄津贴申领")  # kiosk-supported but only at 西溪街道
    assert allowance.kiosk_supported and not seed.can_handle_here(allowance, HOME)
    assert seed.can_handle_here(allowance, "SP-330106003-001")
    unrestricted = dataclasses.replace(card, service_points=())  # empty list = no restriction
    assert seed.can_handle_here(unrestricted, "SP-330106010004-001")
    assert not seed.can_handle_here(dataclasses.replace(unrestricted, kiosk_supported=False), HOME)


def test_nearest_points_are_ordered_and_exclude_the_kiosk(seed: Catalog) -> None:
    home = seed.service_point(HOME)
    passport = by_name(seed, "普通护照签发")
    near = seed.nearest_points(passport, home.latitude, home.longitude, n=5, exclude=HOME)
    assert len(near) == 5 and HOME not in {p.point.code for p in near}
    distances = [p.distance_km for p in near]
    assert distances == sorted(distances)
    assert all(p.point.code in passport.service_points for p in near)
    assert near[0].point.name == "拱墅区市民之家"  # 1.4 km away, nearer than the city centre
    every = seed.nearest_points(passport, home.latitude, home.longitude, n=100, exclude=HOME)
    assert len(every) == len(passport.service_points) - 1
    assert distances == [p.distance_km for p in every[:5]]
    allowance = by_name(seed, "高龄津贴申领")
    only = seed.nearest_points(allowance, home.latitude, home.longitude)
    assert [p.point.name for p in only] == ["西溪街道便民服务中心"]
    assert 0.5 < only[0].distance_km < 3
    assert seed.nearest_points(allowance, home.latitude, home.longitude, exclude="SP-330106003-001") == []


def test_nearest_points_ties_break_by_code(loader: CatalogLoader, seed_doc: dict[str, Any]) -> None:
    for point in seed_doc["service_points"]:
        point["latitude"], point["longitude"] = 30.0, 120.0
    catalog = loader.load_document(seed_doc)
    item = by_name(catalog, "社会保障卡申领")
    near = catalog.nearest_points(item, 30.0, 120.0, n=4)
    assert [p.point.code for p in near] == sorted(item.service_points)[:4]
    assert all(p.distance_km == 0 for p in near)


def test_haversine_known_distance() -> None:
    # 杭州 (30.2741, 120.1551) to 上海人民广场 (31.2304, 121.4737): about 165 km.
    assert 160 < haversine_km(30.2741, 120.1551, 31.2304, 121.4737) < 170
    assert haversine_km(30.0, 120.0, 30.0, 120.0) == 0


def test_region_levels_and_version(seed: Catalog) -> None:
    assert seed.region.code == "330100" and seed.region.name == "杭州市"
    assert seed.version >= 1 and seed.generated_at.startswith("20")
    assert {i.level for i in seed} >= {Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP}
