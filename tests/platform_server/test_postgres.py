"""The whole loop on a real PostgreSQL (one test; marker ``postgres``)."""

from __future__ import annotations

import hashlib
import os
import threading
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk.platform.server import PlatformServer
from kiosk.platform.signing import apply_changeset, verify_publication
from tests.platform_server.conftest import enroll, sample_records
from tests.platform_server.test_submissions import post, submission
from tests.platform_server.test_uploads import create, head, patch


@pytest.fixture
def pg_schema_url(postgres_url):
    """A fresh schema per test (safe on a shared database from KIOSK_TEST_POSTGRES_URL)."""
    schema = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_full_loop_on_postgresql(pg_schema_url, tmp_path):
    with PlatformServer(pg_schema_url, tmp_path / "pg-platform") as server:
        assert server.platform.db.engine.dialect.name == "postgresql"
        kiosk = enroll(server)
        catalog = server.platform.catalog
        catalog.publish(sample_records(3))
        catalog.publish(sample_records(5)[1:])  # 0001 deleted, 0004/0005 added
        local = apply_changeset([], {"full": True, "upserts": sample_records(3)})
        delta = kiosk.session.get(kiosk.url("/v1/catalog/changeset?since=1"), timeout=10).json()
        assert [t["id"] for t in delta["tombstones"]] == ["0001"]
        verify_publication({**delta, "records": apply_changeset(local, delta)}, kiosk.roots, min_version=1)

        data = os.urandom(150_000)
        location = create(kiosk, data)
        assert patch(kiosk, location, 0, data[:70_000]).status_code == 204
        assert patch(kiosk, location, 0, data[:70_000]).status_code == 409
        assert head(kiosk, location).headers["Upload-Offset"] == "70000"
        assert patch(kiosk, location, 70_000, data[70_000:]).status_code == 204
        upload_id = location.rsplit("/", 1)[1]
        materials = [{"name": "身份证", "upload_id": upload_id, "sha256": hashlib.sha256(data).hexdigest()}]

        key, results = str(uuid.uuid4()), []

        def send() -> None:
            with requests.Session() as session:
                session.auth = kiosk.session.auth
                results.append(
                    session.post(
                        kiosk.url("/v1/submissions"),
                        json=submission(kiosk, materials=materials),
                        headers={"Idempotency-Key": key},
                        timeout=20,
                    )
                )

        threads = [threading.Thread(target=send) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert {r.status_code for r in results} <= {201, 409} and 201 in {r.status_code for r in results}
        assert post(kiosk, submission(kiosk, materials=materials, form={"x": 1}), key).status_code == 422
        assert len(server.platform.submissions.list()) == 1

        service = server.platform.submissions
        for status in ("已受理", "办理中", "已办结"):
            service.set_status("K0001-000001-7", status)
        evaluation = {"rating": 4, "stage": "completed", "indicators": {"整体满意度": 4}}
        assert (
            post(
                kiosk, evaluation, str(uuid.uuid4()), "/v1/submissions/K0001-000001-7/evaluations"
            ).status_code
            == 201
        )
        view = kiosk.session.get(kiosk.url("/v1/submissions/K0001-000001-7"), timeout=10).json()
        assert [h["status"] for h in view["history"]] == ["submitted", "accepted", "processing", "completed"]
        assert view["evaluations"][0]["rating"] == 4
        beat = kiosk.session.post(kiosk.url("/v1/heartbeat"), json={"kiosk_id": kiosk.kiosk_id}, timeout=10)
        assert beat.json()["config"]["latest_catalog_version"] == 2
