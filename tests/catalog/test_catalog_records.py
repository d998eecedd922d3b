"""Documents split into sync records and back, exactly and independently of record order."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from kiosk.catalog.loader import CatalogError, CatalogLoader
from kiosk.catalog.records import META_IDS, document_to_records, records_to_document


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)  # key order matters: the round trip must keep it


def test_round_trip_is_exact(seed_doc: dict[str, Any]) -> None:
    records = document_to_records(seed_doc)
    kinds = [r["kind"] for r in records]
    assert kinds[: len(META_IDS)] == ["meta"] * len(META_IDS)
    assert [r["id"] for r in records[: len(META_IDS)]] == list(META_IDS)
    assert kinds.count("item") == len(seed_doc["items"])
    assert kinds.count("bundle") == len(seed_doc["bundles"])
    assert kinds.count("service_point") == len(seed_doc["service_points"])
    assert all(set(r) == {"kind", "id", "data"} and isinstance(r["data"], dict) for r in records)
    back = records_to_document(records, seed_doc["version"])
    assert dumps(back) == dumps(seed_doc)


def test_record_order_does_not_matter(seed_doc: dict[str, Any], small_doc: dict[str, Any]) -> None:
    for doc in (seed_doc, small_doc):
        records = document_to_records(doc)
        shuffled = records[:]
        random.Random(5).shuffle(shuffled)
        assert dumps(records_to_document(shuffled, doc["version"])) == dumps(doc)
        # A signed sync stores records as canonical JSON (sorted keys): same document content.
        canonical = [json.loads(json.dumps(r, sort_keys=True)) for r in shuffled]
        assert records_to_document(canonical, doc["version"]) == doc


def test_records_are_copies(seed_doc: dict[str, Any]) -> None:
    records = document_to_records(seed_doc)
    item = next(r for r in records if r["kind"] == "item")
    item["data"]["name"] = "changed"
    assert seed_doc["items"][0]["name"] != "changed"
    back = records_to_document(records, 1)
    back["items"][1]["name"] = "changed too"
    assert next(r for r in records if r["id"] == back["items"][1]["code"])["data"]["name"] != "changed too"


def test_version_comes_from_the_caller_and_result_validates(
    loader: CatalogLoader, seed_doc: dict[str, Any]
) -> None:
    doc = records_to_document(document_to_records(seed_doc), 42)
    assert doc["version"] == 42
    assert loader.load_document(doc).version == 42


def test_added_and_deleted_records(seed_doc: dict[str, Any]) -> None:
    records = document_to_records(seed_doc)
    removed_code = seed_doc["service_points"][-1]["code"]
    records = [r for r in records if not (r["kind"] == "service_point" and r["id"] == removed_code)]
    extra = dict(seed_doc["service_points"][0], code="SP-330100-000", name="新增网点")
    records.append({"kind": "service_point", "id": "SP-330100-000", "data": extra})
    doc = records_to_document(records, 2)
    codes = [p["code"] for p in doc["service_points"]]
    assert removed_code not in codes
    assert codes[-1] == "SP-330100-000"  # not in the order record: after the ordered ones
    no_order = [r for r in records if r["id"] != "order"]
    doc = records_to_document(no_order, 2)
    assert [i["code"] for i in doc["items"]] == sorted(i["code"] for i in seed_doc["items"])


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([42], r"records\[0\]: not an object"),
        ([{"kind": "widget", "id": "x", "data": {}}], r"records\[0\]\.kind: expected one of"),
        ([{"kind": "item", "id": "", "data": {}}], r"records\[0\]\.id: expected a non-empty string"),
        ([{"kind": "item", "id": "A", "data": []}], r"records\[0\]\.data: expected an object"),
        (
            [{"kind": "item", "id": "A", "data": {"code": "B"}}],
            r"records\[0\]\.data\.code: must equal the record id",
        ),
        (
            [{"kind": "meta", "id": "region", "data": {}}, {"kind": "meta", "id": "region", "data": {}}],
            r"records\[1\]: duplicate meta record 'region'",
        ),
        ([{"kind": "meta", "id": "region", "data": {}}], "meta record 'header' is missing"),
    ],
)
def test_malformed_records_are_rejected(records: list[Any], message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        records_to_document(records, 1)
