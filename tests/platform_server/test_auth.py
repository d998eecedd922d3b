"""Signed requests: unit checks of auth.py and the real server's answers to bad signatures."""

from __future__ import annotations

import base64
import time

import pytest
import requests

from kiosk.platform import auth
from kiosk.platform.auth import AuthFailure, KioskAuth, sign_headers, verify_headers

SECRET = bytes(range(32))
SECRET_B64 = base64.b64encode(SECRET).decode()


def test_sign_headers_vector():
    headers = sign_headers(
        "post", "/v1/heartbeat?x=1", b'{"a":"\xe8\xaf\x81"}', "K1", SECRET_B64, now=1700000000.9
    )
    assert headers["X-Timestamp"] == "1700000000"
    assert headers["X-Content-SHA256"] == auth.body_sha256('{"a":"证"}')
    message = b"POST\n/v1/heartbeat?x=1\n1700000000\n" + headers["X-Content-SHA256"].encode() + b"\nK1"
    assert headers["X-Signature"] == auth.compute_signature(SECRET, message)
    assert sign_headers("GET", "/v1/time", None, "K1", SECRET, 1)["X-Content-SHA256"] == auth.body_sha256(b"")


def _verify(headers, body=b"{}", now=1700000000, method="POST", path="/v1/heartbeat"):
    return verify_headers(
        method,
        path,
        body,
        requests.structures.CaseInsensitiveDict(headers),
        lambda kid: SECRET if kid == "K1" else None,
        now=now,
    )


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({}, None, None),
        ({"X-Signature": None}, 401, "missing_signature"),
        ({"X-Timestamp": "1699999699"}, 401, "stale_timestamp"),
        ({"X-Timestamp": "abc"}, 401, "stale_timestamp"),
        ({"X-Content-SHA256": "0" * 64}, 400, "body_hash_mismatch"),
        ({"X-Kiosk-Id": "K2"}, 403, "unknown_kiosk"),
        ({"X-Signature": base64.b64encode(b"x" * 32).decode()}, 401, "bad_signature"),
    ],
)
def test_verify_headers(change, status, code):
    headers = sign_headers("POST", "/v1/heartbeat", b"{}", "K1", SECRET, now=1700000000)
    headers.update(change)
    headers = {k: v for k, v in headers.items() if v is not None}
    if status is None:
        assert _verify(headers) == "K1"
        assert _verify(headers, now=1700000000 + 300) == "K1"
        return
    with pytest.raises(AuthFailure) as err:
        _verify(headers)
    assert (err.value.status, err.value.code) == (status, code)


def test_signature_binds_method_path_and_body():
    headers = sign_headers("POST", "/v1/heartbeat", b"{}", "K1", SECRET, now=1700000000)
    for kwargs in ({"method": "PUT"}, {"path": "/v1/heartbeat?x=1"}):
        with pytest.raises(AuthFailure) as err:
            _verify(headers, **kwargs)
        assert err.value.code == "bad_signature"
    with pytest.raises(AuthFailure) as err:
        _verify(headers, body=b'{"a":1}')
    assert err.value.code == "body_hash_mismatch"


def test_requests_auth_signs_the_prepared_request():
    request = requests.Request(
        "POST", "http://h/v1/x?since=3", json={"名": 1}, auth=KioskAuth("K1", SECRET_B64, lambda: 1700000000)
    ).prepare()
    assert request.headers["X-Kiosk-Id"] == "K1"
    assert (
        verify_headers(
            "POST", "/v1/x?since=3", request.body, request.headers, lambda _k: SECRET, now=1700000000
        )
        == "K1"
    )


# --- against the real server ---------------------------------------------------------------------


def test_server_accepts_signed_and_rejects_unsigned_stale_tampered(platform_server, kiosk):
    url = kiosk.url("/v1/heartbeat")
    body = b'{"kiosk_id": "K-0001"}'
    assert kiosk.session.post(url, data=body, timeout=10).status_code == 200
    unsigned = requests.post(url, data=body, timeout=10)
    assert unsigned.status_code == 401 and unsigned.json()["error"]["code"] == "missing_signature"

    def send(headers, data=body):
        return requests.post(url, data=data, headers=headers, timeout=10)

    stale = sign_headers("POST", "/v1/heartbeat", body, kiosk.kiosk_id, kiosk.secret, now=time.time() - 301)
    assert send(stale).json()["error"]["code"] == "stale_timestamp"
    future = sign_headers("POST", "/v1/heartbeat", body, kiosk.kiosk_id, kiosk.secret, now=time.time() + 301)
    assert send(future).status_code == 401
    good = sign_headers("POST", "/v1/heartbeat", body, kiosk.kiosk_id, kiosk.secret)
    tampered = send(good, data=b'{"kiosk_id": "K-0002"}')
    assert tampered.status_code == 400 and tampered.json()["error"]["code"] == "body_hash_mismatch"
    wrong_secret = sign_headers("POST", "/v1/heartbeat", body, kiosk.kiosk_id, SECRET)
    assert send(wrong_secret).json()["error"]["code"] == "bad_signature"
    other_path = sign_headers("POST", "/v1/heartbeat?x=1", body, kiosk.kiosk_id, kiosk.secret)
    assert send(other_path).status_code == 401
    unknown = sign_headers("POST", "/v1/heartbeat", body, "K-9999", kiosk.secret)
    assert send(unknown).status_code == 403
    assert requests.get(kiosk.url("/v1/time"), timeout=10).status_code == 200  # unauthenticated


def test_revoked_kiosk_is_forbidden_and_reenrollment_rotates_secret(platform_server, kiosk):
    from tests.platform_server.conftest import enroll

    assert platform_server.platform.enrollment.revoke(kiosk.kiosk_id)
    response = kiosk.session.get(kiosk.url("/v1/submissions/R-1"), timeout=10)
    assert response.status_code == 403 and response.json()["error"]["code"] == "unknown_kiosk"
    again = enroll(platform_server, kiosk.kiosk_id)
    assert again.secret != kiosk.secret
    assert again.session.get(kiosk.url("/v1/submissions/R-1"), timeout=10).status_code == 404
    assert kiosk.session.get(kiosk.url("/v1/submissions/R-1"), timeout=10).status_code == 401


def test_enrollment_tokens_are_single_use_expiring_and_bound(platform_server):
    base = platform_server.base_url + "/v1/enroll"
    service = platform_server.platform.enrollment
    token = service.issue_token("K-A", ttl_hours=1)
    assert (
        requests.post(base, json={"token": token, "kiosk_id": "K-B"}, timeout=10).json()["error"]["code"]
        == "token_kiosk_mismatch"
    )
    first = requests.post(base, json={"token": token, "kiosk_id": "K-A"}, timeout=10)
    assert first.status_code == 201 and len(base64.b64decode(first.json()["secret"])) == 32
    assert first.json()["catalog_root_keys"] == platform_server.platform.keys.root_public_keys()
    assert (
        requests.post(base, json={"token": token, "kiosk_id": "K-A"}, timeout=10).json()["error"]["code"]
        == "token_used"
    )
    expired = service.issue_token("K-C", ttl_hours=-1)
    assert (
        requests.post(base, json={"token": expired, "kiosk_id": "K-C"}, timeout=10).json()["error"]["code"]
        == "token_expired"
    )
    assert requests.post(base, json={"token": "nope", "kiosk_id": "K-C"}, timeout=10).status_code == 403
    assert requests.post(base, json={"kiosk_id": "K-C"}, timeout=10).status_code == 422
    assert requests.post(base, data=b"\xff", timeout=10).status_code == 400
