"""The fast entry-by-entry checker reports the same first error as validating the whole document."""

from __future__ import annotations

import copy
import random
from typing import Any

from kiosk.catalog.checks import first_problem
from kiosk.catalog.generator import generate_catalog
from kiosk.catalog.loader import CatalogLoader
from kiosk.catalog.schema_check import SchemaChecker, error_path

WRONG_VALUES = ("yes", -5, 3.5, None, [], {}, "", "x" * 40, True, "县", "13", {"name": 1})


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _leaves(value, (*path, index))
    return out


def _mutate(doc: dict[str, Any], rng: random.Random) -> None:
    for _ in range(rng.choice((1, 1, 2, 3))):
        path = rng.choice(_leaves(doc))
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.15 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.25 and isinstance(parent, dict):
            parent["unexpected_key"] = 1
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(WRONG_VALUES))


def test_same_first_error_as_whole_document_validation(loader: CatalogLoader) -> None:
    base = generate_catalog(12, seed=5)
    base["items"][0]["form"] = {
        "fields": [{"key": "a", "label": "甲", "type": "select", "options": ["一", "二"]}]
    }
    checker = SchemaChecker(loader.validator.schema)  # fresh: nothing remembered yet
    whole = loader.validator
    rng = random.Random(2024)
    compared = 0
    for _ in range(150):
        doc = copy.deepcopy(base)
        _mutate(doc, rng)
        expected = first_problem(doc, [(error_path(e), e.message) for e in whole.iter_errors(doc)])
        got = first_problem(doc, checker.problems(doc))
        assert got == expected
        compared += expected is not None
    assert compared > 100  # the mutations really break documents


def test_remembered_parts_do_not_hide_new_errors(loader: CatalogLoader) -> None:
    doc = generate_catalog(30, seed=8)
    checker = SchemaChecker(loader.validator.schema)
    assert checker.problems(doc) == []
    assert checker.problems(doc) == []  # now from memory
    doc["items"][17]["materials"][0]["copy_count"] = "2"
    path, message = first_problem(doc, checker.problems(doc)) or ((), "")
    assert path == ("items", 17, "materials", 0, "copy_count") and "'2' is not of type 'integer'" in message
