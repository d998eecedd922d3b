"""Synthetic catalogs for benchmarks: ``generate_catalog(10_000, seed=7)``.

Names are built from real objects, actions, person prefixes and qualifiers (``name_parts``), e.g.
企业职工一次性伤残就业补助金申领 or 职工基本养老保险关系转移接续申请; departments are Hangzhou's
city and district bodies; the service-point directory is the seed catalog's. The same ``(n, seed)``
always gives the same document, and the document passes ``load_catalog_document``.

Command line: ``python -m kiosk.catalog.generator N OUT.json [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from kiosk.catalog.codes import credit_code, implementation_code
from kiosk.catalog.name_parts import PARTS, SIMPLE_ACTION_WORDS, CategoryParts, Group
from kiosk.catalog.vocabulary import (
    BUSINESS_THEMES,
    CATEGORIES,
    CITIZEN_THEMES,
    CITY_CODE,
    CITY_NAME,
    DISTRICTS,
    PROVINCE_NAME,
    SYNONYMS,
    WORKDAY_HOURS,
    District,
    points_by_level,
    service_point_dicts,
)
from kiosk.domain.items import Level

BUNDLE_NAMES = (
    "出生",
    "退休",
    "开办企业",
    "二手房交易",
    "就业",
    "身后",
    "入学",
    "新市民落户",
    "残疾人服务",
    "公积金贷款",
)
COMMITMENT = (
    "本人已知晓行政机关告知的证明义务和证明内容，承诺已符合告知的条件、标准和要求，所填信息和提供的材料真实、"
    "准确、完整，愿意接受核查；如有不实承诺，愿意承担相应法律责任，并同意将不实承诺行为记入信用记录。"
)
BASE_FIELDS = (
    {"key": "name", "label": "姓名", "type": "text", "prefill": "name", "max_length": 30},
    {"key": "id_number", "label": "公民身份号码", "type": "id_number", "prefill": "id_number"},
    {"key": "phone", "label": "联系电话", "type": "phone", "pattern": r"^1[3-9]\d{9}$"},
)


PROVINCIAL = {
    "人力资源和社会保障局": "人力资源和社会保障厅",
    "医疗保障局": "医疗保障局",
    "公安局": "公安厅",
    "教育局": "教育厅",
    "文化广电旅游局": "文化和旅游厅",
    "住房保障和房产管理局": "住房和城乡建设厅",
    "规划和自然资源局": "自然资源厅",
    "市场监督管理局": "市场监督管理局",
    "民政局": "民政厅",
    "卫生健康委员会": "卫生健康委员会",
}
CITY_NAMES = {
    "图书馆": "杭州图书馆",
    "住房公积金管理中心": "杭州住房公积金管理中心",
    "税务局": "国家税务总局杭州市税务局",
}
TOWNSHIP_CATEGORIES = frozenset({"社会保障", "医疗保障", "民政", "生育", "户籍"})


def department_name(suffix: str, kind: str, level: Level, district: District | None) -> tuple[str, str]:
    """(name, region code) of the body that implements a ``suffix`` item at ``level``."""
    if kind == "enterprise":
        return suffix, CITY_CODE
    if level is Level.PROVINCE and suffix in PROVINCIAL:
        return f"{PROVINCE_NAME}{PROVINCIAL[suffix]}", "330000"
    if district is None or level in (Level.CITY, Level.PROVINCE):
        return CITY_NAMES.get(suffix, f"{CITY_NAME}{suffix}"), CITY_CODE
    short = district.name[:-1] if len(district.name) > 2 else district.name
    county = not district.name.endswith("区")  # 县 and 县级市 bodies carry their own name only
    local = district.name if county else f"{CITY_NAME}{district.name}"
    if suffix == "公安局交通警察支队":
        name = f"{district.name}公安局交通警察大队" if county else f"{CITY_NAME}公安局交通警察支队{short}大队"
    elif suffix.startswith("公安局"):
        name = f"{district.name}公安局" if county else f"{CITY_NAME}公安局{district.name}分局"
    elif suffix == "住房公积金管理中心":
        name = f"杭州住房公积金管理中心{short}分中心"
    elif suffix == "税务局":
        name = f"国家税务总局{local}税务局"
    else:
        name = f"{local}{suffix}"
    return name, district.region_code


class _Departments:
    """Department dictionaries with check-digit-correct credit codes, one per name."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], dict[str, str]] = {}

    def get(self, suffix: str, kind: str, level: Level, district: District | None) -> dict[str, str]:
        name, region = department_name(suffix, kind, level, district)
        return self.named(name, kind, region)

    def named(self, name: str, kind: str, region: str) -> dict[str, str]:
        dept = self._cache.get((name, kind))
        if dept is None:
            dept = self._cache[(name, kind)] = {"code": credit_code(kind, region, name), "name": name}
        return dict(dept)


def _item_type(name: str, action: str) -> str:
    if any(w in action for w in SIMPLE_ACTION_WORDS):
        return "20"
    if "违法" in name and "处理" in action:
        return "02"
    if any(w in name for w in ("审批", "核发", "许可", "签发")):
        return "01"
    if any(w in name for w in ("申领", "补贴", "救助", "报销")):
        return "05"
    if any(w in name for w in ("登记", "认定", "备案")):
        return "07"
    return "20"


def _name(rng: random.Random, group: Group) -> tuple[str, str]:
    obj, action = rng.choice(group.objects), rng.choice(group.actions)
    person = rng.choice(group.persons) if group.persons and rng.random() < 0.3 else ""
    return f"{person}{obj}{action}{rng.choice(group.qualifiers)}", action


def _materials(rng: random.Random, parts: CategoryParts, simple: bool) -> list[dict[str, Any]]:
    others = [m for m in parts.materials if m != "居民身份证"]
    names = ["居民身份证", *rng.sample(others, rng.randint(0, 1 if simple else 3))]
    out = []
    for idx, name in enumerate(names):
        m: dict[str, Any] = {"name": name, "required": idx == 0 or rng.random() < 0.7, "original_count": 1}
        if idx and rng.random() < 0.3:
            m["copy_count"] = 1
        m["format"] = rng.choice(("纸质", "纸质/电子", "电子"))
        if idx and rng.random() < 0.2:
            m["shared"] = True
            m["source"] = "政府部门核发"
        elif idx and rng.random() < 0.08:
            m["commitment_allowed"] = True
            m["commitment_text"] = COMMITMENT
        out.append(m)
    return out


def _form(rng: random.Random) -> dict[str, Any]:
    fields = [dict(f) for f in BASE_FIELDS]
    fields.append(
        {"key": "delivery", "label": "结果领取方式", "type": "select", "options": ["窗口领取", "邮寄送达"]}
    )
    fields.append(
        {
            "key": "mail_address",
            "label": "邮寄地址",
            "type": "address",
            "prefill": "address",
            "show_if": {"delivery": "邮寄送达"},
        }
    )
    if rng.random() < 0.5:
        fields.append(
            {"key": "remarks", "label": "备注", "type": "textarea", "required": False, "max_length": 200}
        )
    return {"fields": fields}


class _Directory:
    """The service-point directory as the generator needs it."""

    def __init__(self) -> None:
        self.levels = points_by_level()
        self.names = {str(p["code"]): str(p["name"]) for p in service_point_dicts()}

    def local(self, region_prefix: str, level: str) -> list[str]:
        return [c for c in self.levels[level] if c.startswith(f"SP-{region_prefix}")]

    def for_item(self, level: Level, district: District | None, simple: bool) -> list[str]:
        """City/province items: every 市 and 区县 centre (simple ones every point); district items: the
        district centre and its 街道 points (and its 社区/村 points for simple items)."""
        if district is None:
            codes = self.levels["市"] + self.levels["区县"]
            return codes + self.levels["乡镇"] + self.levels["村"] if simple else codes
        local = self.local(district.region_code, "乡镇") + (
            self.local(district.region_code, "村") if simple else []
        )
        return [f"SP-{district.region_code}-001", *local]


def _level(rng: random.Random, category: str, suffix: str, kind: str) -> tuple[Level, District | None]:
    level = rng.choices((Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.PROVINCE), (50, 38, 8, 4))[0]
    if kind == "enterprise" or (level is Level.PROVINCE and suffix not in PROVINCIAL):
        return Level.CITY, None
    if level is Level.TOWNSHIP and category not in TOWNSHIP_CATEGORIES:
        level = Level.COUNTY
    return level, (rng.choice(DISTRICTS) if level in (Level.COUNTY, Level.TOWNSHIP) else None)


def _implementer(
    rng: random.Random,
    group: Group,
    parts: CategoryParts,
    category: str,
    simple: bool,
    depts: _Departments,
    where: _Directory,
) -> tuple[Level, dict[str, str], list[str], str]:
    """(level, department, service points, location) of one item."""
    suffix, kind = parts.departments[group.dept]
    level, district = _level(rng, category, suffix, kind)
    streets = where.local(district.region_code, "乡镇") if district else []
    if level is Level.TOWNSHIP and district and streets:
        street = rng.choice(streets)
        region = street.split("-")[1]
        office = where.names[street].replace("便民服务中心", "办事处")
        dept = depts.named(f"{CITY_NAME}{district.name}{office}", "organ", region)
        points = [street, *(where.local(region, "村") if simple else [])]
        return level, dept, points, f"{where.names[street]}综合窗口"
    if level is Level.TOWNSHIP:
        level = Level.COUNTY
    dept = depts.get(suffix, kind, level, district)
    location = (
        f"{district.center}综合窗口" if district else "杭州市民之家及各区、县（市）政务服务中心综合窗口"
    )
    return level, dept, where.for_item(level, district, simple), location


def _item(
    rng: random.Random, cat_index: int, seq: int, depts: _Departments, where: _Directory
) -> dict[str, Any]:
    category = CATEGORIES[cat_index]
    parts = PARTS[category]
    group = rng.choice(parts.groups)
    name, action = _name(rng, group)
    simple = any(w in action for w in SIMPLE_ACTION_WORDS)
    level, dept, points, location = _implementer(rng, group, parts, category, simple, depts, where)
    item_type = _item_type(name, action)
    basic = f"33{item_type}{cat_index + 1:02d}{seq:06d}"
    immediate = simple or rng.random() < 0.25
    legal = 0 if simple else rng.choice((1, 5, 10, 15, 20, 30, 60))
    promised = 0 if immediate else max(1, min(legal, round(legal * rng.uniform(0.1, 0.6))))
    item: dict[str, Any] = {
        "code": implementation_code(dept["code"], level, basic),
        "basic_code": basic,
        "name": name,
        "department": dept,
        "level": level.value,
        "item_type": item_type,
        "handling": "即办件" if immediate else "承诺件",
        "legal_days": legal,
        "promised_days": promised,
        "visits": 0 if simple else rng.choices((0, 1, 2), (45, 52, 3))[0],
        "kiosk_supported": rng.random() < (0.9 if simple else 0.4),
        "category": category,
        "citizen_themes": rng.sample(parts.citizen_themes, min(len(parts.citizen_themes), rng.randint(1, 2))),
    }
    if parts.business_themes and rng.random() < 0.3:
        item["business_themes"] = [rng.choice(parts.business_themes)]
    if rng.random() < 0.04:
        item["fees"] = [
            {"name": "证书工本费", "standard": f"{rng.choice((5, 10, 20))}元/本", "waivable": True}
        ]
    item["conditions"] = f"符合{name}有关规定的申请人均可申请。"
    item["location"] = location
    item["hours"] = WORKDAY_HOURS
    item["phone"] = "12345"
    item["materials"] = _materials(rng, parts, simple)
    if rng.random() < 0.25:
        item["form"] = _form(rng)
        item["has_full_guide"] = True
    item["service_points"] = points
    item["popularity"] = rng.randint(30, 95) if simple else rng.randint(0, 70)
    return item


def generate_catalog(n: int, seed: int) -> dict[str, Any]:
    """A valid catalog document with ``n`` items; deterministic for ``(n, seed)``."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    depts = _Departments()
    where = _Directory()
    counters = [0] * len(CATEGORIES)
    items = []
    for i in range(n):
        cat_index = i % len(CATEGORIES)
        counters[cat_index] += 1
        items.append(_item(rng, cat_index, counters[cat_index], depts, where))
    bundles = []
    for b in range(n // 400 if n >= 400 else (1 if n >= 4 else 0)):
        members = rng.sample(items, rng.randint(2, 4))
        lead = members[0]["department"]
        suffix = (
            ""
            if b < len(BUNDLE_NAMES)
            else f"（{DISTRICTS[b % len(DISTRICTS)].name}{b // len(BUNDLE_NAMES)}）"
        )
        bundles.append(
            {
                "code": f"BD-{CITY_CODE}-{b + 1:04d}",
                "name": f"{BUNDLE_NAMES[b % len(BUNDLE_NAMES)]}一件事{suffix}",
                "lead_department": dict(lead),
                "member_codes": [m["code"] for m in members],
                "description": "一窗受理、一表申请、一套材料、一次办结。",
            }
        )
    return {
        "format": "gov-kiosk-catalog/1",
        "version": 1,
        "generated_at": "2025-01-01T08:00:00+08:00",
        "region": {"code": CITY_CODE, "name": CITY_NAME, "province": PROVINCE_NAME, "hotline": "12345"},
        "categories": list(CATEGORIES),
        "themes": {"citizen": list(CITIZEN_THEMES), "business": list(BUSINESS_THEMES)},
        "items": items,
        "bundles": bundles,
        "service_points": service_point_dicts(),
        "synonyms": [list(g) for g in SYNONYMS],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.catalog.generator", description="Write a synthetic catalog."
    )
    parser.add_argument("n", type=int, help="number of items (e.g. 10000)")
    parser.add_argument("out", type=Path, help="output JSON file")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be >= 0")
    started = time.perf_counter()
    doc = generate_catalog(args.n, args.seed)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    took = time.perf_counter() - started
    print(
        f"wrote {args.n} items, {len(doc['bundles'])} bundles to {args.out} in {took:.2f} s", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
