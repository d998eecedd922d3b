"""JSON Schema validation of catalog documents that stays fast on 10,000-item catalogs.

Same verdicts and messages as validating the whole document with ``Draft202012Validator``, but:

- the big arrays (items, bundles, service points) are checked entry by entry, and only up to
  the first bad entry of each array (later entries cannot hold the first error in document order);
- an item is checked as its set of keys plus each property value on its own (each material on
  its own), and every (property, value) found valid is remembered, so the values that repeat
  across thousands of items, and the unchanged values of the next catalog version, are checked once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kiosk.catalog.checks import Path, Problem

# Top-level arrays validated entry by entry, with the schema definition of their entries.
SECTIONS = (("items", "item"), ("bundles", "bundle"), ("service_points", "service_point"))
_SECTION_KEYS = frozenset(key for key, _ in SECTIONS)
_MATERIAL_PLACEHOLDER = {"name": "0"}
_SCALARS = (str, int, float, bool, type(None))


class SchemaChecker:
    """Compiled validators for one catalog schema, plus the digests of parts already found valid."""

    MAX_REMEMBERED = 200_000

    def __init__(self, schema: Mapping[str, Any]) -> None:
        Draft202012Validator.check_schema(schema)
        self.schema = schema
        self.document = Draft202012Validator(schema)
        self._validators: dict[str, Draft202012Validator] = {}
        self._valid: set[Hashable] = set()

    def _validator(self, name: str) -> Draft202012Validator:
        """Validator for ``$defs/NAME``; ``item.KEY`` for one item property; ``item.keys`` for the
        item's required and allowed keys only."""
        validator = self._validators.get(name)
        if validator is None:
            defs = self.schema["$defs"]
            base = {"$schema": self.schema["$schema"], "$defs": defs}
            if name == "item.keys":
                item = defs["item"]
                sub = {
                    **base,
                    "type": "object",
                    "required": item["required"],
                    "properties": {key: {} for key in item["properties"]},
                    "additionalProperties": False,
                }
            elif name.startswith("item."):
                sub = {**base, **defs["item"]["properties"][name[5:]]}
            else:
                sub = {**base, "$ref": f"#/$defs/{name}"}
            validator = self._validators[name] = Draft202012Validator(sub)
        return validator

    def problems(self, doc: Any) -> list[Problem]:
        """Schema problems of ``doc``, enough of them to contain the first one in document order."""
        if not isinstance(doc, Mapping):
            return _problems(self.document, doc)
        shallow = {k: [] if k in _SECTION_KEYS and isinstance(v, list) else v for k, v in doc.items()}
        found = _problems(self.document, shallow)
        for section, definition in SECTIONS:
            entries = doc.get(section)
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                bad = self._entry(definition, entry)
                if bad:
                    found.extend(((section, index, *path), message) for path, message in bad)
                    break
        return found

    def _entry(self, definition: str, entry: Any) -> list[Problem]:
        if definition != "item" or not isinstance(entry, dict):
            return self._remembered(definition, entry)
        found = self._remembered("item.keys", {key: None for key in entry})
        allowed = self.schema["$defs"]["item"]["properties"]
        for key, value in entry.items():
            if key not in allowed:
                continue  # reported by item.keys
            if key == "materials" and isinstance(value, list):
                found.extend(self._remembered("item.materials", [_MATERIAL_PLACEHOLDER] * len(value)))
                for j, material in enumerate(value):
                    found.extend(((key, j, *p), m) for p, m in self._remembered("material", material))
            else:
                found.extend(((key, *p), m) for p, m in self._remembered(f"item.{key}", value))
        return found

    def _remembered(self, name: str, value: Any) -> list[Problem]:
        memo = _memo_key(name, value)
        if memo is not None and memo in self._valid:
            return []
        found = _problems(self._validator(name), value)
        if not found and memo is not None:
            self._remember(memo)
        return found

    def _remember(self, memo: Hashable) -> None:
        if len(self._valid) >= self.MAX_REMEMBERED:
            self._valid.clear()
        self._valid.add(memo)


def _memo_key(name: str, value: Any) -> Hashable | None:
    """What identifies a checked value: scalars themselves (with their type, so 1 and True differ),
    containers by a digest of their canonical JSON; None for what is not JSON data."""
    if isinstance(value, _SCALARS) and not (isinstance(value, float) and value != value):
        return (name, type(value).__name__, value)
    try:
        text = json.dumps([name, value], sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _problems(validator: Draft202012Validator, instance: Any) -> list[Problem]:
    return [(error_path(e), e.message) for e in validator.iter_errors(instance)]


def error_path(error: ValidationError) -> Path:
    """The path of the offending field: for a missing or unexpected property, the property itself."""
    path: list[str | int] = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [k for k in error.validator_value if k not in error.instance]
        named = [k for k in missing if error.message.startswith(repr(k))]
        if named or missing:
            path.append((named or missing)[0])
    elif error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            path.append(extra[0])
    return tuple(path)
