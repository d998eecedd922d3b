"""Submissions (idempotency), status transitions with history, evaluations and heartbeats."""

from __future__ import annotations

import base64
import hashlib
import threading
import uuid

import pytest
import requests

from kiosk.platform.server.submissions import TransitionError
from tests.platform_server.test_uploads import create, patch


def submission(kiosk, receipt_no="K0001-000001-7", materials=None, **extra):
    return {
        "receipt_no": receipt_no,
        "kiosk_id": kiosk.kiosk_id,
        "item_code": "0001",
        "bundle_code": None,
        "applicant": {
            "id_type": "居民身份证",
            "id_number": "11010119900101123X",
            "name": "张三",
            "phone": "13800000000",
        },
        "form": {"地址": "城关镇幸福路1号", "份数": 2},
        "materials": materials or [],
        "submitted_at": "2025-06-01T08:00:00+08:00",
        "channel": "kiosk",
        **extra,
    }


def post(kiosk, body, key, path="/v1/submissions"):
    return kiosk.session.post(kiosk.url(path), json=body, headers={"Idempotency-Key": key}, timeout=10)


def test_same_key_same_payload_returns_the_stored_response(platform_server, kiosk):
    key = str(uuid.uuid4())
    first = post(kiosk, submission(kiosk), key)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "submitted" and first.json()["receipt_no"] == "K0001-000001-7"
    again = post(kiosk, submission(kiosk), key)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    quoted = post(kiosk, submission(kiosk), f'"{key}"')  # Structured-Field string form
    assert quoted.json() == first.json()
    assert len(platform_server.platform.submissions.list()) == 1


def test_same_key_different_payload_is_422(platform_server, kiosk):
    key = str(uuid.uuid4())
    assert post(kiosk, submission(kiosk), key).status_code == 201
    changed = submission(kiosk, form={"地址": "别处"})
    response = post(kiosk, changed, key)
    assert response.status_code == 422 and response.json()["error"]["code"] == "idempotency_key_reused"
    assert len(platform_server.platform.submissions.list()) == 1


def test_key_is_scoped_per_kiosk_and_receipt_reuse_is_refused(platform_server, kiosk):
    from tests.platform_server.conftest import enroll

    key = str(uuid.uuid4())
    assert post(kiosk, submission(kiosk), key).status_code == 201
    other = enroll(platform_server, "K-0002")
    response = post(other, submission(other, receipt_no="K0002-000001-3"), key)
    assert response.status_code == 201  # same key, other kiosk: independent
    clash = post(other, submission(other), str(uuid.uuid4()))  # another kiosk's receipt number
    assert clash.status_code == 422 and clash.json()["error"]["code"] == "receipt_exists"
    resend = post(kiosk, submission(kiosk), str(uuid.uuid4()))  # same submission, new key: not duplicated
    assert resend.status_code == 201
    assert len(platform_server.platform.submissions.list()) == 2


def test_concurrent_requests_with_one_key_store_one_submission(platform_server, kiosk):
    key = str(uuid.uuid4())
    results: list[requests.Response] = []
    barrier = threading.Barrier(8)

    def send() -> None:
        with requests.Session() as session:
            session.auth = kiosk.session.auth
            barrier.wait(10)
            results.append(
                session.post(
                    kiosk.url("/v1/submissions"),
                    json=submission(kiosk),
                    headers={"Idempotency-Key": key},
                    timeout=20,
                )
            )

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 8
    assert {r.status_code for r in results} <= {201, 409}, [r.status_code for r in results]
    created = [r.json() for r in results if r.status_code == 201]
    assert created and all(body == created[0] for body in created)
    assert len(platform_server.platform.submissions.list()) == 1
    assert post(kiosk, submission(kiosk), key).json() == created[0]


def test_in_flight_key_is_409(platform_server, kiosk):
    from kiosk.platform.server.idempotency import fingerprint
    from kiosk.platform.server.models import IdempotencyRecord, utcnow

    body = submission(kiosk)
    with platform_server.platform.db.session() as session:
        session.add(
            IdempotencyRecord(
                kiosk_id=kiosk.kiosk_id,
                key="busy",
                state="in_flight",
                started_at=utcnow(),
                fingerprint=fingerprint("POST", "/v1/submissions", body),
            )
        )
    response = post(kiosk, body, "busy")
    assert response.status_code == 409 and response.json()["error"]["code"] == "in_flight"
    assert response.headers["Retry-After"] == "1"


def test_missing_or_invalid_key_and_invalid_bodies(kiosk):
    response = kiosk.session.post(kiosk.url("/v1/submissions"), json=submission(kiosk), timeout=10)
    assert response.status_code == 400 and response.json()["error"]["code"] == "idempotency_key_missing"
    assert post(kiosk, submission(kiosk), "bad key with spaces").status_code == 400
    invalid = post(kiosk, submission(kiosk, submitted_at="yesterday"), str(uuid.uuid4()))
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "validation_error"
    assert "11010119900101123X" not in invalid.text  # errors never echo personal data
    mismatch = post(kiosk, submission(kiosk, kiosk_id="K-other"), str(uuid.uuid4()))
    assert mismatch.status_code == 403
    not_json = kiosk.session.post(
        kiosk.url("/v1/submissions"), data=b"{", headers={"Idempotency-Key": "k"}, timeout=10
    )
    assert not_json.status_code == 400


def test_materials_must_reference_complete_uploads(platform_server, kiosk):
    data = b"\xff\xd8 jpeg bytes " * 100
    location = create(kiosk, data)
    upload_id = location.rsplit("/", 1)[1]
    materials = [{"name": "身份证", "upload_id": upload_id, "sha256": hashlib.sha256(data).hexdigest()}]
    key = str(uuid.uuid4())
    early = post(kiosk, submission(kiosk, materials=materials), key)
    assert early.status_code == 422 and early.json()["error"]["code"] == "upload_incomplete"
    assert patch(kiosk, location, 0, data).status_code == 204
    done = post(kiosk, submission(kiosk, materials=materials), key)  # errors are not stored: same key works
    assert done.status_code == 201
    listed = platform_server.platform.submissions.list()[0]
    assert listed["materials"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert listed["applicant"] == "张*" and "11010119900101123X" not in str(listed)
    wrong_hash = [{**materials[0], "sha256": "0" * 64}]
    bad = post(kiosk, submission(kiosk, receipt_no="R-2", materials=wrong_hash), str(uuid.uuid4()))
    assert bad.json()["error"]["code"] == "material_hash_mismatch"


def test_status_transitions_history_and_queries(platform_server, kiosk):
    service = platform_server.platform.submissions
    assert post(kiosk, submission(kiosk), str(uuid.uuid4())).status_code == 201
    with pytest.raises(TransitionError):
        service.set_status("K0001-000001-7", "completed")
    service.set_status("K0001-000001-7", "已受理", note="材料齐全")
    service.set_status("K0001-000001-7", "processing")
    view = service.set_status("K0001-000001-7", "已办结", note="证件已制作")
    assert view["status"] == "completed" and view["status_label"] == "已办结"
    with pytest.raises(TransitionError):
        service.set_status("K0001-000001-7", "rejected")
    with pytest.raises(LookupError):
        service.set_status("nope", "accepted")
    with pytest.raises(ValueError):
        service.set_status("K0001-000001-7", "lost")
    status = kiosk.session.get(kiosk.url("/v1/submissions/K0001-000001-7"), timeout=10).json()
    assert [h["status"] for h in status["history"]] == ["submitted", "accepted", "processing", "completed"]
    assert status["history"][1]["note"] == "材料齐全"
    by_applicant = kiosk.session.get(
        kiosk.url("/v1/submissions"), params={"applicant_id": "11010119900101123X"}, timeout=10
    )
    assert [s["receipt_no"] for s in by_applicant.json()["submissions"]] == ["K0001-000001-7"]
    assert kiosk.session.get(
        kiosk.url("/v1/submissions"), params={"applicant_id": "x"}, timeout=10
    ).json() == {"submissions": []}
    assert kiosk.session.get(kiosk.url("/v1/submissions/unknown"), timeout=10).status_code == 404


def test_rejection_from_accepted(platform_server, kiosk):
    service = platform_server.platform.submissions
    post(kiosk, submission(kiosk), str(uuid.uuid4()))
    service.set_status("K0001-000001-7", "accepted")
    assert service.set_status("K0001-000001-7", "不予受理", note="不属于本机构")["status"] == "rejected"


def test_evaluations_are_idempotent_and_linked(platform_server, kiosk):
    post(kiosk, submission(kiosk), str(uuid.uuid4()))
    path = "/v1/submissions/K0001-000001-7/evaluations"
    body = {
        "rating": 5,
        "stage": "intake",
        "indicators": {"整体满意度": 5, "服务态度": 4},
        "comment": "很方便",
        "evaluated_at": "2025-06-01T08:05:00Z",
    }
    key = str(uuid.uuid4())
    first = post(kiosk, body, key, path)
    assert first.status_code == 201 and first.json()["rating"] == 5
    assert post(kiosk, body, key, path).json() == first.json()
    assert post(kiosk, {**body, "rating": 1}, key, path).status_code == 422
    assert post(kiosk, {**body, "rating": 6}, str(uuid.uuid4()), path).status_code == 422
    assert post(kiosk, body, str(uuid.uuid4()), "/v1/submissions/nope/evaluations").status_code == 404
    assert post(kiosk, submission(kiosk), key).json()["error"]["code"] == "idempotency_key_reused"
    status = kiosk.session.get(kiosk.url("/v1/submissions/K0001-000001-7"), timeout=10).json()
    assert [e["comment"] for e in status["evaluations"]] == ["很方便"]
    assert status["evaluations"][0]["indicators"] == {"整体满意度": 5, "服务态度": 4}


def test_heartbeat_returns_config_and_is_recorded(platform_server, kiosk):
    platform = platform_server.platform
    platform.heartbeat.set_config("maintenance_message", "今晚22点维护")
    platform.heartbeat.set_config("poll_interval_s", 60, kiosk_id=kiosk.kiosk_id)
    beat = {
        "kiosk_id": kiosk.kiosk_id,
        "app_version": "0.1.0",
        "catalog_version": 0,
        "queue_depth": 3,
        "oldest_pending_s": 12.5,
        "devices": {"printer": {"availability": "ok", "media": "low", "supply": None}},
    }
    response = kiosk.session.post(kiosk.url("/v1/heartbeat"), json=beat, timeout=10)
    assert response.status_code == 200
    config = response.json()["config"]
    assert config == {
        "poll_interval_s": 60,
        "maintenance_message": "今晚22点维护",
        "latest_catalog_version": 0,
    }
    assert platform.heartbeat.last_heartbeats()[kiosk.kiosk_id]["queue_depth"] == 3
    wrong = kiosk.session.post(kiosk.url("/v1/heartbeat"), json={**beat, "queue_depth": -1}, timeout=10)
    assert wrong.status_code == 422


def test_secrets_are_not_stored_in_plain_text(platform_server, kiosk):
    raw = base64.b64decode(kiosk.secret)
    db_file = platform_server.platform.data_dir / "platform.db"
    platform_server.platform.db.dispose()
    content = b"".join(p.read_bytes() for p in db_file.parent.glob("platform.db*"))
    assert raw not in content and kiosk.secret.encode() not in content
