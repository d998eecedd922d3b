"""A catalog document as a flat list of records, and back (the unit of signed, incremental sync).

Each record is ``{"kind": "item" | "bundle" | "service_point" | "meta", "id": str, "data": dict}``.
Items, bundles and service points use their own code as id (ids are unique per kind). The meta
records have fixed ids:

- ``header``: ``{"format", "generated_at"}`` (the version travels with the sync, not in a record)
- ``region``: the region object
- ``categories``: ``{"categories": [...]}``
- ``themes``: ``{"citizen": [...], "business": [...]}``
- ``synonyms``: ``{"groups": [[...], ...]}``
- ``order``: ``{"items": [...], "bundles": [...], "service_points": [...]}`` codes in document order

``records_to_document`` does not depend on the order of its input: entries follow ``order`` and
entries missing from it come after, sorted by code; codes in ``order`` without a record are skipped.
So ``records_to_document(document_to_records(doc), doc["version"]) == doc`` for any valid document.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from kiosk.catalog.loader import CatalogError

FORMAT = "gov-kiosk-catalog/1"
KINDS = ("meta", "service_point", "item", "bundle")
META_IDS = ("header", "region", "categories", "themes", "synonyms", "order")
_SECTIONS = (("service_point", "service_points"), ("item", "items"), ("bundle", "bundles"))


def document_to_records(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Records of a (validated) document: meta records first, then service points, items, bundles.

    The data are deep copies, so changing a record never changes ``doc``.
    """
    meta = {
        "header": {"format": doc["format"], "generated_at": doc["generated_at"]},
        "region": doc["region"],
        "categories": {"categories": doc["categories"]},
        "themes": doc["themes"],
        "synonyms": {"groups": doc["synonyms"]},
        "order": {section: [e["code"] for e in doc[section]] for _, section in _SECTIONS},
    }
    records = [_record("meta", rid, meta[rid]) for rid in META_IDS]
    for kind, section in _SECTIONS:
        records.extend(_record(kind, entry["code"], entry) for entry in doc[section])
    return records


def records_to_document(records: Iterable[Mapping[str, Any]], version: int) -> dict[str, Any]:
    """The catalog document the records describe, at ``version`` (the exact inverse of the above).

    Raises ``CatalogError`` for malformed records, duplicates or missing meta records. The result
    is not validated here; pass it to ``load_catalog_document``.
    """
    by_kind: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    for n, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise CatalogError(f"records[{n}]: not an object", f"records[{n}]")
        kind, rid, data = record.get("kind"), record.get("id"), record.get("data")
        if kind not in by_kind:
            raise CatalogError(
                f"records[{n}].kind: expected one of {list(KINDS)}, got {kind!r}", f"records[{n}].kind"
            )
        if not isinstance(rid, str) or not rid:
            raise CatalogError(
                f"records[{n}].id: expected a non-empty string, got {rid!r}", f"records[{n}].id"
            )
        if not isinstance(data, Mapping):
            raise CatalogError(f"records[{n}].data: expected an object", f"records[{n}].data")
        if rid in by_kind[kind]:
            raise CatalogError(f"records[{n}]: duplicate {kind} record {rid!r}", f"records[{n}].id")
        if kind != "meta" and data.get("code") != rid:
            raise CatalogError(
                f"records[{n}].data.code: must equal the record id {rid!r}", f"records[{n}].data.code"
            )
        by_kind[kind][rid] = copy.deepcopy(dict(data))
    meta = by_kind["meta"]
    for rid in META_IDS:
        if rid != "order" and rid not in meta:
            raise CatalogError(f"meta record {rid!r} is missing", rid)
    order = meta.get("order", {})
    doc: dict[str, Any] = {
        "format": meta["header"].get("format", FORMAT),
        "version": int(version),
        "generated_at": meta["header"].get("generated_at", ""),
        "region": meta["region"],
        "categories": meta["categories"].get("categories", []),
        "themes": meta["themes"],
    }
    sections = {section: _ordered(by_kind[kind], order.get(section, [])) for kind, section in _SECTIONS}
    doc["items"] = sections["items"]
    doc["bundles"] = sections["bundles"]
    doc["service_points"] = sections["service_points"]
    doc["synonyms"] = meta["synonyms"].get("groups", [])
    return doc


def _record(kind: str, rid: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "id": rid, "data": copy.deepcopy(dict(data))}


def _ordered(entries: dict[str, dict[str, Any]], order: Iterable[Any]) -> list[dict[str, Any]]:
    listed = [code for code in dict.fromkeys(order) if isinstance(code, str) and code in entries]
    seen = set(listed)
    rest = sorted(code for code in entries if code not in seen)
    return [entries[code] for code in (*listed, *rest)]
