"""Semantic checks the JSON Schema cannot express, and JSON-path helpers for error messages.

Every problem is ``(path, message)`` where ``path`` is a tuple of keys and indexes into the
document; ``format_path`` renders it as ``items[12].materials[0].required``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Path = tuple[str | int, ...]
Problem = tuple[Path, str]


def format_path(path: Iterable[str | int]) -> str:
    """``("items", 12, "materials", 0, "required")`` -> ``items[12].materials[0].required``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "$"


def document_position(doc: Any, path: Sequence[str | int]) -> tuple[int, ...]:
    """Sort key that orders paths as they appear in the document (object keys in file order).

    A key the object does not have (a missing required property) sorts after the object's keys.
    """
    key: list[int] = []
    node = doc
    for part in path:
        if isinstance(node, Mapping) and isinstance(part, str):
            keys = list(node)
            key.append(keys.index(part) if part in node else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            key.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            key.append(0)
            node = None
    return tuple(key)


def first_problem(doc: Any, problems: Iterable[Problem]) -> Problem | None:
    """The problem that comes first in document order (stable for equal positions)."""
    best: tuple[tuple[int, ...], int, Problem] | None = None
    for n, problem in enumerate(problems):
        candidate = (document_position(doc, problem[0]), n, problem)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return None if best is None else best[2]


def semantic_problems(doc: Mapping[str, Any]) -> list[Problem]:
    """Cross-reference problems of a schema-valid document (unique codes, references, time limits…)."""
    problems: list[Problem] = []
    point_codes = _unique_codes(doc["service_points"], "service_points", "service point", problems)
    item_codes = _unique_codes(doc["items"], "items", "item", problems)
    categories = set(doc["categories"])
    themes = {
        "citizen_themes": set(doc["themes"]["citizen"]),
        "business_themes": set(doc["themes"]["business"]),
    }
    dept_names: dict[str, tuple[str, Path]] = {}
    for i, item in enumerate(doc["items"]):
        at: Path = ("items", i)
        if item["category"] not in categories:
            problems.append(((*at, "category"), f"unknown category {item['category']!r}"))
        for field, known in themes.items():
            for j, theme in enumerate(item.get(field, ())):
                if theme not in known:
                    problems.append(((*at, field, j), f"unknown theme {theme!r}"))
        for j, code in enumerate(item.get("service_points", ())):
            if code not in point_codes:
                problems.append(((*at, "service_points", j), f"unknown service point {code!r}"))
        _check_department(item["department"], (*at, "department"), dept_names, problems)
        _check_time_limits(item, at, problems)
        _check_form(item.get("form"), (*at, "form"), problems)
    bundle_codes: set[str] = set()
    for i, bundle in enumerate(doc["bundles"]):
        at = ("bundles", i)
        if bundle["code"] in bundle_codes or bundle["code"] in item_codes:
            problems.append(((*at, "code"), f"duplicate code {bundle['code']!r} (bundle or item)"))
        bundle_codes.add(bundle["code"])
        _check_department(bundle["lead_department"], (*at, "lead_department"), dept_names, problems)
        for j, code in enumerate(bundle["member_codes"]):
            if code not in item_codes:
                problems.append(((*at, "member_codes", j), f"unknown member item {code!r}"))
    for i, group in enumerate(doc["synonyms"]):
        seen: set[str] = set()
        for j, term in enumerate(group):
            if not term.strip():
                problems.append((("synonyms", i, j), "blank synonym"))
            elif term.strip() in seen:
                problems.append((("synonyms", i, j), f"synonym {term!r} repeated in its group"))
            seen.add(term.strip())
    return problems


def _unique_codes(
    entries: Sequence[Mapping[str, Any]], key: str, what: str, problems: list[Problem]
) -> set[str]:
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        code = entry["code"]
        if code in first:
            problems.append(
                ((key, i, "code"), f"duplicate {what} code {code!r} (first at {key}[{first[code]}])")
            )
        else:
            first[code] = i
    return set(first)


def _check_department(
    dept: Mapping[str, str], at: Path, names: dict[str, tuple[str, Path]], problems: list[Problem]
) -> None:
    known = names.setdefault(dept["code"], (dept["name"], at))
    if known[0] != dept["name"]:
        problems.append(
            ((*at, "name"), f"department {dept['code']!r} is named {known[0]!r} at {format_path(known[1])}")
        )


def _check_time_limits(item: Mapping[str, Any], at: Path, problems: list[Problem]) -> None:
    legal, promised = item["legal_days"], item["promised_days"]
    if item["handling"] == "即办件" and promised != 0:
        problems.append(
            ((*at, "promised_days"), f"即办件 is done on the spot: promised_days must be 0, got {promised}")
        )
    if item["handling"] == "承诺件" and promised == 0:
        problems.append(
            ((*at, "promised_days"), "承诺件 needs a promised time limit of at least 1 working day")
        )
    if legal and promised > legal:
        problems.append(
            ((*at, "promised_days"), f"promised {promised} days exceeds the legal limit of {legal}")
        )


def _check_form(form: Mapping[str, Any] | None, at: Path, problems: list[Problem]) -> None:
    if not form:
        return
    fields = {f["key"]: f for f in form["fields"]}
    seen: set[str] = set()
    for j, field in enumerate(form["fields"]):
        where: Path = (*at, "fields", j)
        if field["key"] in seen:
            problems.append(((*where, "key"), f"duplicate form field key {field['key']!r}"))
        seen.add(field["key"])
        for other, value in field.get("show_if", {}).items():
            target = fields.get(other)
            if target is None or other == field["key"]:
                problems.append(((*where, "show_if", other), f"show_if refers to unknown field {other!r}"))
            elif target.get("type") == "select" and value not in target.get("options", ()):
                problems.append(
                    ((*where, "show_if", other), f"{value!r} is not an option of field {other!r}")
                )
            elif target.get("type") == "checkbox" and value not in ("true", "false"):
                problems.append(
                    ((*where, "show_if", other), f"checkbox {other!r} is 'true' or 'false', not {value!r}")
                )
