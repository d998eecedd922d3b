"""A changeset whose ``since`` is not an integer is a rejected changeset, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline_cache.catalog_store import CatalogStore, ChangesetError
from offline_cache.db import Database


@pytest.mark.parametrize("since", ["abc", None, 1.5, [1], True])
def test_non_integer_since_is_a_changeset_error(tmp_path: Path, since: object) -> None:
    store = CatalogStore(Database(tmp_path / "k.db"))
    changeset = {
        "version": 2,
        "since": since,
        "full": False,
        "expires": "2099-01-01T00:00:00Z",
        "upserts": [],
        "tombstones": [],
    }
    with pytest.raises(ChangesetError, match="based on version"):
        store.apply_changeset(changeset, lambda version, expires, records: None, source="test")
    assert store.state().version == 0
