"""Service items (事项), their guides (办事指南), materials, forms and bundles (一件事).

Field names follow the national exchange tables (see gov-kiosk-features.md §2): codes are opaque
strings, the 12-character basic code (基本编码) and the implementation code (实施编码, ≤36).
Every class is frozen and built from the catalog JSON by ``from_dict``; the JSON Schema in
``resources/schemas/catalog.schema.json`` is the authority on the document's shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """行使层级: the level of the body that implements the item."""

    PROVINCE = "省"
    CITY = "市"
    COUNTY = "区县"
    TOWNSHIP = "乡镇"
    VILLAGE = "村"


class ItemType(StrEnum):
    """事项类型 (national dictionary)."""

    LICENSING = "01"  # 行政许可
    PENALTY = "02"  # 行政处罚
    ENFORCEMENT = "03"  # 行政强制
    LEVY = "04"  # 行政征收
    BENEFIT = "05"  # 行政给付
    INSPECTION = "06"  # 行政检查
    CONFIRMATION = "07"  # 行政确认
    REWARD = "08"  # 行政奖励
    ADJUDICATION = "09"  # 行政裁决
    OTHER_POWER = "10"  # 其他行政权力
    PUBLIC_SERVICE = "20"  # 公共服务


class HandlingKind(StrEnum):
    """办件类型: 即办件 is decided on the spot, 承诺件 within the promised time."""

    IMMEDIATE = "即办件"
    PROMISED = "承诺件"


class MaterialFormat(StrEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子"
    BOTH = "纸质/电子"


@dataclass(frozen=True, slots=True)
class Fee:
    name: str
    standard: str
    basis: str = ""
    waivable: bool = False

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fee:
        return cls(d["name"], d["standard"], d.get("basis", ""), bool(d.get("waivable", False)))


@dataclass(frozen=True, slots=True)
class Material:
    """One required or optional material (申请材料) of an item."""

    name: str
    required: bool = True
    original_count: int = 0
    copy_count: int = 0
    format: MaterialFormat = MaterialFormat.PAPER
    source: str = "申请人自备"
    commitment_allowed: bool = False  # 告知承诺: a signed commitment may replace it
    commitment_text: str = ""
    shared: bool = False  # 免提交: obtained by data sharing, the citizen brings nothing
    notes: str = ""

    @property
    def key(self) -> str:
        """Identity used to de-duplicate materials across the members of a bundle."""
        return self.name.strip()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Material:
        return cls(
            name=d["name"],
            required=bool(d.get("required", True)),
            original_count=int(d.get("original_count", 0)),
            copy_count=int(d.get("copy_count", 0)),
            format=MaterialFormat(d.get("format", MaterialFormat.PAPER.value)),
            source=d.get("source", "申请人自备"),
            commitment_allowed=bool(d.get("commitment_allowed", False)),
            commitment_text=d.get("commitment_text", ""),
            shared=bool(d.get("shared", False)),
            notes=d.get("notes", ""),
        )


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    DATE = "date"
    NUMBER = "number"
    SELECT = "select"
    CHECKBOX = "checkbox"
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of an item's form; ``prefill`` names an identity attribute (name, id_number…)."""

    key: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = True
    options: tuple[str, ...] = ()
    prefill: str = ""
    pattern: str = ""
    max_length: int = 0
    help: str = ""
    show_if: tuple[tuple[str, str], ...] = ()  # (field key, value) pairs that must all hold

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FormField:
        show_if = tuple((k, str(v)) for k, v in sorted(d.get("show_if", {}).items()))
        return cls(
            key=d["key"],
            label=d["label"],
            type=FieldType(d.get("type", "text")),
            required=bool(d.get("required", True)),
            options=tuple(d.get("options", ())),
            prefill=d.get("prefill", ""),
            pattern=d.get("pattern", ""),
            max_length=int(d.get("max_length", 0)),
            help=d.get("help", ""),
            show_if=show_if,
        )


@dataclass(frozen=True, slots=True)
class FormSpec:
    fields: tuple[FormField, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> FormSpec:
        if not d:
            return cls()
        return cls(tuple(FormField.from_dict(f) for f in d.get("fields", ())))

    def merged_with(self, other: FormSpec) -> FormSpec:
        """One form for several items: later fields with an already-seen key are dropped."""
        seen = {f.key for f in self.fields}
        return FormSpec(self.fields + tuple(f for f in other.fields if f.key not in seen))


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Department:
        return cls(d["code"], d["name"])


@dataclass(frozen=True, slots=True)
class ServiceItem:
    """A service item (事项) and its standardized guide (办事指南)."""

    code: str  # 实施编码, opaque, ≤36 characters
    basic_code: str  # 基本编码, 12 characters
    name: str
    department: Department
    level: Level
    item_type: ItemType
    handling: HandlingKind
    legal_days: int  # 法定办结时限 (working days); 0 = on the spot
    promised_days: int  # 承诺办结时限 (working days); 0 = on the spot
    visits: int  # 到办事现场次数: 0 = 零跑腿, 1 = 最多跑一次
    kiosk_supported: bool  # 是否支持自助终端办理
    category: str = ""  # top-level catalogue section (社会保障, 户籍, …)
    citizen_themes: tuple[str, ...] = ()
    business_themes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # extra search names (社保卡, 驾照, …)
    fees: tuple[Fee, ...] = ()
    conditions: str = ""  # 受理条件
    location: str = ""  # 办理地点
    hours: str = ""  # 办理时间
    phone: str = ""  # 咨询电话
    legal_basis: str = ""  # 设定依据
    materials: tuple[Material, ...] = ()
    form: FormSpec = field(default_factory=FormSpec)
    service_points: tuple[str, ...] = ()  # codes of the service points that handle the item
    popularity: int = 0  # higher = shown earlier among equals
    has_full_guide: bool = False

    @property
    def is_free(self) -> bool:
        return not self.fees

    @property
    def at_most_one_visit(self) -> bool:
        return self.visits <= 1

    @property
    def zero_visit(self) -> bool:
        return self.visits == 0

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ServiceItem:
        return cls(
            code=d["code"],
            basic_code=d["basic_code"],
            name=d["name"],
            department=Department.from_dict(d["department"]),
            level=Level(d["level"]),
            item_type=ItemType(d["item_type"]),
            handling=HandlingKind(d["handling"]),
            legal_days=int(d["legal_days"]),
            promised_days=int(d["promised_days"]),
            visits=int(d["visits"]),
            kiosk_supported=bool(d["kiosk_supported"]),
            category=d.get("category", ""),
            citizen_themes=tuple(d.get("citizen_themes", ())),
            business_themes=tuple(d.get("business_themes", ())),
            aliases=tuple(d.get("aliases", ())),
            fees=tuple(Fee.from_dict(f) for f in d.get("fees", ())),
            conditions=d.get("conditions", ""),
            location=d.get("location", ""),
            hours=d.get("hours", ""),
            phone=d.get("phone", ""),
            legal_basis=d.get("legal_basis", ""),
            materials=tuple(Material.from_dict(m) for m in d.get("materials", ())),
            form=FormSpec.from_dict(d.get("form")),
            service_points=tuple(d.get("service_points", ())),
            popularity=int(d.get("popularity", 0)),
            has_full_guide=bool(d.get("has_full_guide", False)),
        )


@dataclass(frozen=True, slots=True)
class Bundle:
    """一件事: several items across departments handled as one application."""

    code: str
    name: str
    lead_department: Department
    member_codes: tuple[str, ...]
    description: str = ""
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Bundle:
        return cls(
            code=d["code"],
            name=d["name"],
            lead_department=Department.from_dict(d["lead_department"]),
            member_codes=tuple(d["member_codes"]),
            description=d.get("description", ""),
            aliases=tuple(d.get("aliases", ())),
        )

    def merged_form(self, members: list[ServiceItem]) -> FormSpec:
        form = FormSpec()
        for item in members:
            form = form.merged_with(item.form)
        return form

    def merged_materials(self, members: list[ServiceItem]) -> tuple[Material, ...]:
        """一套材料: each material once; required if any member requires it."""
        merged: dict[str, Material] = {}
        for item in members:
            for m in item.materials:
                prev = merged.get(m.key)
                if prev is None or (m.required and not prev.required):
                    merged[m.key] = m
        return tuple(merged.values())


@dataclass(frozen=True, slots=True)
class ServicePoint:
    """A service point of the four-level system (市, 区县, 乡镇/街道, 村/社区)."""

    code: str
    name: str
    level: Level
    region_code: str
    address: str
    hours: str
    phone: str = ""
    latitude: float = 0.0
    longitude: float = 0.0

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ServicePoint:
        return cls(
            code=d["code"],
            name=d["name"],
            level=Level(d["level"]),
            region_code=d["region_code"],
            address=d["address"],
            hours=d["hours"],
            phone=d.get("phone", ""),
            latitude=float(d.get("latitude", 0.0)),
            longitude=float(d.get("longitude", 0.0)),
        )
