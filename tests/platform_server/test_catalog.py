"""Signed catalog publications over HTTP: diffs, tombstone ledger, changesets and their verification."""

from __future__ import annotations

import copy
import gzip
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.platform import signing
from kiosk.platform.server.catalog_publish import CatalogError
from kiosk.platform.signing import SignatureError, apply_changeset, verify_publication
from tests.platform_server.conftest import sample_records


def _fetch(kiosk, since):
    response = kiosk.session.get(kiosk.url(f"/v1/catalog/changeset?since={since}"), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _verify(changeset, local, roots, **kw):
    records = apply_changeset(local, changeset)
    verify_publication({**changeset, "records": records}, roots, **kw)
    return records


def test_no_publication_yet_is_404(kiosk):
    response = kiosk.session.get(kiosk.url("/v1/catalog/changeset?since=0"), timeout=10)
    assert response.status_code == 404 and response.json()["error"]["code"] == "no_publication"


def test_publish_twice_and_fetch_changesets_since_each_version(platform_server, kiosk):
    catalog = platform_server.platform.catalog
    v1_records = sample_records(3)
    assert catalog.publish(v1_records)["version"] == 1
    v2_records = copy.deepcopy(v1_records)
    v2_records[0]["data"]["fee"] = 10  # changed
    del v2_records[1]  # item 0002 deleted
    v2_records = [r for r in v2_records if r["kind"] != "bundle"]  # bundle deleted
    v2_records.append({"kind": "item", "id": "0004", "data": {"name": "出生医学证明"}})  # added
    summary = catalog.publish(v2_records)
    assert (summary["version"], summary["upserts"], summary["tombstones"]) == (2, 2, 2)

    full = _fetch(kiosk, 0)
    assert full["full"] is True and full["version"] == 2 and full["tombstones"] == []
    assert _verify(full, [], kiosk.roots) == signing.sort_records(v2_records)

    local_v1 = signing.sort_records(v1_records)
    delta = _fetch(kiosk, 1)
    assert delta["full"] is False and delta["since"] == 1
    assert sorted(r["id"] for r in delta["upserts"]) == ["0001", "0004"]
    assert sorted((t["kind"], t["id"]) for t in delta["tombstones"]) == [("bundle", "b1"), ("item", "0002")]
    assert _verify(delta, local_v1, kiosk.roots, min_version=1) == signing.sort_records(v2_records)

    current = _fetch(kiosk, 2)
    assert current["upserts"] == [] and current["tombstones"] == [] and current["version"] == 2
    assert _verify(current, v2_records, kiosk.roots, min_version=2) == signing.sort_records(v2_records)

    unknown = _fetch(kiosk, 99)  # never published: full set
    assert unknown["full"] is True and len(unknown["upserts"]) == len(v2_records)

    # A delta applied to a local set that missed a tombstone fails verification (completeness check).
    stale_local = [*local_v1, {"kind": "item", "id": "9999", "data": {}}]
    with pytest.raises(SignatureError) as err:
        _verify(delta, stale_local, kiosk.roots)
    assert err.value.reason == "bad_signature"


def test_deleted_then_readded_record_is_an_upsert_not_a_tombstone(platform_server, kiosk):
    catalog = platform_server.platform.catalog
    records = sample_records(2)
    catalog.publish(records)
    catalog.publish([r for r in records if r["id"] != "0002"])
    catalog.publish(records)
    delta = _fetch(kiosk, 1)
    assert delta["tombstones"] == [] and [r["id"] for r in delta["upserts"]] == ["0002"]
    _verify(delta, signing.sort_records(records), kiosk.roots)
    after_delete = [r for r in records if r["id"] != "0002"]
    assert [r["id"] for r in _fetch(kiosk, 2)["upserts"]] == ["0002"]
    _verify(_fetch(kiosk, 2), after_delete, kiosk.roots)


def test_republishing_the_same_catalog_resigns_with_a_new_expiry(platform_server, kiosk):
    catalog = platform_server.platform.catalog
    now = datetime.now(UTC)
    catalog.publish(sample_records(), expires_days=1, now=now - timedelta(days=2))
    expired = _fetch(kiosk, 0)
    with pytest.raises(SignatureError) as err:
        _verify(expired, [], kiosk.roots)
    assert err.value.reason == "expired"
    summary = catalog.publish(sample_records())
    assert (summary["version"], summary["upserts"], summary["tombstones"]) == (2, 0, 0)
    fresh = _fetch(kiosk, 1)
    assert fresh["upserts"] == [] and fresh["tombstones"] == []
    _verify(fresh, sample_records(), kiosk.roots, min_version=1)


def test_tampered_rolled_back_and_unsigned_changesets_are_rejected(platform_server, kiosk):
    catalog = platform_server.platform.catalog
    catalog.publish(sample_records(2))
    old = _fetch(kiosk, 0)
    catalog.publish(sample_records(3))
    new = _fetch(kiosk, 0)
    local = _verify(new, [], kiosk.roots)

    tampered = copy.deepcopy(new)
    tampered["upserts"][0]["data"]["name"] = "伪造事项"
    with pytest.raises(SignatureError) as err:
        _verify(tampered, [], kiosk.roots)
    assert err.value.reason == "bad_signature"

    with pytest.raises(SignatureError) as err:  # replaying the genuine old version = rollback
        _verify(old, local, kiosk.roots, min_version=new["version"])
    assert err.value.reason == "rollback"

    unsigned = {k: v for k, v in new.items() if k != "signature"}
    with pytest.raises(SignatureError) as err:
        _verify(unsigned, [], kiosk.roots)
    assert err.value.reason == "unsigned"

    forged_version = {**new, "version": new["version"] + 5}
    with pytest.raises(SignatureError) as err:
        _verify(forged_version, [], kiosk.roots)
    assert err.value.reason == "bad_signature"


def test_key_rotation_keeps_the_root_and_changes_the_signer(platform_server, kiosk):
    platform = platform_server.platform
    platform.catalog.publish(sample_records())
    before = _fetch(kiosk, 0)
    new_cert = platform.keys.rotate_signing_key(days=30)
    platform.catalog.publish(sample_records(4))
    after = _fetch(kiosk, 1)
    assert after["signer"]["key_id"] == new_cert["key_id"] != before["signer"]["key_id"]
    assert after["signer"]["root_key_id"] == before["signer"]["root_key_id"]
    _verify(after, sample_records(), kiosk.roots, min_version=1)
    assert platform.keys.describe()["signing_key_id"] == new_cert["key_id"]


@pytest.mark.parametrize(
    "records",
    [
        [{"kind": "nope", "id": "1", "data": {}}],
        [{"kind": "item", "id": "", "data": {}}],
        [{"kind": "item", "id": "1", "data": []}],
        [{"kind": "item", "id": "1", "data": {}}, {"kind": "item", "id": "1", "data": {}}],
        [{"kind": "item", "id": "1", "data": {"x": float("inf")}}],
        ["not an object"],
    ],
)
def test_invalid_catalogs_are_refused_and_nothing_is_published(platform_server, records):
    catalog = platform_server.platform.catalog
    with pytest.raises(CatalogError):
        catalog.publish(records)
    assert catalog.latest_version() == 0


def test_changeset_parameter_validation(platform_server, kiosk):
    platform_server.platform.catalog.publish(sample_records())
    for bad in ("-1", "abc", "1.5"):
        response = kiosk.session.get(kiosk.url(f"/v1/catalog/changeset?since={bad}"), timeout=10)
        assert response.status_code == 422, bad


def test_changeset_is_gzip_compressed_when_accepted(tmp_path):
    from kiosk.platform.server import PlatformServer
    from tests.platform_server.conftest import enroll

    with PlatformServer(None, tmp_path / "gz", gzip_changesets=True) as server:
        server.platform.catalog.publish(sample_records(50))
        _check_gzip(enroll(server))
    with PlatformServer(None, tmp_path / "plain") as server:  # loopback default: identity
        server.platform.catalog.publish(sample_records(50))
        kiosk = enroll(server)
        assert (
            "Content-Encoding"
            not in kiosk.session.get(kiosk.url("/v1/catalog/changeset"), timeout=10).headers
        )


def _check_gzip(kiosk):
    url = kiosk.url("/v1/catalog/changeset?since=0")
    compressed = kiosk.session.get(url, stream=True, timeout=10)
    raw = compressed.raw.read(decode_content=False)
    assert compressed.headers["Content-Encoding"] == "gzip"
    plain = kiosk.session.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(raw) == plain.content and len(raw) < len(plain.content) / 3
