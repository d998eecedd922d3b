"""Invalid documents are rejected with the JSON path of the first bad field; the old catalog stays."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.loader import CatalogError, CatalogHolder, CatalogLoader, load_catalog_document
from kiosk.domain import items as domain

Doc = dict[str, Any]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        node: Any = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        node: Any = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return mutate


def _duplicate_code(doc: Doc) -> None:
    doc["items"][20]["code"] = doc["items"][4]["code"]


def _commitment_without_text(doc: Doc) -> None:
    doc["items"][6]["materials"][0] = {"name": "居住证明", "commitment_allowed": True}


def _select_without_options(doc: Doc) -> None:
    doc["items"][0]["form"]["fields"][5] = {"key": "bank", "label": "开户银行", "type": "select"}


def _show_if_unknown_field(doc: Doc) -> None:
    doc["items"][0]["form"]["fields"][7]["show_if"] = {"no_such_field": "邮寄到家"}


def _two_bad_items(doc: Doc) -> None:
    doc["items"][40]["visits"] = -1
    doc["items"][3]["popularity"] = 101


def _same_item_two_bad_fields(doc: Doc) -> None:
    doc["items"][9]["kiosk_supported"] = "yes"  # later key in the object
    doc["items"][9]["level"] = "县"  # earlier key: reported first


def _department_renamed(doc: Doc) -> None:
    doc["items"][1]["department"]["name"] = "杭州市人社局"


def _promised_exceeds_legal(doc: Doc) -> None:
    item = next(i for i in doc["items"] if i["handling"] == "承诺件" and i["legal_days"] > 0)
    item["promised_days"] = item["legal_days"] + 5
    doc["_probe"] = doc["items"].index(item)


CASES = [
    (
        _set(("items", 12, "materials", 0, "required"), "yes"),
        "items[12].materials[0].required: 'yes' is not of type 'boolean'",
    ),
    (_delete(("items", 3, "code")), "items[3].code: 'code' is a required property"),
    (_set(("items", 5, "level"), "县"), "items[5].level: '县' is not one of"),
    (_set(("items", 7, "basic_code"), "33010010300"), "items[7].basic_code: '33010010300' is too short"),
    (_set(("items", 8, "code"), "1" * 37), "items[8].code: '" + "1" * 37 + "' is too long"),
    (_set(("items", 2, "colour"), "red"), "items[2].colour: Additional properties are not allowed"),
    (_set(("items", 2, "item_type"), "11"), "items[2].item_type: '11' is not one of"),
    (_set(("items", 2, "handling"), "当场办"), "items[2].handling: '当场办' is not one of"),
    (
        _set(("items", 11, "materials", 1, "format"), "胶片"),
        "items[11].materials[1].format: '胶片' is not one of",
    ),
    (_duplicate_code, "items[20].code: duplicate item code"),
    (
        _set(("bundles", 1, "member_codes", 2), "NO-SUCH-ITEM"),
        "bundles[1].member_codes[2]: unknown member item 'NO-SUCH-ITEM'",
    ),
    (
        _set(("items", 30, "service_points", 0), "SP-999999-001"),
        "items[30].service_points[0]: unknown service point",
    ),
    (_set(("synonyms", 3, 1), "  "), "synonyms[3][1]: blank synonym"),
    (_set(("synonyms", 0), ["社保"]), "synonyms[0]: ['社保'] is too short"),
    (
        _commitment_without_text,
        "items[6].materials[0].commitment_text: 'commitment_text' is a required property",
    ),
    (_select_without_options, "items[0].form.fields[5].options: 'options' is a required property"),
    (
        _show_if_unknown_field,
        "items[0].form.fields[7].show_if.no_such_field: show_if refers to unknown field",
    ),
    (_set(("items", 0, "promised_days"), 3), "items[0].promised_days: 即办件 is done on the spot"),
    (_set(("items", 14, "category"), "娱乐"), "items[14].category: unknown category '娱乐'"),
    (
        _set(("items", 14, "citizen_themes"), ["旅游观光"]),
        "items[14].citizen_themes[0]: unknown theme '旅游观光'",
    ),
    (_department_renamed, "items[1].department.name: department"),
    (_set(("format",), "gov-kiosk-catalog/2"), "format: 'gov-kiosk-catalog/1' was expected"),
    (
        _set(("service_points", 3, "latitude"), 95.0),
        "service_points[3].latitude: 95.0 is greater than the maximum of 90",
    ),
    (_two_bad_items, "items[3].popularity: 101 is greater than the maximum of 100"),
    (_same_item_two_bad_fields, "items[9].level: '县' is not one of"),
]


@pytest.mark.parametrize(("mutate", "expected"), CASES, ids=[c[1].split(":")[0] for c in CASES])
def test_tampered_document_names_the_first_bad_field(
    loader: CatalogLoader, seed_doc: Doc, mutate: Callable[[Doc], None], expected: str
) -> None:
    mutate(seed_doc)
    with pytest.raises(CatalogError) as info:
        loader.validate(seed_doc)
    assert str(info.value).startswith(expected), str(info.value)
    assert info.value.path == expected.split(": ")[0]


def test_promised_days_above_legal_days(loader: CatalogLoader, seed_doc: Doc) -> None:
    _promised_exceeds_legal(seed_doc)
    index = seed_doc.pop("_probe")
    with pytest.raises(CatalogError, match=rf"^items\[{index}\]\.promised_days: promised \d+ days exceeds"):
        loader.validate(seed_doc)


@pytest.mark.parametrize("doc", [[], "catalog", None, 42])
def test_non_object_documents(loader: CatalogLoader, doc: Any) -> None:
    with pytest.raises(CatalogError, match=r"^\$: .* is not of type 'object'"):
        loader.validate(doc)


def test_valid_seed_passes_and_loads(loader: CatalogLoader, seed_doc: Doc) -> None:
    loader.validate(seed_doc)
    catalog = load_catalog_document(seed_doc, loader)
    assert catalog.version == seed_doc["version"] and len(catalog) == len(seed_doc["items"])


def test_holder_keeps_the_old_catalog_on_a_bad_document(loader: CatalogLoader, seed_doc: Doc) -> None:
    holder = CatalogHolder(loader.load_document(seed_doc), loader)
    old = holder.current
    bad = json.loads(json.dumps(seed_doc))
    bad["version"] = 2
    bad["items"][12]["materials"][0]["required"] = "yes"
    with pytest.raises(CatalogError, match=r"items\[12\]\.materials\[0\]\.required"):
        holder.replace(bad)
    assert holder.current is old and holder.current.version == 1
    seed_doc["version"] = 3
    assert holder.replace(seed_doc).version == 3 and holder.current.version == 3


def test_file_errors_are_clear(loader: CatalogLoader, tmp_path: Path, seed_doc: Doc) -> None:
    with pytest.raises(CatalogError, match="catalog file not found"):
        loader.load_file(tmp_path / "missing.json")
    with pytest.raises(CatalogError, match="is a directory"):
        loader.load_file(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "gov-kiosk-catalog/1",\n  "version": 1,,\n}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"broken\.json:3:16: invalid JSON"):
        loader.load_file(broken)
    dup = tmp_path / "dup.json"
    dup.write_text('{"format": "a", "format": "b"}', encoding="utf-8")
    with pytest.raises(CatalogError, match="duplicate key 'format'"):
        loader.load_file(dup)
    nan = tmp_path / "nan.json"
    nan.write_text('{"version": NaN}', encoding="utf-8")
    with pytest.raises(CatalogError, match="NaN is not valid JSON"):
        loader.load_file(nan)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{\n"name": "\xb2\xe2\xca\xd4"}')
    with pytest.raises(CatalogError, match=r"latin\.json:2: not UTF-8"):
        loader.load_file(latin)
    seed_doc["items"][0]["visits"] = "one"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(seed_doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        loader.load_file(bad)
    assert "bad.json: items[0].visits: 'one' is not of type 'integer'" in str(info.value)
    assert info.value.path == "items[0].visits"


def test_missing_schema_file_is_reported(tmp_path: Path, seed_doc: Doc) -> None:
    with pytest.raises(CatalogError, match="cannot read the catalog schema"):
        CatalogLoader(tmp_path / "nope.schema.json").validate(seed_doc)


def test_schema_is_compiled_once_per_loader(tmp_path: Path, seed_doc: Doc) -> None:
    schema = tmp_path / "catalog.schema.json"
    schema.write_text(CatalogLoader().schema_path.read_text(encoding="utf-8"), encoding="utf-8")
    loader = CatalogLoader(schema)
    loader.validate(seed_doc)
    schema.unlink()  # a second validation must not read the file again
    loader.validate(seed_doc)
    assert loader.validator is loader.validator


def _schema_properties(loader: CatalogLoader) -> dict[str, dict[str, Any]]:
    defs = loader.validator.schema["$defs"]
    return {name: d.get("properties", {}) for name, d in defs.items()}


@pytest.mark.parametrize(
    ("cls", "definition"),
    [
        (domain.ServiceItem, "item"),
        (domain.Material, "material"),
        (domain.FormField, "form_field"),
        (domain.Fee, "fee"),
        (domain.Department, "department"),
        (domain.Bundle, "bundle"),
        (domain.ServicePoint, "service_point"),
    ],
)
def test_schema_describes_every_domain_field(loader: CatalogLoader, cls: type, definition: str) -> None:
    props = _schema_properties(loader)[definition]
    fields = {f.name for f in dataclasses.fields(cls)}
    assert fields <= set(props), fields - set(props)
    for name, prop in props.items():
        description = prop.get("description") or loader.validator.schema["$defs"].get(name, {}).get(
            "description"
        )
        assert description and " / " in description, (
            f"{definition}.{name} lacks a Chinese / English description"
        )
