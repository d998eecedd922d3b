"""Loading catalog documents: JSON Schema validation, semantic checks, then a ``Catalog``.

An invalid document raises ``CatalogError`` whose message starts with the JSON path of the first
bad field in document order, e.g. ``items[12].materials[0].required: 'yes' is not of type
'boolean'``. Nothing is half-loaded: the caller's current catalog stays as it was
(``CatalogHolder`` packages that rule).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from kiosk.catalog.checks import first_problem, format_path, semantic_problems
from kiosk.catalog.model import Catalog, catalog_from_document
from kiosk.catalog.schema_check import SchemaChecker
from kiosk.paths import resource

MAX_FILE_BYTES = 64 * 1024 * 1024


def default_schema_path() -> Path:
    return resource("schemas", "catalog.schema.json")


class CatalogError(ValueError):
    """The catalog document is invalid or unreadable. ``path`` is the JSON path of the bad field
    (``""`` for file-level problems)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class CatalogLoader:
    """Validates and loads catalog documents.

    The schema is read and compiled once per instance, and parts found valid are remembered
    (``SchemaChecker``), so keep one loader for repeated loads (each sync version).
    """

    def __init__(self, schema_path: Path | None = None) -> None:
        self.schema_path = Path(schema_path) if schema_path else default_schema_path()
        self._checker: SchemaChecker | None = None
        self._lock = threading.Lock()

    @property
    def checker(self) -> SchemaChecker:
        with self._lock:
            if self._checker is None:
                try:
                    schema = json.loads(self.schema_path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CatalogError(f"cannot read the catalog schema {self.schema_path}: {exc}") from exc
                self._checker = SchemaChecker(schema)
            return self._checker

    @property
    def validator(self) -> Draft202012Validator:
        """The compiled validator of the whole document."""
        return self.checker.document

    def validate(self, doc: Any) -> None:
        """Raise ``CatalogError`` naming the first bad field (schema first, then cross-references)."""
        checker = self.checker
        with self._lock:
            problems = checker.problems(doc)
        if not problems:
            problems = semantic_problems(doc)
        problem = first_problem(doc, problems)
        if problem is not None:
            path = format_path(problem[0])
            raise CatalogError(f"{path}: {problem[1]}", path)

    def load_document(self, doc: Any) -> Catalog:
        self.validate(doc)
        return catalog_from_document(doc)

    def read_file(self, path: Path | str) -> Any:
        """Parse a catalog file (no validation); errors carry the line and column."""
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CatalogError(
                    f"{p}: catalog file is {size} bytes, more than the {MAX_FILE_BYTES} allowed"
                )
            raw = p.read_bytes()
        except FileNotFoundError:
            raise CatalogError(f"catalog file not found: {p}") from None
        except IsADirectoryError:
            raise CatalogError(f"catalog path is a directory, not a file: {p}") from None
        except OSError as exc:
            raise CatalogError(f"cannot read catalog file {p}: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise CatalogError(f"{p}:{line}: not UTF-8 (byte offset {exc.start})") from None
        try:
            return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{p}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        except _JsonContentError as exc:
            raise CatalogError(f"{p}: invalid JSON: {exc}") from None

    def load_file(self, path: Path | str) -> Catalog:
        doc = self.read_file(path)
        try:
            return self.load_document(doc)
        except CatalogError as exc:
            raise CatalogError(f"{path}: {exc}", exc.path) from None


def load_catalog_document(doc: Any, loader: CatalogLoader | None = None) -> Catalog:
    """Validate ``doc`` and build a ``Catalog``. Pass a long-lived ``loader`` to reuse its compiled schema."""
    return (loader or CatalogLoader()).load_document(doc)


def load_catalog_file(path: Path | str, loader: CatalogLoader | None = None) -> Catalog:
    """Read, validate and build a ``Catalog`` from a JSON file."""
    return (loader or CatalogLoader()).load_file(path)


class CatalogHolder:
    """The current catalog; ``replace`` swaps in a new version only if it is valid (else the old stays)."""

    def __init__(self, current: Catalog, loader: CatalogLoader | None = None) -> None:
        self._current = current
        self._loader = loader or CatalogLoader()
        self._lock = threading.Lock()

    @property
    def current(self) -> Catalog:
        return self._current

    def replace(self, doc: Mapping[str, Any]) -> Catalog:
        """Validate and install ``doc``; on ``CatalogError`` the previous catalog remains current."""
        catalog = self._loader.load_document(doc)
        with self._lock:
            self._current = catalog
        return catalog


class _JsonContentError(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonContentError(f"duplicate key {key!r} in an object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise _JsonContentError(f"{name} is not valid JSON")
