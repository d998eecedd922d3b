"""offline_cache.catalog_store: one transaction, verify before commit, old catalog kept on failure."""

from __future__ import annotations

import pytest

from offline_cache.catalog_store import CatalogStore, ChangesetError
from offline_cache.db import Database


def rec(kind: str, rid: str, **data):
    return {"kind": kind, "id": rid, "data": data}


def accept(version, expires, records):
    return None


def test_full_then_delta_applies_upserts_and_tombstones(db: Database) -> None:
    store = CatalogStore(db)
    full = {
        "version": 1,
        "since": 0,
        "full": True,
        "expires": "2999-01-01T00:00:00Z",
        "upserts": [rec("item", "b", n=2), rec("item", "a", n=1), rec("meta", "m", v="x")],
        "tombstones": [],
    }
    assert store.apply_changeset(full, accept) == 3
    seen = {}

    def capture(version, expires, records):
        seen.update(version=version, expires=expires, records=records)

    delta = {
        "version": 2,
        "since": 1,
        "full": False,
        "expires": "2999-01-02T00:00:00Z",
        "upserts": [rec("item", "c", n=3), rec("item", "a", n=10)],
        "tombstones": [{"kind": "item", "id": "b"}],
    }
    assert store.apply_changeset(delta, capture) == 3
    assert seen["version"] == 2 and seen["expires"] == "2999-01-02T00:00:00Z"
    # the verify callback sees the FULL live set, sorted by (kind, id)
    assert [(r["kind"], r["id"]) for r in seen["records"]] == [("item", "a"), ("item", "c"), ("meta", "m")]
    assert store.live_records()[0]["data"] == {"n": 10}
    state = store.state()
    assert (state.version, state.verified, state.last_sync_result, state.record_count) == (2, True, "ok", 3)
    assert state.counts_by_kind == {"item": 2, "meta": 1}


def test_verify_failure_rolls_back_and_records_reason(db: Database) -> None:
    store = CatalogStore(db)
    store.apply_changeset(
        {
            "version": 1,
            "since": 0,
            "full": True,
            "expires": "2999-01-01T00:00:00Z",
            "upserts": [rec("item", "a", n=1)],
            "tombstones": [],
        },
        accept,
    )
    before = store.live_records()

    def reject(version, expires, records):
        assert len(records) == 1 and records[0]["id"] == "z"  # the new set was visible inside the txn
        raise ValueError("bad_signature: nope")

    with pytest.raises(ValueError, match="bad_signature"):
        store.apply_changeset(
            {
                "version": 2,
                "since": 0,
                "full": True,
                "expires": "2999-01-01T00:00:00Z",
                "upserts": [rec("item", "z", n=9)],
                "tombstones": [],
            },
            reject,
        )
    assert store.live_records() == before
    state = store.state()
    assert state.version == 1 and state.last_sync_result == "failed" and "bad_signature" in state.last_error


def test_rollback_and_wrong_base_rejected_without_calling_verify(db: Database) -> None:
    store = CatalogStore(db)
    store.apply_changeset(
        {
            "version": 5,
            "since": 0,
            "full": True,
            "expires": "x",
            "upserts": [rec("item", "a")],
            "tombstones": [],
        },
        accept,
    )

    def never(*_):
        raise AssertionError("verify must not run")

    with pytest.raises(ChangesetError, match="rollback"):
        store.apply_changeset({"version": 4, "since": 0, "full": True, "expires": "x", "upserts": []}, never)
    with pytest.raises(ChangesetError, match="based on version 3"):
        store.apply_changeset({"version": 6, "since": 3, "full": False, "expires": "x", "upserts": []}, never)
    assert store.state().version == 5 and len(store.live_records()) == 1


@pytest.mark.parametrize(
    "bad",
    [
        "not a dict",
        {"version": "1", "expires": "x"},
        {"version": 1, "expires": 5},
        {"version": 1, "expires": "x", "full": True, "upserts": [{"kind": "item"}]},
        {"version": 1, "expires": "x", "full": True, "upserts": [{"kind": "item", "id": "a", "data": [1]}]},
        {"version": 1, "expires": "x", "full": True, "upserts": {}, "tombstones": []},
    ],
)
def test_malformed_changesets_are_clear_errors(db: Database, bad) -> None:
    store = CatalogStore(db)
    with pytest.raises(ChangesetError):
        store.apply_changeset(bad, accept)
    assert store.state().version == 0 and store.state().last_sync_result == "failed"
