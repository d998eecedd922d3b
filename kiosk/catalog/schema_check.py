"""JSON Schema validation of catalog documents that stays fast on 10,000-item catalogs.

Same verdicts and messages as validating the whole document with ``Draft202012Validator``, but:

- the big arrays (items, bundles, service points) are checked entry by entry, and only up to
  the first bad entry of each array (later entries cannot hold the first error in document order);
- an item is checked as a skeleton plus its parts (department, form, each material, the service
  point list), and every part or entry found valid is remembered by content digest, so the parts
  that repeat across thousands of items, and the unchanged items of the next catalog version,
  are checked once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kiosk.catalog.checks import Path, Problem

# Top-level arrays validated entry by entry, with the schema definition of their entries.
SECTIONS = (("items", "item"), ("bundles", "bundle"), ("service_points", "service_point"))
_SECTION_KEYS = frozenset(key for key, _ in SECTIONS)
# Parts of an item validated (and remembered) on their own: (key, container type, placeholder).
_ITEM_PARTS: tuple[tuple[str, type, Any], ...] = (
    ("department", dict, {"code": "0", "name": "0"}),
    ("form", dict, {"fields": []}),
    ("materials", list, None),  # each element on its own; the skeleton keeps one placeholder each
    ("service_points", list, []),
)
_MATERIAL_PLACEHOLDER = {"name": "0"}


class SchemaChecker:
    """Compiled validators for one catalog schema, plus the digests of parts already found valid."""

    MAX_REMEMBERED = 200_000

    def __init__(self, schema: Mapping[str, Any]) -> None:
        Draft202012Validator.check_schema(schema)
        self.schema = schema
        self.document = Draft202012Validator(schema)
        self._validators: dict[str, Draft202012Validator] = {}
        self._valid: set[bytes] = set()

    def _validator(self, name: str) -> Draft202012Validator:
        """Validator for ``$defs/name`` or, for ``item.KEY``, for the item property ``KEY``."""
        validator = self._validators.get(name)
        if validator is None:
            base = {"$schema": self.schema["$schema"], "$defs": self.schema["$defs"]}
            if name.startswith("item."):
                sub = {**base, **self.schema["$defs"]["item"]["properties"][name[5:]]}
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
        digest = _digest("item", entry)
        if digest is not None and digest in self._valid:
            return []
        skeleton = dict(entry)
        found: list[Problem] = []
        for key, container, placeholder in _ITEM_PARTS:
            value = entry.get(key)
            if not isinstance(value, container):
                continue  # absent or of the wrong type: the skeleton reports it
            if key == "materials":
                skeleton[key] = [_MATERIAL_PLACEHOLDER] * len(value)
                for j, material in enumerate(value):
                    found.extend(((key, j, *p), m) for p, m in self._remembered("material", material))
            else:
                skeleton[key] = placeholder
                name = key if key in ("department", "form") else f"item.{key}"
                found.extend(((key, *p), m) for p, m in self._remembered(name, value))
        found.extend(_problems(self._validator("item"), skeleton))
        if not found and digest is not None:
            self._remember(digest)
        return found

    def _remembered(self, name: str, value: Any) -> list[Problem]:
        digest = _digest(name, value)
        if digest is not None and digest in self._valid:
            return []
        found = _problems(self._validator(name), value)
        if not found and digest is not None:
            self._remember(digest)
        return found

    def _remember(self, digest: bytes) -> None:
        if len(self._valid) >= self.MAX_REMEMBERED:
            self._valid.clear()
        self._valid.add(digest)


def _digest(name: str, value: Any) -> bytes | None:
    try:
        text = json.dumps([name, value], sort_keys=True, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # not JSON data: never remembered, the schema says what is wrong
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
