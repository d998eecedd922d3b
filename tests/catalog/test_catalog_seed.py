"""The bundled seed catalog looks like a real city's and meets the issue's counts."""

from __future__ import annotations

import re
from collections import Counter

from kiosk.catalog.codes import LEVEL_DIGITS, is_valid_credit_code
from kiosk.catalog.model import Catalog
from kiosk.domain.items import FieldType, HandlingKind, Level

CATEGORIES = {
    "社会保障",
    "医疗保障",
    "住房公积金",
    "户籍",
    "出入境",
    "交通违章与驾驶证",
    "教育文化",
    "住房保障",
    "不动产",
    "公共支付",
    "市场准入",
    "民政",
    "生育",
}
ID_CARD_ATTRIBUTES = {"name", "id_number", "sex", "nation", "birth", "address"}


def test_counts_and_categories(seed: Catalog) -> None:
    assert len(seed) >= 220
    assert set(seed.categories) == CATEGORIES and len(seed.categories) == 13
    per_category = Counter(item.category for item in seed)
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 10, per_category
    assert len({item.name for item in seed}) == len(seed), "item names repeat"
    assert len(seed.synonyms) >= 25


def test_real_world_names_are_present(seed: Catalog) -> None:
    names = {item.name for item in seed}
    for expected in (
        "社会保障卡申领",
        "社会保障卡挂失",
        "城乡居民基本养老保险参保登记",
        "失业保险金申领",
        "职工基本医疗保险参保登记",
        "异地就医备案",
        "住房公积金提取（租房）",
        "住房公积金缴存证明打印",
        "出生登记（户口）",
        "居民身份证换领",
        "临时身份证明",
        "往来港澳通行证签注",
        "普通护照签发",
        "学生资助申请",
        "不动产登记资料查询",
        "水费缴纳",
        "电费缴纳",
        "燃气费缴纳",
        "个体工商户设立登记",
        "结婚登记预约",
        "最低生活保障申请",
        "生育登记",
        "生育津贴申领",
    ):
        assert expected in names, expected
    aliases = {a for item in seed for a in item.aliases}
    assert {"社保卡申领", "驾照换证", "公积金提取", "户口本补办"} <= aliases


def test_full_guides_are_complete(seed: Catalog) -> None:
    full = [item for item in seed if item.has_full_guide]
    assert len(full) >= 25
    for item in full:
        assert item.conditions and item.location and item.hours and item.phone and item.legal_basis, item.name
        assert 3 <= len(item.materials) <= 6, item.name
        assert 4 <= len(item.form.fields) <= 10, item.name
        keys = [f.key for f in item.form.fields]
        assert len(keys) == len(set(keys)), item.name
        if item.category != "公共支付":  # paying a bill needs the account number, not an identity
            assert any(f.prefill in ID_CARD_ATTRIBUTES for f in item.form.fields), item.name
    fields = [f for item in full for f in item.form.fields]
    assert {f.prefill for f in fields} >= ID_CARD_ATTRIBUTES
    assert any(f.type is FieldType.PHONE and f.pattern for f in fields)
    assert any(f.type is FieldType.SELECT and len(f.options) >= 2 for f in fields)
    assert sum(1 for item in full if any(f.show_if for f in item.form.fields)) >= 20


def test_materials_use_commitments_and_data_sharing(seed: Catalog) -> None:
    materials = [m for item in seed for m in item.materials]
    committed = [m for m in materials if m.commitment_allowed]
    assert len(committed) >= 8
    for m in committed:  # 国办发〔2020〕42号: duty, standards, truthfulness, liability for false commitments
        assert all(word in m.commitment_text for word in ("证明义务", "真实", "法律责任", "信用记录")), m.name
    assert sum(m.shared for m in materials) >= 30
    assert any(not m.required for m in materials)
    assert any(m.copy_count for m in materials)


def test_fees_time_limits_and_visits(seed: Catalog) -> None:
    passport = next(i for i in seed if i.name == "普通护照签发")
    assert passport.fees and "120元" in passport.fees[0].standard
    assert not passport.kiosk_supported  # fingerprints and photo on site
    assert sum(1 for item in seed if item.is_free) > len(seed) * 0.8
    for item in seed:
        assert item.promised_days <= item.legal_days or item.legal_days == 0, item.name
        if item.handling is HandlingKind.IMMEDIATE:
            assert item.promised_days == 0, item.name
        else:
            assert item.promised_days >= 1, item.name
    visits = Counter(item.visits for item in seed)
    assert visits[0] + visits[1] >= len(seed) * 0.95 and visits[2] >= 1
    share = sum(item.kiosk_supported for item in seed) / len(seed)
    assert 0.55 <= share <= 0.7, share
    queries = [i for i in seed if re.search("查询|打印", i.name)]
    assert queries and all(i.handling is HandlingKind.IMMEDIATE for i in queries)


def test_codes_follow_the_national_layout(seed: Catalog) -> None:
    for item in seed:
        assert re.fullmatch(r"\d{12}", item.basic_code), item.name
        assert len(item.code) == 31, item.name
        credit, level_digit, basic = item.code[:18], item.code[18], item.code[19:]
        assert credit == item.department.code and is_valid_credit_code(credit), item.name
        assert level_digit == LEVEL_DIGITS[item.level] and basic == item.basic_code
    assert len({item.basic_code for item in seed}) == len(seed)


def test_service_point_directory(seed: Catalog) -> None:
    points = seed.service_points
    assert len(points) >= 25
    levels = Counter(p.level for p in points.values())
    assert set(levels) == {Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE}
    assert levels[Level.COUNTY] >= 13
    home = seed.service_point("SP-330106-001")
    assert home.name == "西湖区市民之家" and home.level is Level.COUNTY and home.region_code == "330106"
    for p in points.values():
        assert 29.0 < p.latitude < 30.6 and 118.8 < p.longitude < 120.6, p.code  # Hangzhou
    villages = {c for c, p in points.items() if p.level is Level.VILLAGE}
    for item in seed:
        assert item.service_points, item.name
        if villages & set(item.service_points):  # 村/社区 points handle only simple on-the-spot items
            assert item.handling is HandlingKind.IMMEDIATE and item.visits == 0, item.name
        if item.level is Level.CITY and item.kiosk_supported:
            assert "SP-330100-001" in item.service_points


def test_bundles_merge_forms_and_deduplicate_materials(seed: Catalog) -> None:
    assert len(seed.bundles) >= 4
    names = {b.name for b in seed.bundles}
    assert {"出生一件事", "开餐馆一件事", "退休一件事"} <= names
    for bundle in seed.bundles:
        members = seed.bundle_members(bundle)
        assert len(members) >= 2
        assert len({m.department for m in members}) >= 2 or bundle.name in ("退休一件事", "失业一件事")
        materials = seed.bundle_materials(bundle)
        keys = [m.key for m in materials]
        assert len(keys) == len(set(keys)), bundle.name
        assert len(materials) < sum(len(m.materials) for m in members), bundle.name  # something was merged
        for m in materials:  # required wins over optional
            assert m.required == any(x.required for i in members for x in i.materials if x.key == m.key)
        form = seed.bundle_form(bundle)
        fkeys = [f.key for f in form.fields]
        assert len(fkeys) == len(set(fkeys)), bundle.name
        assert set(fkeys) == {f.key for m in members for f in m.form.fields}
        assert fkeys, bundle.name
    birth = next(b for b in seed.bundles if b.name == "出生一件事")
    member_names = {m.name for m in seed.bundle_members(birth)}
    assert {"出生医学证明首次签发", "出生登记（户口）", "社会保障卡申领"} <= member_names
    assert any("医疗保险参保" in n for n in member_names)
